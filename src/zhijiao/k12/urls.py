from django.urls import path

from . import views

app_name = "k12"
urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search_redirect, name="search"),
    path("stages/<str:stage>/", views.stage, name="stage"),
    path("subjects/<int:pk>/", views.subject, name="subject"),
    path("books/<int:pk>/", views.book, name="book"),
    path("lessons/<int:pk>/", views.lesson, name="lesson"),
    path("points/<int:pk>/", views.point, name="point"),
    path("resources/<int:pk>/", views.resource, name="resource"),
    path("resources/<int:pk>/file", views.media_file, name="media-file"),
    path("resources/<int:pk>/poster", views.media_poster, name="media-poster"),
    path("resources/<int:pk>/images/<int:position>", views.media_image, name="media-image"),
    path("resources/<int:pk>/complete", views.resource_complete, name="resource-complete"),
    path("resources/<int:pk>/<str:action>", views.resource_action, name="resource-action"),
    path("columns/<str:column>/", views.column, name="column"),
    path("upload/", views.upload, name="upload"),
    path("mine/", views.my_resources, name="mine"),
    path("review/", views.review, name="review"),
    path("codes/", views.batches, name="batches"),
    path("codes/stats/", views.scan_stats, name="scan-stats"),
    path("codes/<int:pk>/", views.batch, name="batch"),
    path("codes/<int:pk>/publish", views.batch_publish, name="batch-publish"),
    path("codes/<int:pk>/sheet.pdf", views.batch_sheet, name="batch-sheet"),
    path("codes/code/<int:pk>.<str:fmt>", views.code_image, name="code-image"),
    path("codes/code/<int:pk>/relink", views.code_relink, name="code-relink"),
    path("codes/code/<int:pk>/retire", views.code_retire, name="code-retire"),
    path("collections/", views.collections, name="collections"),
    path("collections/<int:pk>/", views.collection, name="collection"),
    path("district/", views.district, name="district"),
    path("classes/", views.classes, name="classes"),
    path("classes/<int:pk>/", views.klass, name="class"),
    path("assignments/<int:pk>/", views.assignment, name="assignment"),
]
