from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "zhijiao.cases"
    label = "cases"
    verbose_name = _("专业学位案例库")

    def ready(self) -> None:
        from zhijiao.courses.blocks import register as register_block
        from zhijiao.search.registry import register

        from .blocks import CaseBlock
        from .search import CaseDocuments

        register_block(CaseBlock())
        register(CaseDocuments())
