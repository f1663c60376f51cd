from django.urls import path

from . import views

app_name = "higher"
urlpatterns = [path("", views.index, name="index")]
