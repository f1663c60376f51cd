from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:notification_id>/", views.notification_detail, name="detail"),
    path("<int:notification_id>/read/", views.notification_read, name="read"),
    path("<int:notification_id>/open/", views.notification_open, name="open"),
    path("<int:notification_id>/open/<int:index>/", views.notification_open, name="open_link"),
    path("read-all/", views.notification_read_all, name="read_all"),
]
