from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class K12Config(AppConfig):
    name = "zhijiao.k12"
    label = "k12"
    verbose_name = _("中小学")
