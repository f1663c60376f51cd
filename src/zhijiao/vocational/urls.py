from django.urls import path

from . import views

app_name = "vocational"
urlpatterns = [path("", views.index, name="index")]
