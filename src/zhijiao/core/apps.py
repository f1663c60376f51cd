from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "zhijiao.core"
    label = "core"
    verbose_name = _("平台内核")

    def ready(self) -> None:
        from django.urls import register_converter

        from . import signals  # noqa: F401
        from .params import IdConverter

        register_converter(IdConverter, "id")
