"""The task queue's app, under a name in the reader's language (the package names it in English only)."""

from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class TasksConfig(TasksAppConfig):
    default = False
    verbose_name = _("后台任务")  # type: ignore[assignment]  # a lazy name, read in the reader's language
