from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "zhijiao.search"
    label = "search"
    verbose_name = _("搜索")

    def ready(self) -> None:
        from zhijiao.core import tokenizer

        from . import services
        from .dictionary import DICTIONARY_PATH, staff_terms
        from .registry import document_deleted

        tokenizer.configure(dictionaries=[DICTIONARY_PATH], term_loader=staff_terms)
        document_deleted.connect(services.document_deleted, dispatch_uid="search.document_deleted")
        post_migrate.connect(prune_text_table, sender=self, dispatch_uid="search.prune_text_table")


def prune_text_table(using: str = "default", **kwargs: Any) -> None:
    """The full-text table is not a model, so ``flush`` (and tests that flush) cannot empty it; after every
    migrate/flush its rows without a document are dropped, keeping counts right."""
    from django.db import connections

    from .backends import backend

    connection = connections[using]
    if (
        connection.vendor in {"sqlite", "postgresql"}
        and "search_searchdocument" in connection.introspection.table_names()
    ):
        backend().prune()
