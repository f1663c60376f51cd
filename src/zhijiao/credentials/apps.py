from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    """The credentials kernel: signed credentials, revocations, public codes, /verify/ and the published keys."""

    name = "zhijiao.credentials"
    label = "credentials"
    verbose_name = _("电子证书")
