from django.urls import path

from . import views
from .views import learning

app_name = "courses"
urlpatterns = [
    path("<int:course_id>/units/<uuid:content_id>/", views.unit, name="unit"),
    path("<int:course_id>/media/<str:content_id>/<slug:slot>", views.media, name="media"),
    # The learners' side: the course page, enrolling, learning, 我的课程, rating.
    path("mine/", learning.mine, name="mine"),
    path("<int:course_id>/", learning.course_page, name="course"),
    path("<int:course_id>/enrol/", learning.enrol, name="enrol"),
    path("<int:course_id>/learn/", learning.learn, name="learn"),
    path("<int:course_id>/learn/<uuid:content_id>/", learning.learn_unit, name="learn-unit"),
    path("<int:course_id>/rating/", learning.rate, name="rate"),
]
