from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "zhijiao.cases"
    label = "cases"
    verbose_name = _("专业学位案例库")

    def ready(self) -> None:
        from zhijiao.courses.blocks import register as register_block
        from zhijiao.reviews import kinds
        from zhijiao.search.registry import register

        from .blocks import CaseBlock
        from .intake import CaseIntakeForm, accept_case_submission
        from .search import CaseDocuments

        register_block(CaseBlock())
        register(CaseDocuments())
        # Cases enter the library through expert review: an accepted submission becomes a case with its 入库编号.
        kinds.register(
            kinds.ReviewKind(
                code="case_intake",
                label=_("案例入库"),
                accession_prefix="CASE",
                metadata_form=CaseIntakeForm,
                on_accept=accept_case_submission,
            )
        )
