from django.urls import path

from . import views

app_name = "k12"
urlpatterns = [path("", views.index, name="index")]
