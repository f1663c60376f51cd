import atexit

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class K12Config(AppConfig):
    name = "zhijiao.k12"
    label = "k12"
    verbose_name = _("中小学")

    def ready(self) -> None:
        from zhijiao.core.choosers import register_chooser
        from zhijiao.search.registry import register

        from .search import LessonDocuments, ResourceDocuments
        from .selectors import chooser_sources
        from .services import scans_flush

        register(ResourceDocuments())
        register(LessonDocuments())
        for source in chooser_sources():
            register_chooser(source)
        # Scan counts are buffered in memory for a few seconds: write what is left when the process ends.
        atexit.register(scans_flush)
