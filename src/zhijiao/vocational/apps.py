from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VocationalConfig(AppConfig):
    name = "zhijiao.vocational"
    label = "vocational"
    verbose_name = _("职业教育")
