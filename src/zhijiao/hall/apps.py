from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HallConfig(AppConfig):
    """The service hall (服务大厅): its own pages and templates; its sub-apps (exams, records, abroad) hold the data."""

    name = "zhijiao.hall"
    label = "hall"
    verbose_name = _("服务大厅")
