"""Pages of the review engine under /reviews/: the expert's queue and review form, calls and their 公示 lists, an
applicant's own submissions."""

from django.urls import URLPattern, path

from . import views

app_name = "reviews"
urlpatterns: list[URLPattern] = [
    path("", views.queue, name="queue"),
    path("assignments/<id:assignment_id>/", views.review, name="review"),
    path("assignments/<id:assignment_id>/recuse/", views.recuse, name="recuse"),
    path("assignments/<id:assignment_id>/files/<id:attachment_id>/", views.blind_file, name="blind_file"),
    path("calls/", views.calls, name="calls"),
    path("calls/<id:call_id>/", views.call, name="call"),
    path("calls/<id:call_id>/notice/", views.notice, name="notice"),
    path("calls/<id:call_id>/apply/", views.apply, name="apply"),
    path("mine/", views.my_submissions, name="mine"),
    path("submissions/<id:submission_id>/", views.submission, name="submission"),
    path("submissions/<id:submission_id>/appeal/", views.appeal, name="appeal"),
    path("submissions/<id:submission_id>/files/<id:attachment_id>/", views.own_file, name="own_file"),
]
