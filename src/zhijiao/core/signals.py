"""Every change made through the admin is also written to the append-only audit log."""

from typing import Any

from django.contrib.admin.models import LogEntry
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy

from .audit import audit_actions
from .services import audit_record

# What the audit log calls the actions recorded here.
AUDIT_ACTIONS = audit_actions(
    {
        "admin.add": gettext_lazy("在管理后台添加"),
        "admin.change": gettext_lazy("在管理后台修改"),
        "admin.delete": gettext_lazy("在管理后台删除"),
        "admin.other": gettext_lazy("管理后台的其他操作"),
    }
)


_ACTIONS = {1: "admin.add", 2: "admin.change", 3: "admin.delete"}


@receiver(post_save, sender=LogEntry, dispatch_uid="core.audit_admin_change")
def audit_admin_change(sender: type[LogEntry], instance: LogEntry, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    model = instance.content_type.model_class() if instance.content_type is not None else None
    audit_record(
        action=_ACTIONS.get(instance.action_flag, "admin.other"),
        actor=instance.user,
        object_type=model._meta.label_lower if model is not None else "",
        object_id=instance.object_id or "",
        object_repr=instance.object_repr,
        detail={"change": instance.get_change_message()},
    )
