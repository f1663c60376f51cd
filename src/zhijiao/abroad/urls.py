from django.urls import URLPattern, path

from . import views

app_name = "abroad"
urlpatterns: list[URLPattern] = [path("", views.index, name="index")]
