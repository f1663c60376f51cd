"""Helpers every app's page views share: services' errors next to a form's fields.

What a view does not catch is shown by ``core.middleware.PageErrorMiddleware``: ``NotFound`` as the 404 page, other
service errors as a message on the page the person came from.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from .errors import DomainError, NotFound

View = Callable[..., Any]


def form_errors(form: Any, exc: ValidationError | DomainError) -> None:
    """Put a service's field messages next to the form's fields (or on top when the form has no such field)."""
    if isinstance(exc, DomainError):
        for name, errors in exc.fields.items():
            form.add_error(name if name in form.fields else None, errors)
        if not exc.fields:
            form.add_error(None, str(exc.message))
    elif hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@dataclass
class Outcome:
    """Whether the service call inside ``service_errors`` went through."""

    ok: bool = True


@contextmanager
def service_errors(form: Any) -> Iterator[Outcome]:
    """Run a service call; its ``ValidationError`` or ``DomainError`` lands on ``form`` instead of propagating.

    ``NotFound`` still propagates (the 404 page).  Use::

        with service_errors(form) as outcome:
            job = services.job_create(actor=request.user, employer=employer, data=form.job_data())
        if outcome.ok:
            return redirect(job)
        return render(request, "employment/job_form.html", {"form": form}, status=422)
    """
    outcome = Outcome()
    try:
        yield outcome
    except NotFound:
        raise
    except (ValidationError, DomainError) as exc:
        outcome.ok = False
        form_errors(form, exc)
