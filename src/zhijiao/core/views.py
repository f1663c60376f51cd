"""Helpers every app's page views share: services' errors next to a form's fields.

What a view does not catch is shown by ``core.middleware.PageErrorMiddleware``: ``NotFound`` as the 404 page, other
service errors as a message on the page the person came from.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.utils.translation import gettext

from .errors import DomainError, NotFound

View = Callable[..., Any]


def field_label(form: Any, name: str) -> str | None:
    """What people read for a field a service names: the form's ``error_labels`` for names the form spells
    differently, else the model field's verbose name when the form edits a model; ``None`` when unknown."""
    labels = getattr(form, "error_labels", {})
    if name in labels:
        return str(labels[name])
    model = getattr(getattr(form, "_meta", None), "model", None)
    if model is not None:
        try:
            return str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            return None
    return None


def _add(form: Any, name: str, errors: Any) -> None:
    """One service error on the form: next to its field, else on top, named by its label, never by its code name."""
    if name in form.fields:
        form.add_error(name, errors)
        return
    label = field_label(form, name) if name != NON_FIELD_ERRORS else None
    texts = [str(text) for text in (errors if isinstance(errors, (list, tuple)) else [errors])]
    if label:
        texts = [gettext("%(field)s：%(message)s") % {"field": label, "message": text} for text in texts]
    form.add_error(None, texts)


def form_errors(form: Any, exc: ValidationError | DomainError) -> None:
    """Put a service's field messages next to the form's fields (or on top, named by the field's label, when the
    form has no such field)."""
    if isinstance(exc, DomainError):
        for name, errors in exc.fields.items():
            _add(form, name, errors)
        if not exc.fields:
            form.add_error(None, str(exc.message))
    elif hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            _add(form, name, errors)
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
