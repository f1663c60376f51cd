"""Reads of the search: one search, suggestions while typing, and the filters a search accepts.

Who may see what is part of the SQL of the search (audience keys, see ``registry``), so the total, the facets and
every page are counted over the documents the person may open.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijiao.core import tokenizer
from zhijiao.core.actors import Actor
from zhijiao.core.platforms import Platform

from . import backends
from .backends import FACET_SAMPLE, SORTS, Match, backend
from .highlight import highlight, snippet
from .models import SearchDocument
from .query import ParsedQuery, clean_text, parse
from .registry import FilterField, audience_keys, declared_filters, document_types

MAX_LIMIT = 50
MAX_OFFSET = 1000  # deeper pages than this are refused: refine the query instead
FACET_VALUES = 10
SUGGESTION_LIMIT = 8
SORT_LABELS = {"relevance": gettext_lazy("相关度"), "newest": gettext_lazy("最新"), "popular": gettext_lazy("最热")}
# Parameters of the page and the API that are not filters.
RESERVED = frozenset({"q", "sort", "page", "limit", "offset"})


@dataclass
class Hit:
    document: SearchDocument
    title_html: SafeString
    snippet_html: SafeString
    platform_label: str


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    values: list[FacetValue]


@dataclass
class SearchResult:
    query: ParsedQuery
    filters: dict[str, str]
    sort: str
    limit: int
    offset: int
    total: int = 0
    # False when there were more matches than backends.RANK_CAP: ``total`` is then that cap (a lower bound).
    total_exact: bool = True
    hits: list[Hit] = field(default_factory=list)
    facets: list[Facet] = field(default_factory=list)
    # False when the facets were counted over the first FACET_SAMPLE matches only (counts are then lower bounds).
    facets_exact: bool = True


def filter_fields() -> dict[str, FilterField]:
    """Every filter a search accepts: platform, type, and each filter a registered type declares."""
    fields = {
        "platform": FilterField("platform", gettext_lazy("平台"), lambda values: dict(Platform.choices)),
        "type": FilterField(
            "type",
            gettext_lazy("类型"),
            lambda values: {doc_type.kind: doc_type.label for doc_type in document_types()},
        ),
    }
    fields.update(declared_filters())
    return fields


def clean_filters(params: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The filters of a query string, and messages per refused parameter (unknown names, unknown values)."""
    fields = filter_fields()
    kinds = {doc_type.kind for doc_type in document_types()}
    filters: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for name in params:
        if name in RESERVED:
            continue
        value = str(params.get(name) or "").strip()[:100]
        if name not in fields:
            errors[name] = [_("未知的筛选条件")]
        elif not value:
            continue
        elif name == "platform" and value not in Platform.values:
            errors[name] = [_("未知的平台：%(value)s") % {"value": value}]
        elif name == "type" and value not in kinds:
            errors[name] = [_("未知的内容类型：%(value)s") % {"value": value}]
        else:
            filters[name] = value
    return filters, errors


def clean_sort(value: str | None) -> str | None:
    """A known sort, or None."""
    value = value or "relevance"
    return value if value in SORTS else None


def _match(*, actor: Actor, query: ParsedQuery, filters: Mapping[str, str]) -> Match:
    keys = audience_keys(actor)
    return Match(
        terms=list(query.terms),
        phrases=[list(phrase) for phrase in query.phrases],
        excluded=[list(words) for words in query.excluded],
        filters=list(filters.items()),
        audience=None if keys is None else sorted(keys),
    )


def _facets(counts: list[tuple[str, str, int]], filters: Mapping[str, str]) -> list[Facet]:
    by_name: dict[str, list[tuple[str, int]]] = {}
    for name, value, count in counts:
        by_name.setdefault(name, []).append((value, count))
    facets = []
    for name, field_ in filter_fields().items():
        values = sorted(by_name.get(name, []), key=lambda item: (-item[1], item[0]))[:FACET_VALUES]
        if not values:
            continue
        labels = field_.labels_for([value for value, _count in values])
        facets.append(
            Facet(
                name=name,
                label=str(field_.label),
                values=[
                    FacetValue(value=value, label=labels[value], count=count, selected=filters.get(name) == value)
                    for value, count in values
                ],
            )
        )
    return facets


def search(
    *,
    actor: Actor,
    q: str | None,
    filters: Mapping[str, str] | None = None,
    sort: str = "relevance",
    limit: int = 20,
    offset: int = 0,
    with_facets: bool = True,
) -> SearchResult:
    """One search over every platform's documents the actor may open; filters must be cleaned already."""
    filters = dict(filters or {})
    if sort not in SORTS:
        raise ValidationError({"sort": [_("未知的排序方式")]})
    limit = max(1, min(int(limit), MAX_LIMIT))
    offset = max(0, min(int(offset), MAX_OFFSET))
    query = parse(q)
    result = SearchResult(query=query, filters=filters, sort=sort, limit=limit, offset=offset)
    if query.is_empty:
        return result
    match = _match(actor=actor, query=query, filters=filters)
    engine = backend()
    cap = backends.RANK_CAP
    facet_ids: list[int] | None = None
    if sort == "relevance":
        # One pass: count, order, page and the facets' sample all come from the same candidates.
        total, found = engine.candidates(match, cap=cap, keep=max(offset + limit, FACET_SAMPLE if with_facets else 0))
        result.total_exact = total <= cap
        result.total = min(total, cap)
        ids = found[offset : offset + limit]
        facet_ids = found[:FACET_SAMPLE]
    else:
        total = engine.count(match, cap=cap)
        result.total_exact = total <= cap
        result.total = min(total, cap)
        ids = engine.ids(match, sort=sort, limit=limit, offset=offset) if total else []
    if not result.total:
        return result
    documents = SearchDocument.objects.in_bulk(ids)
    platforms = dict(Platform.choices)
    words = query.highlight_words
    for document_id in ids:
        document = documents.get(document_id)
        if document is None:
            continue
        result.hits.append(
            Hit(
                document=document,
                title_html=highlight(document.title, words),
                snippet_html=snippet(document.body, words),
                platform_label=str(platforms.get(document.platform, document.platform)),
            )
        )
    if with_facets:
        counts = engine.facet_counts(match) if facet_ids is None else engine.facet_counts_of(facet_ids)
        result.facets = _facets(counts, filters)
        result.facets_exact = result.total_exact and result.total <= FACET_SAMPLE
    return result


@dataclass
class Suggestion:
    title: str
    url: str
    type_label: str


def suggest(
    *, actor: Actor, q: str | None, platform: str | None = None, limit: int = SUGGESTION_LIMIT
) -> list[Suggestion]:
    """Titles starting with what is being typed (its last word as a prefix; pinyin too), most popular first."""
    text, _cut = clean_text(q)
    words = tokenizer.query_tokens(text.replace('"', " "))
    if not words:
        return []
    *complete, last = words
    keys = audience_keys(actor)
    match = Match(
        terms=complete,
        prefix=last,
        filters=[("platform", platform)] if platform in Platform.values else [],
        audience=None if keys is None else sorted(keys),
    )
    ids = backend().suggest_ids(match, limit=limit)
    documents = SearchDocument.objects.in_bulk(ids)
    return [
        Suggestion(title=documents[i].title, url=documents[i].url, type_label=documents[i].type_label)
        for i in ids
        if i in documents
    ]
