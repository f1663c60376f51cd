from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AbroadConfig(AppConfig):
    name = "zhijiao.hall.abroad"
    label = "abroad"
    verbose_name = _("留学服务")
