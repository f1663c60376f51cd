from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "zhijiao.hall.records"
    label = "records"
    verbose_name = _("学历学位")

    def ready(self) -> None:
        from zhijiao.credentials.models import Credential
        from zhijiao.credentials.verification import register_verifier

        # A report is a credential of kind "academic": the kernel's own lookup finds it (one query); the records
        # say only how its result reads.
        register_verifier(Credential.Kind.ACADEMIC, valid_text=_("验证通过：报告有效"), issued_label=_("报告生成日期"))
