from django.urls import path

from . import views

app_name = "k12"
urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search_redirect, name="search"),
    path("stages/<str:stage>/", views.stage, name="stage"),
    path("subjects/<id:pk>/", views.subject, name="subject"),
    path("books/<id:pk>/", views.book, name="book"),
    path("lessons/<id:pk>/", views.lesson, name="lesson"),
    path("points/<id:pk>/", views.point, name="point"),
    path("resources/<id:pk>/", views.resource, name="resource"),
    path("resources/<id:pk>/file", views.media_file, name="media-file"),
    path("resources/<id:pk>/poster", views.media_poster, name="media-poster"),
    path("resources/<id:pk>/images/<id:position>", views.media_image, name="media-image"),
    path("resources/<id:pk>/complete", views.resource_complete, name="resource-complete"),
    path("resources/<id:pk>/<str:action>", views.resource_action, name="resource-action"),
    path("columns/<str:column>/", views.column, name="column"),
    path("upload/", views.upload, name="upload"),
    path("mine/", views.my_resources, name="mine"),
    path("review/", views.review, name="review"),
    path("codes/", views.batches, name="batches"),
    path("codes/stats/", views.scan_stats, name="scan-stats"),
    path("codes/<id:pk>/", views.batch, name="batch"),
    path("codes/<id:pk>/publish", views.batch_publish, name="batch-publish"),
    path("codes/<id:pk>/sheet.pdf", views.batch_sheet, name="batch-sheet"),
    path("codes/code/<id:pk>.<str:fmt>", views.code_image, name="code-image"),
    path("codes/code/<id:pk>/relink", views.code_relink, name="code-relink"),
    path("codes/code/<id:pk>/retire", views.code_retire, name="code-retire"),
    path("collections/", views.collections, name="collections"),
    path("collections/<id:pk>/", views.collection, name="collection"),
    path("district/", views.district, name="district"),
    path("classes/", views.classes, name="classes"),
    path("classes/<id:pk>/", views.klass, name="class"),
    path("assignments/<id:pk>/", views.assignment, name="assignment"),
]
