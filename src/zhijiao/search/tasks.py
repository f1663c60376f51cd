"""Background work of the search: keep documents in sync after writes commit, rebuild on request."""

from django.tasks import task

from zhijiao.core.workers import idempotent

from . import services


@idempotent
@task()
def index_document(kind: str, object_id: str) -> bool:
    """(Re)build one object's document, or remove it if the object is gone or no longer findable."""
    return services.document_sync(kind=kind, object_id=object_id)


@idempotent
@task()
def remove_document(kind: str, object_id: str) -> bool:
    """Remove one deleted object's document."""
    return services.document_remove(kind=kind, object_id=object_id)


@idempotent
@task()
def reindex_documents(kind: str | None = None) -> int:
    """Rebuild the whole index (or one type's part), e.g. after staff added dictionary words."""
    return services.reindex(kind=kind).documents
