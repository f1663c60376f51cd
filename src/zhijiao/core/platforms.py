"""The platforms of the site: the shared vocabulary content, search documents and page views are filed under."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Platform(models.TextChoices):
    """The portal and the four platforms plus the service hall; content and page views carry one."""

    PORTAL = "portal", _("门户")
    K12 = "k12", _("中小学")
    VOCATIONAL = "vocational", _("职业教育")
    HIGHER = "higher", _("高等教育")
    EMPLOYMENT = "employment", _("就业服务")
    HALL = "hall", _("服务大厅")
