from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from zhijiao.core.identifiers import looks_like_phone, normalize_phone


class PhoneOrEmailBackend(ModelBackend):
    """Signs people in with their mobile number or their email address."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        from .models import User

        login = (username or kwargs.get("phone") or kwargs.get("email") or "").strip()
        if not login or password is None:
            return None
        try:
            if "@" in login:
                user = User.objects.get(email__iexact=login)
            elif looks_like_phone(login):
                user = User.objects.get(phone=normalize_phone(login))
            else:
                return None
        except Exception:
            User().set_password(password)  # same work either way, so timing does not reveal accounts
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
