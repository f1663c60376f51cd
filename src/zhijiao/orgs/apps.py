from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "zhijiao.orgs"
    label = "orgs"
    verbose_name = _("地区与机构")

    def ready(self) -> None:
        from zhijiao.core.admin import allow_audit_log_readers
        from zhijiao.search.registry import register

        from . import choosers
        from .search import OrganizationDocuments
        from .selectors import is_platform_admin

        register(OrganizationDocuments())
        allow_audit_log_readers(is_platform_admin)
        choosers.register()
