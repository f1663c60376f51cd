from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "zhijiao.courses"
    label = "courses"
    verbose_name = _("课程引擎")

    def ready(self) -> None:
        from . import blocks

        blocks.register_builtin_types()

        from zhijiao.accounts.services import identity_verified

        from . import tasks

        identity_verified.connect(tasks.on_identity_verified, dispatch_uid="courses.certificates")
