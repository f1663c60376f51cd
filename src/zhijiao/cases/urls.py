from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.index, name="index"),
    path("<id:case_id>/", views.detail, name="detail"),
    path("<id:case_id>/full-text.pdf", views.full_text, name="full_text"),
    path("<id:case_id>/teaching-note.pdf", views.teaching_note, name="teaching_note"),
    path("<id:case_id>/video", views.video, name="video"),
    path("<id:case_id>/collect", views.collect, name="collect"),
    path("collections/", views.collections, name="collections"),
    path("collections/<id:collection_id>/", views.collection, name="collection"),
    path("collections/<id:collection_id>/remove", views.collection_remove, name="collection_remove"),
]
