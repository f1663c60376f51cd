"""Helpers every app's page views share: selectors' "not found" as the site's 404, services' errors on forms."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest

from .errors import NotFound

View = Callable[..., Any]


def not_found_as_404[V: View](view: V) -> V:
    """Pages answer a selector's NotFound (missing or forbidden alike) with the site's 404 page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(str(exc)) from exc

    return wrapper  # type: ignore[return-value]


def form_errors(form: Any, exc: ValidationError) -> None:
    """Put a service's field messages next to the form's fields (or on top when the form has no such field)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
