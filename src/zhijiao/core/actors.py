"""Who is acting, and where from: the one type every service and selector takes, and the one "signed in" rule.

A page or an API operation hands its ``request.user`` to selectors and services as the ``actor``: a member
(``accounts.User``) or a visitor (``AnonymousUser``). Services never take the ``HttpRequest``; what the audit log
keeps of the request (a keyed hash of the client address, never the address) travels as an ``Origin``.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeGuard

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

if TYPE_CHECKING:  # the kernel names the user type for the type checker only; it imports no domain app
    from zhijiao.accounts.models import User

type Actor = User | AnonymousUser


def signed_in(actor: Actor | None) -> TypeGuard[User]:
    """A member who is signed in and whose account is active; everyone else is treated as a visitor."""
    return actor is not None and actor.is_authenticated and actor.is_active


def client_ip(request: HttpRequest) -> str:
    """The client's address: the load balancer's ``X-Forwarded-For`` when the site is behind one, else the peer."""
    forwarded = (
        request.META.get("HTTP_X_FORWARDED_FOR", "") if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) else ""
    )
    return (forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR", "")) or ""


def hash_ip(ip: str) -> str:
    """A keyed hash of an address (16 hex digits): the same address links entries, nobody can read it back."""
    return hmac.new(settings.SECRET_KEY.encode(), ip.encode(), hashlib.sha256).hexdigest()[:16] if ip else ""


class MemberRequest(HttpRequest):
    """The request a signed-in member makes, for the type checker.

    A page behind ``login_required``, an API operation behind a router's authentication and the admin all see a
    signed-in, active member in ``request.user`` (Django's session backend turns a deactivated account into a visitor
    before a view runs), and the services that record who acted take that ``User``. Annotating such a view's request
    as ``MemberRequest`` says so once instead of narrowing ``request.user`` in every view (the pattern django-stubs
    documents for ``login_required`` views). Public pages and operations keep ``HttpRequest`` and hand their
    ``request.user`` (an ``Actor``) to the selectors.
    """

    user: User


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an action came from, as the audit log keeps it; ``Origin()`` for commands, tasks and imports."""

    ip_hash: str = ""

    @classmethod
    def of(cls, request: HttpRequest | None) -> Origin:
        return cls(ip_hash=hash_ip(client_ip(request))) if request is not None else cls()
