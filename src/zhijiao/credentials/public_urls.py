"""Public, unauthenticated addresses of the credentials app: /verify/<code> and the published keys."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("verify/", views.verify_form, name="credentials_verify"),
    path("verify/<str:code>", views.verify_code, name="credentials_verify_code"),
    path("verify/<str:code>/", views.verify_code),
    path(".well-known/jwks.json", views.jwks, name="credentials_jwks"),
    path(".well-known/did.json", views.did_document, name="credentials_did"),
]
