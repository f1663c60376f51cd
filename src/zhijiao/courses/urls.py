from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path("<int:course_id>/units/<uuid:content_id>/", views.unit, name="unit"),
    path("<int:course_id>/media/<str:content_id>/<slug:slot>", views.media, name="media"),
    # The course page is the learners' entry; its view comes with the learning pages.
    path("<int:course_id>/", views.course, name="course"),
]
