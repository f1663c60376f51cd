"""Django's own middleware minus work it repeats on every request, and the one place page errors are shown."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.messages.middleware import MessageMiddleware as DjangoMessageMiddleware
from django.contrib.messages.storage import default_storage
from django.core.exceptions import ValidationError
from django.core.handlers.exception import response_for_exception
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.http.response import HttpResponseBase
from django.middleware.common import CommonMiddleware as DjangoCommonMiddleware
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject, empty
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext

from .actors import signed_in
from .api_errors import error_payload
from .errors import DomainError, NotFound
from .params import control_characters_message
from .ratelimit import RateLimited

API_PREFIX = "/api/"


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


class RefuseNulMiddleware:
    """An address with a NUL in its path (or, for a page, its query string) is refused (400) before any view reads
    it: no one types one, PostgreSQL refuses it in text, and every page would otherwise have to check for it. The
    API's query strings are left to its parser, which names the field (``core.api_parser``)."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        api = request.path_info.startswith(API_PREFIX)
        if "\x00" in request.path_info or (not api and "%00" in request.META.get("QUERY_STRING", "")):
            message = control_characters_message()
            if api:
                return JsonResponse(error_payload("bad_request", message), status=400)
            return render(request, "_error_message.html", {"status": 400, "message": message}, status=400)
        response: HttpResponseBase = self.get_response(request)
        return response


class SessionIdleMiddleware:
    """Keeps a signed-in session alive while its person is active, without a session write on every request.

    A session ends after ``SESSION_COOKIE_AGE`` idle seconds. Django's ``SESSION_SAVE_EVERY_REQUEST`` pushes the
    expiry forward by saving the session on every request — a database write for every page a signed-in person
    opens. Here a session is saved (and its expiry and cookie renewed) only when a tenth of its age has passed
    since the last renewal, so a person is signed out after between 90 % and 100 % of the idle limit, at one
    write per few minutes of activity. Anonymous requests without a session are left alone.

    Placed right after ``SessionMiddleware``, so its response step runs before the session is saved.
    """

    KEY = "_renewed"

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or response.status_code >= 500:
            return response
        renewed = session.get(self.KEY)  # loads the session: a stale cookie's key is dropped here
        if not session.session_key:
            return response
        now = int(timezone.now().timestamp())
        if not isinstance(renewed, int) or now - renewed >= session.get_expiry_age() // 10:
            session[self.KEY] = now
        return response


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


class PageErrorMiddleware:
    """The one place where pages turn what services and selectors raise into what a person sees.

    - ``NotFound`` (missing and forbidden alike) becomes the site's 404 page, as ``Http404`` would.
    - A ``DomainError`` or a ``ValidationError`` that a view did not put on a form becomes an error message, and the
      person is sent back where the form was posted from (the ``Referer`` when it is this site, else the same
      address); on a ``GET`` the error page says it with the error's status.

    Views therefore call services without ``try``/``except``; a view that shows errors next to the fields uses
    ``core.views.service_errors(form)``. The API has its own handlers (``core.api_errors``) and is left alone.
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.get_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponseBase | None:
        if request.path_info.startswith(API_PREFIX):
            return None
        if isinstance(exception, NotFound):
            return response_for_exception(request, Http404(str(exception.message)))
        if isinstance(exception, DomainError):
            message, status = str(exception.message), exception.status
        elif isinstance(exception, ValidationError):
            message, status = gettext("；").join(str(m) for m in exception.messages), 422
        else:
            return None
        if request.method == "GET":
            page = render(request, "_error_message.html", {"status": status, "message": message}, status=status)
            if isinstance(exception, RateLimited):
                page["Retry-After"] = str(exception.retry_after)
                patch_cache_control(page, no_store=True)
            return page
        messages.error(request, message)
        back = request.headers.get("Referer", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=False):
            back = request.get_full_path()
        return HttpResponseRedirect(back, status=303)


class PrivateCacheMiddleware:
    """Nothing answered to a signed-in person is kept by a browser or a proxy (a school's shared computer).

    Pages behind sign-in show a person's name, their records, their class; ``Cache-Control: private, no-store``
    keeps them out of shared caches and off the disk, so the next pupil at the machine cannot page back to them.
    Written once here rather than on each view: every answer to a signed-in request (a session or an API token)
    gets ``private, no-store`` unless the view chose a policy of its own that already forbids storing, or declared
    the answer ``public``. Anonymous requests are left alone (the page cache marks public pages itself); pages that
    show a person's data without sign-in (a score lookup's result) say ``never_cache`` themselves.
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response: HttpResponseBase = self.get_response(request)
        # Only look at the user when there is a session or a token: an anonymous request loads no session here.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES and "HTTP_AUTHORIZATION" not in request.META:
            return response
        if not signed_in(getattr(request, "user", None)):
            return response
        policy = response.get("Cache-Control", "")
        if "no-store" in policy or "public" in policy:
            return response
        patch_cache_control(response, private=True, no_store=True)
        return response
