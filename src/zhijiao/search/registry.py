"""The search registry: how an app makes its objects findable in the unified search.

An app describes each kind of object it wants found as a :class:`DocumentType` and registers it from its
``AppConfig.ready()``::

    # employment/search.py
    from zhijiao.search.registry import PUBLIC, Document, DocumentType, FilterField, register

    class JobDocuments(DocumentType):
        kind = "employment.job"
        model = Job
        label = _("岗位")
        filters = (FilterField("region", _("地区")), FilterField("industry", _("行业")))

        def queryset(self):
            return Job.objects.select_related("employer")

        def to_document(self, job):
            if not job.is_open():
                return None                       # closed jobs are not in the index
            return Document(
                kind=self.kind, object_id=str(job.pk), title=job.title, body=job.description,
                platform=Platform.EMPLOYMENT, type_label=str(self.label), url=job.get_absolute_url(),
                filters={"region": region_with_ancestors(job.region_id), "industry": job.industry},
                date=job.published_at, popularity=job.view_count, visibility=PUBLIC,
            )

    # employment/apps.py
    def ready(self):
        from zhijiao.search.registry import register
        from .search import JobDocuments
        register(JobDocuments())

Then every service that changes a job calls ``zhijiao.search.services.index_later("employment.job", job.pk)`` (or
``remove_later`` when it deletes one) inside its transaction; after commit a task rebuilds (or deletes) the indexed
document. Deleting a registered object anywhere removes its document without a call (see :func:`register`).
``zhijiao reindex --kind employment.job`` rebuilds all of them.

**Visibility.** ``Document.visibility`` is either :data:`PUBLIC` (everybody, signed in or not) or a list of
audience keys. A person sees a document when one of *their* keys (:func:`audience_keys`) is in the document's
list. The keys are:

- ``"authenticated"``: anyone signed in;
- ``"staff"``: staff users (``is_staff``); superusers see every document;
- ``"user:<id>"``: one person;
- ``"org:<id>"``: active members of one organisation;
- ``"role:<role>"``: anyone with an active membership of that role (``orgs.models.Role`` values);
- keys an app adds with :func:`register_audience` (the discussion app adds ``"discussion.run:<id>"`` for the runs a
  person learns in or teaches, so a forum's threads are found by that run's members only).

An object nobody may see yet (a draft, an unpublished article) is best left out of the index altogether:
``to_document`` returns ``None``. Visibility is applied in the SQL of the search itself, so totals, facets and
pages are always counted over what the person may see.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import Signal
from django.utils.functional import Promise

from zhijiao.core.actors import Actor, signed_in

if TYPE_CHECKING:
    from django.db.models import QuerySet

PUBLIC = "public"
AUTHENTICATED = "authenticated"
STAFF = "staff"
# Filter names every document has without declaring them (columns of the index, not declared fields).
BUILTIN_FILTERS = ("platform", "type")


@dataclass
class Document:
    """What the index holds about one object: the text to match, what to show, and how to filter it."""

    kind: str  # the registered DocumentType.kind, e.g. "portal.article"
    object_id: str
    title: str
    body: str
    platform: str  # a portal.models.Platform value
    type_label: str  # shown as a badge: "文章", "学校" …
    url: str
    # Values of the type's declared filter fields; a list means "any of these" (a district and its city
    # and province, so a province filter finds it).
    filters: dict[str, str | list[str]] = field(default_factory=dict)
    date: datetime | None = None  # aware; sorts "newest"
    popularity: float = 0.0  # sorts "popular"; views, applications, … whatever the type counts
    visibility: str | list[str] = PUBLIC  # PUBLIC or a list of audience keys (see the module docstring)

    def audience(self) -> list[str]:
        """The audience keys of a non-public document ([] for a public one)."""
        if self.visibility == PUBLIC:
            return []
        return sorted(set(self.visibility))

    def filter_pairs(self) -> list[tuple[str, str]]:
        """(name, value) pairs of the declared filters, one per value, without empties."""
        pairs: list[tuple[str, str]] = []
        for name, value in self.filters.items():
            values = value if isinstance(value, list | tuple) else [value]
            pairs.extend((name, str(item)) for item in dict.fromkeys(values) if item not in (None, ""))
        return pairs


@dataclass(frozen=True)
class FilterField:
    """A filter a document type declares: its name in URLs (``?region=110000``) and its label on facets.

    ``value_labels`` turns stored values into what people read on a facet (a region code into its name); by
    default a value is shown as it is stored.
    """

    name: str
    label: str | Promise
    value_labels: Any = None  # Callable[[Iterable[str]], dict[str, str]] | None

    def labels_for(self, values: Iterable[str]) -> dict[str, str]:
        values = list(values)
        if self.value_labels is None:
            return {value: value for value in values}
        labels = self.value_labels(values)
        return {value: str(labels.get(value, value)) for value in values}


class DocumentType:
    """One kind of findable object. Subclass it, set the class attributes, implement the two methods."""

    kind: ClassVar[str]  # "<app_label>.<name>", unique
    model: ClassVar[type[models.Model]]
    label: ClassVar[str | Promise]  # the type's name on facets ("文章")
    filters: ClassVar[Sequence[FilterField]] = ()

    def queryset(self) -> QuerySet[Any]:
        """Every object that may be indexed, for full rebuilds (select_related what to_document reads)."""
        return self.model._default_manager.all()

    def to_document(self, obj: Any) -> Document | None:
        """The document for ``obj``, or None when it must not be in the index (unpublished, deleted …)."""
        raise NotImplementedError

    def get_object(self, object_id: str) -> Any | None:
        """The object behind an id, or None if it no longer exists."""
        return self.queryset().filter(pk=object_id).first()

    def filter_field(self, name: str) -> FilterField | None:
        return next((item for item in self.filters if item.name == name), None)


_registry: dict[str, DocumentType] = {}


def register(doc_type: DocumentType) -> DocumentType:
    """Make a document type known to the search; call it from the app's ``AppConfig.ready()``."""
    kind = doc_type.kind
    existing = _registry.get(kind)
    if existing is not None and type(existing) is not type(doc_type):
        raise ValueError(f"search document kind {kind!r} is registered twice")
    _registry[kind] = doc_type
    # Deleting the object anywhere (admin, cascade, shell) takes its document out of the index: the registry says
    # which kinds went (document_deleted), search.services removes them. The receiver is connected per registered
    # model, not to every model: a post_delete receiver without a sender would stop Django's fast deletes.
    post_delete.connect(_object_deleted, sender=doc_type.model, dispatch_uid=f"search.deleted.{kind}")
    return doc_type


# Sent with ``kind`` and ``object_id`` when an object of a registered type is deleted; search's AppConfig.ready()
# connects search.services.document_deleted to it, which removes the document after commit.
document_deleted = Signal()


def _object_deleted(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    for doc_type in _registry.values():
        if doc_type.model is sender:
            document_deleted.send(sender=DocumentType, kind=doc_type.kind, object_id=instance.pk)


def document_types() -> list[DocumentType]:
    """Every registered type, in registration order."""
    return list(_registry.values())


def document_type(kind: str) -> DocumentType:
    """The registered type called ``kind``; KeyError for an unknown one."""
    return _registry[kind]


def declared_filters() -> dict[str, FilterField]:
    """Every filter field any registered type declares, by name (the first declaration's label wins)."""
    fields: dict[str, FilterField] = {}
    for doc_type in _registry.values():
        for item in doc_type.filters:
            fields.setdefault(item.name, item)
    return fields


# --- Audiences -------------------------------------------------------------------------------------------


_audience_providers: list[Callable[[Any], Iterable[str]]] = []


def register_audience(provider: Callable[[Any], Iterable[str]]) -> None:
    """Add the audience keys an app knows for a signed-in person (called with the user on every search; keep it to
    one query). Call it from the app's ``AppConfig.ready()``; registering the same provider twice is harmless."""
    if provider not in _audience_providers:
        _audience_providers.append(provider)


def audience_keys(user: Actor | None) -> set[str] | None:
    """The audience keys a person carries (see the module docstring); None means "sees every document".

    Visitors (and deactivated accounts) carry none: they see public documents only.
    """
    if not signed_in(user):
        return set()
    if user.is_superuser:
        return None
    keys = {AUTHENTICATED, f"user:{user.pk}"}
    if user.is_staff:
        keys.add(STAFF)
    from zhijiao.orgs.models import Membership

    for organization_id, role in Membership.objects.filter(user=user, is_active=True).values_list(
        "organization_id", "role"
    ):
        keys.add(f"org:{organization_id}")
        keys.add(f"role:{role}")
    for provider in _audience_providers:
        keys.update(provider(user))
    return keys
