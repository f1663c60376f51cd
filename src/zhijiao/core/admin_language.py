"""The staff screens in the reader's language where Django and the task queue write English of their own.

- A yes/no column's icon carries its value as the text a screen reader reads out; Django writes it as Python's
  ``True``/``False``.
- A permission is stored with an English sentence made when the tables were created ("Can add 专题"): a group's
  permission picker names each one from its model and action instead, in the reader's language.
- The task queue's screens name their columns in English and have no Chinese catalogue: its field names are in the
  project's hand-kept zh_Hans catalogue, and its two computed columns are named here.
"""

from typing import Any

from django.contrib import admin
from django.contrib.admin.templatetags import admin_list
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group, Permission
from django.db.models import ManyToManyField
from django.forms import ModelMultipleChoiceField
from django.http import HttpRequest
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

_ICONS = {True: "yes", False: "no", None: "unknown"}


def _boolean_icon(field_val: bool | None) -> SafeString:
    words = {True: gettext("是"), False: gettext("否"), None: gettext("未知")}
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{_ICONS[field_val]}.svg"), words[field_val])


# Django's list and detail views look the function up on this module each time they draw a yes/no value.
admin_list._boolean_icon = _boolean_icon  # type: ignore[attr-defined]

_ACTIONS = {"add": _("添加"), "change": _("修改"), "delete": _("删除"), "view": _("查看")}


def permission_label(permission: Permission) -> str:
    """ "门户 | 专题 | 添加": the model (as its app and itself are called in the reader's language) and the action."""
    model = permission.content_type.model_class()
    action, _sep, rest = permission.codename.partition("_")
    if model is None:
        return str(permission)
    where = f"{model._meta.app_config.verbose_name} | {model._meta.verbose_name}"
    if action in _ACTIONS and rest == model._meta.model_name:
        return f"{where} | {_ACTIONS[action]}"
    return f"{where} | {permission.name}"


admin.site.unregister(Group)


@admin.register(Group)
class LabelledGroupAdmin(GroupAdmin):
    def formfield_for_manytomany(
        self, db_field: ManyToManyField, request: HttpRequest | None = None, **kwargs: Any
    ) -> ModelMultipleChoiceField | None:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "permissions" and isinstance(field, ModelMultipleChoiceField):
            field.label_from_instance = permission_label  # type: ignore[method-assign,assignment]
        return field


admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    list_display = ("id", "task", *DBTaskResultAdmin.list_display[2:])

    @admin.display(description=_("任务"), ordering="task_path")
    def task(self, obj: DBTaskResult) -> str:
        return obj.task_path

    @admin.display(description=_("错误追踪"))
    def formatted_traceback(self, obj: DBTaskResult) -> str:
        return super().formatted_traceback(obj)

    @admin.display(description=_("最早执行时间"))
    def display_run_after(self, obj: DBTaskResult) -> Any:
        return super().display_run_after(obj)
