from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Every table carries when it was made and last changed."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class AuditLogQuerySet(models.QuerySet["AuditLog"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("audit log entries cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit log entries cannot be deleted")


class AuditLog(models.Model):
    """One thing somebody did that must be answerable later: append-only.

    The application never updates or deletes a row: the model and its queryset refuse, the admin offers
    neither, and on PostgreSQL a trigger refuses UPDATE and DELETE even from raw SQL.
    """

    class Result(models.TextChoices):
        SUCCESS = "success", _("成功")
        FAILURE = "failure", _("失败")
        DENIED = "denied", _("拒绝")

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        # The entry outlives the account: it keeps the id and the label it had.
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    actor_label = models.CharField(_("操作人标识"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    result = models.CharField(_("结果"), max_length=16, choices=Result.choices, default=Result.SUCCESS)
    ip_hash = models.CharField(_("来源（散列）"), max_length=16, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    objects: ClassVar[models.Manager["AuditLog"]] = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["actor", "-at"])]

    def __str__(self) -> str:
        from .audit import audit_action_label

        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label} {audit_action_label(self.action)} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("audit log entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit log entries cannot be deleted")


class ScheduledRun(models.Model):
    """One due run of a periodic task (core.schedule): the unique (name, slot) lets only one scheduler enqueue it."""

    name = models.CharField(_("任务"), max_length=100)
    slot = models.BigIntegerField(_("时段"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("定时任务记录")
        verbose_name_plural = _("定时任务记录")
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="core_scheduled_run_unique_slot")]

    def __str__(self) -> str:
        return f"{self.name} #{self.slot}"


class WorkerHeartbeat(models.Model):
    """A running task worker (`zhijiao worker`), stamped every ``TASK_HEARTBEAT_SECONDS``: a worker whose stamp is
    older than ``TASK_WORKER_LEASE_SECONDS`` is dead, and the tasks it was running are retried or failed."""

    worker_id = models.CharField(_("任务处理进程"), max_length=64, primary_key=True)
    hostname = models.CharField(_("主机"), max_length=255, blank=True)
    pid = models.IntegerField(_("进程号"))
    started_at = models.DateTimeField(_("启动时间"))
    beat_at = models.DateTimeField(_("最近心跳"), db_index=True)

    class Meta:
        verbose_name = _("任务处理进程")
        verbose_name_plural = _("任务处理进程")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"


class RateCounter(models.Model):
    """A counter of rate limits, lockouts and one-time claims shared by every process that reaches the database
    (``core.counters``): where Redis is not configured or not answering. Rows past ``expires_at`` are pruned by the
    worker (``core.tasks.prune_rate_counters``)."""

    key = models.CharField(_("键"), max_length=200, primary_key=True)
    hits = models.IntegerField(_("次数"), default=0)
    expires_at = models.FloatField(_("到期（秒）"), db_index=True)

    class Meta:
        verbose_name = _("限流计数")
        verbose_name_plural = _("限流计数")

    def __str__(self) -> str:
        return f"{self.key} = {self.hits}"
