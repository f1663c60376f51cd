from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "zhijiao.notifications"
    label = "notifications"
    verbose_name = _("消息中心")
