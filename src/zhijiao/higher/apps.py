from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HigherConfig(AppConfig):
    name = "zhijiao.higher"
    label = "higher"
    verbose_name = _("高等教育")
