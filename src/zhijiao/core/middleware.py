"""Django's own middleware, minus work it repeats."""

from django.http import HttpRequest
from django.middleware.common import CommonMiddleware as DjangoCommonMiddleware


class CommonMiddleware(DjangoCommonMiddleware):
    """Django's CommonMiddleware, without resolving the path again for a 404 a view gave itself.

    On a 404, Django checks whether the path plus a slash would resolve — starting by resolving the path itself
    once more. When the request already reached a view (``request.resolver_match`` is set), the path is valid and
    the answer is no: a score lookup's "no match" or a missing record no longer costs a second URL resolution.
    """

    def should_redirect_with_slash(self, request: HttpRequest) -> bool:
        if getattr(request, "resolver_match", None) is not None:
            return False
        return bool(super().should_redirect_with_slash(request))
