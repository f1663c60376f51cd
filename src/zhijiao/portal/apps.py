from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "zhijiao.portal"
    label = "portal"
    verbose_name = _("门户")

    def ready(self) -> None:
        from zhijiao.search.registry import register

        from . import signals  # noqa: F401
        from .search import ArticleDocuments, TopicDocuments

        register(ArticleDocuments())
        register(TopicDocuments())
