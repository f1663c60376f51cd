from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from zhijiao.core.identifiers import looks_like_phone, normalize_phone
from zhijiao.core.prepared import Prepared


def _user_by_pk(pk: Any) -> Any:
    from .models import User

    return User._default_manager.filter(pk=pk)[:1]


# Every signed-in request reads its person by primary key: the SQL is built once (core.prepared).
USER_BY_PK = Prepared(_user_by_pk)


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

    def get_user(self, user_id: Any) -> Any:
        """The person of a session, as Django's backend reads it, without compiling the query each time."""
        user = USER_BY_PK.first(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
