"""Choosers: how a person picks a thing (a region, a lesson, a university) by typing its name, never its number.

One form field (`ChooserField`) renders a text box with search-as-you-type results (an ARIA combobox: htmx asks
`/choose/<source>/` for an HTML fragment of options; `static/js/chooser.js` adds the keyboard) and keeps the chosen
value in a hidden input. Without JavaScript it is a plain form: the person types a name (or an alias, or a code)
and submits; the server resolves the text: one match is taken, several come back as a list to choose from, none is
a field error. Whatever arrives, chosen or typed, is checked against the source again: an unknown value and one the
person may not choose read alike, as a field error next to the field.

A source may be narrowed by what else the form knows (``scope``: the knowledge points of the book chosen above):
the field names the sibling field each scope comes from (``within={"book": "book"}``) or the view passes it
(``Form(..., scope={"book": "12"})``); htmx sends the sibling's value along with what is typed, and a form sent
without JavaScript is resolved and checked within the same scope.

The kernel knows no domain: each app registers its sources (`register_chooser`) from its `AppConfig.ready()`,
with the search and the access check written in its selectors. The API keeps taking ids; choosers are for pages.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from .actors import Actor, signed_in
from .ratelimit import client_key, count_hit, parse_rate

MAX_QUERY = 50  # characters of a typed query; names are shorter
MAX_OPTIONS = 12  # options shown while typing; more means "keep typing"
MAX_CANDIDATES = 10  # choices offered when a typed name is ambiguous
# A multiple chooser takes several names typed in one box: "北京、上海 浦东" (spaces stay inside one name).
SEPARATORS = re.compile(r"[,，、;；\n]+")


@dataclass(frozen=True)
class Choice:
    """One thing a person can choose: the value the form submits and what they read."""

    value: str
    label: str
    detail: str = ""  # a second line: the book of a lesson, the region of a university
    group: str = ""  # the heading it is listed under (books: 小学 · 语文 · 人教版)
    short: str = ""  # its name under that heading, in the plain list (七年级上册)
    exact: bool = False  # the typed text is this thing's name, alias or code (not only a prefix of it)
    obj: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class ChooserSource:
    """What can be chosen from one source, and by whom.

    ``allowed(actor)`` answers who may search it at all (the endpoint refuses the rest); ``search(actor, text,
    limit)`` lists what ``actor`` may choose matching ``text``; ``lookup(actor, values)`` returns the chosen values
    ``actor`` may choose (unknown and forbidden ones are simply missing).
    """

    name: str
    allowed: Callable[[Actor], bool]
    search: Callable[[Actor, str, int], list[Choice]]
    lookup: Callable[[Actor, Sequence[str]], list[Choice]]
    # Values look like this (ids are digits, region codes six digits): typed text that fits is tried as a value.
    value_pattern: str = r"\d{1,12}"
    placeholder: Any = ""
    # A short, grouped source (books) lists ``everything(actor)`` in a plain <select> with <optgroup>s for pages
    # without JavaScript; the script swaps it for the searchable box.
    everything: Callable[[Actor], list[Choice]] | None = None
    # What narrows it (``("book",)``), and the source narrowed to given values of those: ``scoped({"book": "12"})``
    # answers the same questions within that book. Values come from people: ``scoped`` ignores what it can't use.
    scope_names: tuple[str, ...] = ()
    scoped: Callable[[Mapping[str, str]], ChooserSource] | None = None


def source_within(source: ChooserSource, scope: Mapping[str, str]) -> ChooserSource:
    """``source`` narrowed to the given scope (only the names it knows, only values given)."""
    wanted = {name: str(value).strip() for name, value in scope.items() if name in source.scope_names and value}
    if not wanted or source.scoped is None:
        return source
    return replace(source.scoped(wanted), name=source.name, scope_names=(), scoped=None)


_SOURCES: dict[str, ChooserSource] = {}


def register_chooser(source: ChooserSource) -> None:
    """Make a source available to forms and to `/choose/<name>/` (called from an app's ``ready()``)."""
    _SOURCES[source.name] = source


def chooser_source(name: str) -> ChooserSource:
    return _SOURCES[name]


def resolve_text(source: ChooserSource, actor: Actor, text: str) -> list[Choice]:
    """What typed text means: a value (code or id) the actor may choose, else the exact names, else the matches.

    One element is a choice made; several are the candidates to offer; none means nothing fits.
    """
    text = " ".join(text.split())[:MAX_QUERY]
    if not text:
        return []
    if re.fullmatch(source.value_pattern, text):
        found = source.lookup(actor, [text])
        if found:
            return found[:1]
    matches = source.search(actor, text, MAX_CANDIDATES + 1)
    exact = [choice for choice in matches if choice.exact]
    if exact:
        return exact[:MAX_CANDIDATES]
    return matches[:MAX_CANDIDATES]


@dataclass
class ChooserInput:
    """What a chooser submitted: the chosen values (hidden input, radio or checkboxes) and the typed text."""

    values: list[str]
    text: str


@dataclass
class _Outcome:
    """What cleaning made of the input, kept so that a form shown again shows the same state."""

    chosen: list[Choice]
    candidates: list[Choice]
    text: str


class ChooserWidget(forms.Widget):
    template_name = "_chooser.html"

    def __init__(self, *, source: str, multiple: bool = False, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.source_name = source
        self.multiple = multiple
        self.actor: Actor = AnonymousUser()
        self.outcome: _Outcome | None = None
        self.scope: dict[str, str] = {}  # narrowing values the view gave, or the sibling fields' values
        self.scope_fields: dict[str, str] = {}  # scope name → the sibling field htmx sends along

    def source(self) -> ChooserSource:
        return source_within(chooser_source(self.source_name), self.scope)

    def value_from_datadict(self, data: Any, files: Any, name: str) -> ChooserInput:
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])
        if isinstance(values, str | int):
            values = [values]
        # Values never hold a separator: "110000,310000" (as an older form or a link sends it) is two of them.
        parts = [part.strip() for value in values for part in SEPARATORS.split(str(value))]
        return ChooserInput(values=[part for part in parts if part], text=str(data.get(f"{name}_q", "")))

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and f"{name}_q" not in data

    def _initial_values(self, value: Any) -> list[str]:
        if value in (None, ""):
            return []
        if isinstance(value, str):
            return [part for part in SEPARATORS.split(value) if part.strip()]
        items = value if isinstance(value, list | tuple) else [value]
        return [str(getattr(item, "pk", item)) for item in items if item not in (None, "")]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        source = self.source()
        fixed = {key: value for key, value in self.scope.items() if key not in self.scope_fields}
        if self.outcome is not None:
            chosen, candidates, text = self.outcome.chosen, self.outcome.candidates, self.outcome.text
        elif isinstance(value, ChooserInput):
            chosen, candidates, text = source.lookup(self.actor, value.values) if value.values else [], [], value.text
        else:
            values = self._initial_values(value)
            chosen, candidates, text = source.lookup(self.actor, values) if values else [], [], ""
        if not self.multiple and chosen and not text:
            text = chosen[0].label
        widget = context["widget"]
        widget_id = widget["attrs"].get("id") or f"id_{name}"
        widget.update(
            {
                "everything": choices_in_groups(source.everything(self.actor)) if source.everything else None,
                "id": widget_id,
                "multiple": self.multiple,
                "chosen": chosen,
                "candidates": candidates,
                "text": text,
                "url": reverse("chooser", args=[self.source_name]),
                # The sibling fields whose values narrow the options (the book chosen above), sent as they are now.
                "include": ", ".join(f"[name='{name}']" for name in self.scope_fields.values()),
                "vals": json.dumps(fixed) if fixed else "",
                "placeholder": widget["attrs"].pop("placeholder", "") or source.placeholder,
                "describedby": widget["attrs"].get("aria-describedby", ""),
                "invalid": widget["attrs"].get("aria-invalid", ""),
            }
        )
        return context

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> Any:
        # The project's template directory, not the form renderer's: the widget lives beside `_form.html`.
        from django.utils.safestring import mark_safe

        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))  # noqa: S308

    def id_for_label(self, id_: str) -> str:
        return id_


class ChooserField(forms.Field):
    """A form field whose value is chosen from a registered source; cleans to the object (a list if multiple)."""

    widget: ChooserWidget
    default_error_messages = {
        "unknown": _("没有找到“%(text)s”，请换个写法，或输入后从列表中选择"),
        "ambiguous": _("“%(text)s”对应多项，请在下面选择一项"),
        "invalid_choice": _("所选的一项不存在或您不能选择，请重新选择"),
    }

    def __init__(
        self,
        *,
        source: str,
        multiple: bool = False,
        placeholder: Any = "",
        within: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        self.source = source
        self.multiple = multiple
        # scope name → the sibling field whose value narrows this one (``{"book": "book"}``)
        self.within = dict(within or {})
        attrs = {"placeholder": placeholder} if placeholder else None
        kwargs["widget"] = ChooserWidget(source=source, multiple=multiple, attrs=attrs)
        super().__init__(**kwargs)
        self.actor: Actor = AnonymousUser()

    def bind_actor(self, actor: Actor) -> None:
        self.actor = actor
        self.widget.actor = actor

    def bind_scope(self, scope: Mapping[str, str], fields: Mapping[str, str] | None = None) -> None:
        """Narrow the choices to ``scope``; ``fields`` names the inputs that hold its values on the page."""
        self.widget.scope = {name: str(value) for name, value in scope.items() if value not in (None, "")}
        self.widget.scope_fields = dict(fields or {})

    def bound_data(self, data: Any, initial: Any) -> Any:
        return data

    def has_changed(self, initial: Any, data: Any) -> bool:
        return True

    def to_python(self, value: Any) -> Any:
        source = self.widget.source()
        if not isinstance(value, ChooserInput):  # an initial value or a test's plain id
            values = self.widget._initial_values(value)
            value = ChooserInput(values=values, text="")
        chosen: list[Choice] = []
        if value.values:
            wanted = list(dict.fromkeys(value.values))[: (50 if self.multiple else 1)]
            chosen = source.lookup(self.actor, wanted)
            if len(chosen) != len(wanted):
                self._remember(chosen, [], value.text)
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
            if not self.multiple:
                typed = " ".join(value.text.split())
                # Without JavaScript the hidden value of an earlier choice stays when the person types another
                # name: the text wins, unless it is what they chose or the name they picked it for (the list).
                if (
                    not typed
                    or typed == chosen[0].label
                    or chosen[0].value in {c.value for c in resolve_text(source, self.actor, typed)}
                ):
                    self._remember(chosen, [], value.text)
                    return chosen[0].obj
                chosen = []
        terms = [value.text] if not self.multiple else SEPARATORS.split(value.text)
        candidates: list[Choice] = []
        left: list[str] = []
        errors: list[ValidationError] = []
        for term in (t.strip() for t in terms):
            if not term:
                continue
            found = resolve_text(source, self.actor, term)
            if len(found) == 1:
                chosen.append(found[0])
            elif found:
                candidates += [c for c in found if c.value not in {k.value for k in candidates}]
                left.append(term)
                errors.append(
                    ValidationError(self.error_messages["ambiguous"], code="ambiguous", params={"text": term})
                )
            else:
                left.append(term)
                errors.append(ValidationError(self.error_messages["unknown"], code="unknown", params={"text": term}))
        chosen = list({choice.value: choice for choice in chosen}.values())
        self._remember(chosen, candidates, "、".join(left))
        if errors:
            raise ValidationError(errors)
        if self.multiple:
            return [choice.obj for choice in chosen]
        return chosen[0].obj if chosen else None

    def _remember(self, chosen: list[Choice], candidates: list[Choice], text: str) -> None:
        self.widget.outcome = _Outcome(chosen=chosen, candidates=candidates, text=text)

    def validate(self, value: Any) -> None:
        if self.required and value in (None, []):
            raise ValidationError(self.error_messages["required"], code="required")


class ChooserFormMixin:
    """A form with choosers: ``Form(data, actor=request.user)`` so each chooser offers only what the actor may."""

    def __init__(
        self, *args: Any, actor: Actor | None = None, scope: Mapping[str, str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for field_ in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field_, ChooserField):
                field_.bind_actor(actor if actor is not None else AnonymousUser())
                given = dict(scope or {})
                for scope_name, sibling in field_.within.items():
                    given.setdefault(scope_name, self._sibling_value(sibling))
                siblings = {key: self.add_prefix(sibling) for key, sibling in field_.within.items()}  # type: ignore[attr-defined]
                field_.bind_scope(given, siblings)

    def _sibling_value(self, name: str) -> str:
        """The value a sibling field was sent with (the chosen book's id), or its initial value."""
        if self.is_bound:  # type: ignore[attr-defined]
            data = self.data  # type: ignore[attr-defined]
            key = self.add_prefix(name)  # type: ignore[attr-defined]
            values = data.getlist(key) if hasattr(data, "getlist") else [data.get(key)]
            return next((str(value) for value in values if value not in (None, "")), "")
        initial = self.initial.get(name, self.fields[name].initial)  # type: ignore[attr-defined]
        return str(getattr(initial, "pk", initial) or "")


def choices_in_groups(choices: Iterable[Choice]) -> list[tuple[str, list[Choice]]]:
    """Choices under their headings, in order (consecutive choices with one heading share it)."""
    groups: list[tuple[str, list[Choice]]] = []
    for choice in choices:
        if groups and groups[-1][0] == choice.group:
            groups[-1][1].append(choice)
        else:
            groups.append((choice.group, [choice]))
    return groups


def _rate_limited(request: HttpRequest) -> int | None:
    """Seconds to wait when this visitor (signed-in person, else client address) asked for options too often.

    Typing asks at most every 200 ms, so even fast typing stays well under the default of 300 a minute
    (``CHOOSER_RATE``); a script walking the catalogue through the chooser does not."""
    limit, window = parse_rate(getattr(settings, "CHOOSER_RATE", "300/min"))
    user = getattr(request, "user", None)
    ident = f"user:{user.pk}" if user is not None and signed_in(user) else client_key(request)
    hits, retry_after = count_hit(f"chooser:{ident}", window)
    return retry_after if hits > limit else None


@require_safe
def chooser_options(request: HttpRequest, source: str) -> HttpResponse:
    """The options matching what a person typed, as an HTML fragment for the combobox's list."""
    retry_after = _rate_limited(request)
    if retry_after is not None:
        response = render(request, "_chooser_options.html", {"limited": True}, status=429)
        response["Retry-After"] = str(retry_after)
        response["Cache-Control"] = "private, no-store"
        return response
    found = _SOURCES.get(source)
    if found is None:
        return HttpResponse(status=404)
    if not found.allowed(request.user):
        return HttpResponseForbidden()
    found = source_within(found, {name: request.GET.get(name, "") for name in found.scope_names})
    typed = request.GET.get("q")
    if typed is None:  # htmx sends the text box under its own name, `<field>_q`
        typed = next((str(value) for key, value in request.GET.items() if key.endswith("_q")), "")
    text = " ".join(typed.split())[:MAX_QUERY]
    choices = found.search(request.user, text, MAX_OPTIONS) if text else []
    response = render(
        request, "_chooser_options.html", {"groups": choices_in_groups(choices), "text": text, "empty": not choices}
    )
    response["Cache-Control"] = "private, no-store"
    return response
