"""Errors a user can cause. Each leaves the API as one JSON shape: {"code", "message", "fields"}."""

from django.utils.functional import Promise


class DomainError(Exception):
    """A request that breaks a rule of the domain: a 4xx with a stable code, never a 500."""

    status = 409

    def __init__(
        self,
        code: str,
        message: str | Promise,
        *,
        fields: dict[str, list[str]] | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.fields = fields or {}
        if status is not None:
            self.status = status


class NotFound(DomainError):
    """Missing and forbidden look alike, so nobody learns what exists by probing."""

    status = 404

    def __init__(self, message: str | Promise | None = None) -> None:
        from django.utils.translation import gettext

        super().__init__("not_found", message or gettext("找不到您要的内容"))
