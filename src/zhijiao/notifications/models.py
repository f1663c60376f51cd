"""The in-site notification centre: one row per message to one person."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhijiao.core.models import BaseModel


class Notification(BaseModel):
    """A message to one person (an application moved on, new matching jobs …); unread until they open it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("接收人")
    )
    kind = models.CharField(_("类别"), max_length=40, blank=True, db_index=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    # What the message is about, each {"title", "detail", "url"} (a job push lists its jobs); a site path each.
    links = models.JSONField(_("相关链接"), default=list, blank=True)
    # A signed link that stops this kind of message without signing in (shown as a button; in email also as the
    # List-Unsubscribe header of RFC 8058).
    stop_url = models.CharField(_("退订链接"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"]), models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
