"""Public, unauthenticated addresses of the credentials app: /verify/<code> and the published keys."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
