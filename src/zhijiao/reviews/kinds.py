"""The registry of review kinds: what a call reviews (case intake, vocational project review, a general call).

The engine (calls, submissions, conflict-aware assignment, blind scoring, decisions, 公示, appeals) is the same for
every kind; a kind says only what is particular to it: its label, the prefix of the 入库编号 the engine gives an
accepted submission (``CASE`` → ``CASE-2026-0001``), the form that validates a submission's ``metadata`` when it is
submitted, and what happens on acceptance (``on_accept(submission=…, accession_no=…)``, called inside the decision's
transaction, so a failure there leaves the decision unmade). Apps register their kinds from ``AppConfig.ready()``::

    from zhijiao.reviews import kinds

    kinds.register(kinds.ReviewKind(code="case_intake", label=gettext_lazy("案例入库"), accession_prefix="CASE",
                                    metadata_form=CaseMetadataForm, on_accept=case_publish))
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise

_CODE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_PREFIX = re.compile(r"^[A-Z][A-Z0-9]{0,9}$")


@dataclass(frozen=True)
class ReviewKind:
    code: str  # e.g. "case_intake"
    label: str | Promise  # gettext_lazy label, e.g. "案例入库"
    accession_prefix: str  # e.g. "CASE" → 入库编号 like "CASE-2026-0001" made by the engine on accept
    metadata_form: type[forms.Form] | None  # validates Submission.metadata (JSON) on submit
    on_accept: Callable[..., None] | None  # on_accept(submission=Submission, accession_no=str), in the transaction


_kinds: dict[str, ReviewKind] = {}


def register(kind: ReviewKind) -> ReviewKind:
    """Add a kind; registering it again (a second ``ready()``) replaces it, but never under another prefix."""
    if not _CODE.match(kind.code):
        raise ImproperlyConfigured(f"review kind code {kind.code!r}: lower-case ASCII letters, digits and _ (≤ 32)")
    if not _PREFIX.match(kind.accession_prefix):
        raise ImproperlyConfigured(f"review kind {kind.code!r}: accession prefix {kind.accession_prefix!r} (A-Z, 0-9)")
    existing = _kinds.get(kind.code)
    if existing is not None and existing.accession_prefix != kind.accession_prefix:
        raise ImproperlyConfigured(f"review kind {kind.code!r} is already registered")
    _kinds[kind.code] = kind
    return kind


def get(code: str) -> ReviewKind:
    """The kind registered under ``code``; ``LookupError`` when none is."""
    try:
        return _kinds[code]
    except KeyError:
        raise LookupError(f"no review kind {code!r}") from None


def registered() -> list[ReviewKind]:
    """Every kind, in the order they were registered."""
    return list(_kinds.values())


def choices() -> list[tuple[str, str]]:
    """(code, label) of every kind, for the staff screens' select."""
    return [(kind.code, str(kind.label)) for kind in _kinds.values()]
