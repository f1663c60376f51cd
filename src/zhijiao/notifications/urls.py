from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<id:notification_id>/", views.notification_detail, name="detail"),
    path("<id:notification_id>/read/", views.notification_read, name="read"),
    path("<id:notification_id>/open/", views.notification_open, name="open"),
    path("<id:notification_id>/open/<id:index>/", views.notification_open, name="open_link"),
    path("read-all/", views.notification_read_all, name="read_all"),
]
