"""``/q/<code>``: the short address printed in every 云码 QR code (mounted at the site's root)."""

from django.urls import path

from . import views

urlpatterns = [path("<str:code>", views.code_page, name="code")]
