from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "zhijiao.reviews"
    label = "reviews"
    verbose_name = _("专家评审")

    def ready(self) -> None:
        from . import general, tasks  # noqa: F401  (general registers its kind; tasks the reminders)

        general.register_kind()
