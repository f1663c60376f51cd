from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmploymentConfig(AppConfig):
    name = "zhijiao.employment"
    label = "employment"
    verbose_name = _("就业服务")

    def ready(self) -> None:
        from zhijiao.credentials.verification import register_verifier
        from zhijiao.search.registry import register

        from .search import JobDocuments
        from .selectors.agreements import agreement_verification

        register(JobDocuments())
        # Agreement codes come from the credentials kernel's generator and are checked at /verify/ like every code.
        register_verifier(
            "employment.agreement", agreement_verification, valid_text=_("验证通过"), issued_label=_("创建日期")
        )
