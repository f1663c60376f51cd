"""Django's own middleware, minus work it repeats on every request."""

from django.contrib.messages.middleware import MessageMiddleware as DjangoMessageMiddleware
from django.contrib.messages.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.middleware.common import CommonMiddleware as DjangoCommonMiddleware
from django.utils.functional import SimpleLazyObject, empty


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


class MessageMiddleware(DjangoMessageMiddleware):
    """Django's MessageMiddleware with the message storage made on first use.

    Django builds the storage (a cookie and a session backend, each with its signer) for every request and saves
    it on every response; an API call or a page that shows no message never touches it. Here the storage is made
    when something reads or adds a message, and a response only saves a storage that was made.
    """

    def process_request(self, request: HttpRequest) -> None:
        request._messages = SimpleLazyObject(lambda: default_storage(request))  # type: ignore[attr-defined]

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        storage = getattr(request, "_messages", None)
        if isinstance(storage, SimpleLazyObject) and storage._wrapped is empty:
            return response
        return super().process_response(request, response)
