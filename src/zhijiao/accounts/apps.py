from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "zhijiao.accounts"
    label = "accounts"
    verbose_name = _("账号与身份")

    def ready(self) -> None:
        from zhijiao.core.api_auth import use_token_lookup

        from .selectors import user_for_api_token

        use_token_lookup(lambda raw_token: user_for_api_token(raw_token=raw_token))
