"""Writes of the search index: one object's document, batches of documents, full rebuilds, staff terms."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import translation

from zhijiao.core import tokenizer
from zhijiao.core.bulk import insert_rows

from .backends import PRIVATE_TAG, Row, backend, tag
from .models import SearchDocument, SearchFilterValue, SearchTerm
from .registry import PUBLIC, Document, document_type, document_types

# The body is indexed and kept for snippets up to this many characters.
BODY_LIMIT = 20_000
REINDEX_BATCH = 2000


def index_later(kind: str, object_id: Any, *, at: datetime | None = None) -> None:
    """After the current transaction commits, (re)build the indexed document of one object.

    Call it from the service that changed the object, inside its transaction; a rolled back change enqueues
    nothing. The task asks the type's ``to_document`` again, so an object that became unpublished is removed.

    ``at``: rebuild it at that time instead (a scheduled article falls due and becomes public). Only a task backend
    that can defer tasks (``supports_defer``: the database queue) can wait; on one that cannot (the immediate
    backend of tests) a rebuild ``at`` a time is not enqueued, and the next write or ``reindex`` catches up.
    """
    from .tasks import index_document

    document_type(kind)  # fail early, in the caller's test, on a typo
    object_id = str(object_id)
    if at is None:
        transaction.on_commit(lambda: index_document.enqueue(kind=kind, object_id=object_id))
    elif index_document.get_backend().supports_defer:
        transaction.on_commit(lambda: index_document.using(run_after=at).enqueue(kind=kind, object_id=object_id))


def remove_later(kind: str, object_id: Any) -> None:
    """After the current transaction commits, remove one object's document from the index (it was deleted)."""
    from .tasks import remove_document

    document_type(kind)
    object_id = str(object_id)
    transaction.on_commit(lambda: remove_document.enqueue(kind=kind, object_id=object_id))


def document_deleted(sender: object, *, kind: str, object_id: Any, **kwargs: Any) -> None:
    """Receiver of ``registry.document_deleted`` (connected in ``SearchConfig.ready()``): an indexed object was
    deleted anywhere (admin, cascade, shell), so its document goes after commit."""
    remove_later(kind, object_id)


def index_now(kind: str, object_id: Any) -> bool:
    """Rebuild one object's document at once; True when it is in the index afterwards."""
    return document_sync(kind=kind, object_id=str(object_id))


def filter_rows(document: Document) -> list[tuple[str, str]]:
    """The (name, value) rows of a document: platform and type (for facets), declared filters, audience keys."""
    return [
        ("platform", document.platform),
        ("type", document.kind),
        *document.filter_pairs(),
        *(("audience", key) for key in document.audience()),
    ]


def _row(document_id: int, document: Document) -> Row:
    return Row(
        document_id=document_id,
        title=tokenizer.segment(document.title),
        body=tokenizer.segment(document.body[:BODY_LIMIT]),
        pinyin=" ".join(tokenizer.pinyin_tokens(document.title)),
        tags=[tag(name, value) for name, value in filter_rows(document)]
        + ([tag(*PRIVATE_TAG)] if document.visibility != PUBLIC else []),
    )


def _model(document: Document) -> SearchDocument:
    return SearchDocument(
        kind=document.kind,
        object_id=document.object_id,
        title=document.title[:300],
        body=document.body[:BODY_LIMIT],
        url=document.url[:300],
        platform=document.platform,
        type_label=str(document.type_label)[:40],
        filters=document.filters,
        date=document.date,
        popularity=document.popularity,
        is_public=document.visibility == PUBLIC,
        audience=document.audience(),
    )


def _existing_ids(documents: Sequence[Document]) -> list[int]:
    by_kind: dict[str, list[str]] = {}
    for document in documents:
        by_kind.setdefault(document.kind, []).append(document.object_id)
    ids: list[int] = []
    for kind, object_ids in by_kind.items():
        for start in range(0, len(object_ids), 500):
            chunk = object_ids[start : start + 500]
            ids += SearchDocument.objects.filter(kind=kind, object_id__in=chunk).values_list("id", flat=True)
    return ids


@transaction.atomic
def documents_write(*, documents: Sequence[Document], replace: bool = True) -> int:
    """Put documents into the index in one go (bulk inserts); ``replace=False`` when none is there yet."""
    if not documents:
        return 0
    engine = backend()
    if replace:
        stale = _existing_ids(documents)
        if stale:
            engine.delete(stale)
            for start in range(0, len(stale), 500):
                SearchDocument.objects.filter(id__in=stale[start : start + 500]).delete()
    created = SearchDocument.objects.bulk_create([_model(document) for document in documents])
    # Some 40,000 rows per batch of 2,000 documents: one executemany, not 40,000 model instances.
    insert_rows(
        SearchFilterValue,
        ("document", "name", "value"),
        [
            (model.pk, name, value[:100])
            for model, document in zip(created, documents, strict=True)
            for name, value in filter_rows(document)
        ],
    )
    engine.write([_row(model.pk, document) for model, document in zip(created, documents, strict=True)])
    return len(created)


@transaction.atomic
def document_remove(*, kind: str, object_id: str) -> bool:
    """Take one object's document out of the index; True if there was one."""
    ids = list(SearchDocument.objects.filter(kind=kind, object_id=str(object_id)).values_list("id", flat=True))
    if not ids:
        return False
    backend().delete(ids)
    SearchDocument.objects.filter(id__in=ids).delete()
    return True


def document_sync(*, kind: str, object_id: str) -> bool:
    """Make the index agree with one object as it is now; True when it is in the index afterwards."""
    doc_type = document_type(kind)
    obj = doc_type.get_object(object_id)
    with translation.override(None):  # labels are stored as their msgids and translated when shown
        document = doc_type.to_document(obj) if obj is not None else None
    if document is None:
        document_remove(kind=kind, object_id=object_id)
        return False
    documents_write(documents=[document])
    return True


@dataclass
class ReindexReport:
    documents: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.documents / self.seconds if self.seconds > 0 else 0.0


def reindex_total(kind: str | None = None) -> int:
    """How many objects a rebuild of ``kind`` (or of everything) walks through."""
    kinds = [document_type(kind)] if kind else document_types()
    return sum(doc_type.queryset().count() for doc_type in kinds)


def reindex(
    *, kind: str | None = None, batch_size: int = REINDEX_BATCH, progress: Callable[[int], None] | None = None
) -> ReindexReport:
    """Rebuild the index of one document type (or of all) from the database; ``progress(n)`` after each batch."""
    tokenizer.reset()  # read the dictionaries and staff terms afresh
    started = time.monotonic()
    kinds = [document_type(kind)] if kind else document_types()
    written = 0
    for doc_type in kinds:
        with transaction.atomic():
            backend().delete_kind(doc_type.kind)
            SearchDocument.objects.filter(kind=doc_type.kind).delete()
        last_pk = None
        while True:
            batch_qs = doc_type.queryset().order_by("pk")
            if last_pk is not None:
                batch_qs = batch_qs.filter(pk__gt=last_pk)
            objects = list(batch_qs[:batch_size])
            if not objects:
                break
            last_pk = objects[-1].pk
            with translation.override(None):
                documents = [document for obj in objects if (document := doc_type.to_document(obj)) is not None]
            written += documents_write(documents=documents, replace=False)
            if progress is not None:
                progress(len(objects))
    if kind is None:  # documents of types no longer registered
        known = [doc_type.kind for doc_type in kinds]
        with transaction.atomic():
            orphans = SearchDocument.objects.filter(~Q(kind__in=known))
            backend().delete(orphans.values_list("id", flat=True))
            orphans.delete()
    return ReindexReport(documents=written, seconds=time.monotonic() - started)


def search_terms_learn(*, words: Iterable[str]) -> None:
    """Teach this process's tokenizer staff's new words (other processes read them when they start)."""
    tokenizer.add_words(words)


@transaction.atomic
def search_term_save(*, term: SearchTerm) -> SearchTerm:
    """Staff add or change a dictionary word; it is used for searches at once, for indexed text after a reindex."""
    term.word = tokenizer.normalize(term.word.strip())
    term.full_clean()
    term.save()
    transaction.on_commit(lambda: search_terms_learn(words=[term.word]))
    return term


def reindex_later(*, kind: str | None = None) -> None:
    """Rebuild the index in the task worker after the current transaction commits."""
    from .tasks import reindex_documents

    transaction.on_commit(lambda: reindex_documents.enqueue(kind=kind))
