from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "zhijiao.courses"
    label = "courses"
    verbose_name = _("课程引擎")

    def ready(self) -> None:
        from zhijiao.search.registry import register

        from . import blocks
        from .search import CourseDocuments

        blocks.register_builtin_types()
        register(CourseDocuments())
