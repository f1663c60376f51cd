from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionConfig(AppConfig):
    name = "zhijiao.discussion"
    label = "discussion"
    verbose_name = _("课程讨论与答疑")

    def ready(self) -> None:
        from zhijiao.courses.blocks import register as register_block
        from zhijiao.search.registry import register, register_audience

        from .blocks import DiscussionBlock
        from .search import ThreadDocuments, run_audience
        from .services import participated
        from .services.grading import on_participated

        register_block(DiscussionBlock())
        register(ThreadDocuments())
        register_audience(run_audience)
        participated.connect(on_participated, dispatch_uid="discussion.participation_score")
