from django.urls import URLPattern, path

from . import views

app_name = "credentials"
urlpatterns: list[URLPattern] = [path("", views.index, name="index")]
