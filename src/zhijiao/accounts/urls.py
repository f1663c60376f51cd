from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("register/", views.register, name="register"),
    path("me/", views.profile, name="profile"),
    path("me/identity/", views.identity, name="identity"),
    path("me/tokens/", views.tokens, name="tokens"),
]
