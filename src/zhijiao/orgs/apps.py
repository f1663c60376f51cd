from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "zhijiao.orgs"
    label = "orgs"
    verbose_name = _("地区与机构")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from zhijiao.core.admin import allow_audit_log_readers
        from zhijiao.search.registry import register

        from . import choosers
        from .models import Membership, Organization
        from .search import OrganizationDocuments
        from .selectors import is_platform_admin, memberships_changed

        register(OrganizationDocuments())
        for model in (Membership, Organization):
            post_save.connect(memberships_changed, sender=model, dispatch_uid=f"orgs-held-{model.__name__}")
            post_delete.connect(memberships_changed, sender=model, dispatch_uid=f"orgs-held-del-{model.__name__}")
        allow_audit_log_readers(is_platform_admin)
        choosers.register()
