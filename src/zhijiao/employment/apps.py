from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmploymentConfig(AppConfig):
    name = "zhijiao.employment"
    label = "employment"
    verbose_name = _("就业服务")

    def ready(self) -> None:
        from zhijiao.search.registry import register

        from .search import JobDocuments

        register(JobDocuments())
