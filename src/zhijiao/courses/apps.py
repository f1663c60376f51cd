from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "zhijiao.courses"
    label = "courses"
    verbose_name = _("课程引擎")

    def ready(self) -> None:
        from zhijiao.core.choosers import register_chooser
        from zhijiao.search.registry import register

        from . import blocks
        from .search import CourseDocuments
        from .selectors.authoring import chooser_sources

        blocks.register_builtin_types()
        for source in chooser_sources():
            register_chooser(source)
        register(CourseDocuments())

        from zhijiao.accounts.services import identity_verified

        from . import tasks

        identity_verified.connect(tasks.on_identity_verified, dispatch_uid="courses.certificates")
