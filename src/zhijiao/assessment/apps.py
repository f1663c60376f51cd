from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "zhijiao.assessment"
    label = "assessment"
    verbose_name = _("测验与题库")

    def ready(self) -> None:
        from . import question_types

        question_types.register_builtin_types()

        from . import blocks, signals, tasks  # noqa: F401  (tasks registers the periodic sweep of timed-out attempts)

        blocks.register_block_types()
