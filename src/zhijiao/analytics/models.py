"""Page views: raw rows written in batches, and the daily rollups every figure is read from.

Nothing here identifies a person: a view carries a visitor key that is a hash of the day's random salt, the
address and the browser, and the salt is destroyed when the day is over, so the same visitor cannot be followed
from one day to the next. No address, browser string, cookie or user id is stored.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

ALL_PLATFORMS = "all"
"""The platform value of rollup rows that total every platform."""


class Device(models.TextChoices):
    MOBILE = "mobile", _("手机")
    TABLET = "tablet", _("平板")
    DESKTOP = "desktop", _("电脑")


class PageView(models.Model):
    """One counted view, waiting for the next rollup; rolled-up rows are deleted.

    Deliberately without secondary indexes: rows are appended in batches and read only by the rollup,
    which reads them all in id order.
    """

    day = models.DateField(_("日期"))
    platform = models.CharField(_("平台"), max_length=16)
    object_type = models.CharField(_("对象类型"), max_length=40, blank=True)
    object_id = models.BigIntegerField(_("对象编号"), null=True, blank=True)
    device = models.CharField(_("设备"), max_length=8, choices=Device.choices)
    visitor = models.CharField(_("访客标识"), max_length=16, blank=True)
    region = models.CharField(_("地区代码"), max_length=6, blank=True)
    created_at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("浏览记录")
        verbose_name_plural = _("浏览记录")

    def __str__(self) -> str:
        return f"{self.day} {self.platform} {self.object_type}#{self.object_id or ''}"


class DailySalt(models.Model):
    """The secret of one day that visitor keys are made with; deleted once the day is over."""

    day = models.DateField(_("日期"), primary_key=True)
    salt = models.CharField(_("盐值"), max_length=64)

    class Meta:
        verbose_name = _("访客密钥")
        verbose_name_plural = _("访客密钥")

    def __str__(self) -> str:
        return str(self.day)


class DailyVisitor(models.Model):
    """The distinct visitor keys of one day and platform, for exact unique-visitor counts.

    Kept only until the day is closed (the day after), then deleted with the day's salt.
    """

    day = models.DateField(_("日期"))
    platform = models.CharField(_("平台"), max_length=16)
    visitor = models.CharField(_("访客标识"), max_length=16)

    class Meta:
        verbose_name = _("当日访客")
        verbose_name_plural = _("当日访客")
        constraints = [
            models.UniqueConstraint(fields=["day", "platform", "visitor"], name="analytics_visitor_unique_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.platform}"


class DailyPlatformStat(models.Model):
    """Page views and unique visitors of one platform (or ``all``) on one day."""

    day = models.DateField(_("日期"))
    platform = models.CharField(_("平台"), max_length=16)
    pv = models.BigIntegerField(_("浏览量"), default=0)
    uv = models.BigIntegerField(_("访客数"), default=0)

    class Meta:
        verbose_name = _("每日平台统计")
        verbose_name_plural = _("每日平台统计")
        constraints = [models.UniqueConstraint(fields=["day", "platform"], name="analytics_platform_stat_unique")]

    def __str__(self) -> str:
        return f"{self.day} {self.platform}: {self.pv}/{self.uv}"


class DailyObjectStat(models.Model):
    """Views of one object (an article, a topic, a course …) on one day, for hot rankings."""

    day = models.DateField(_("日期"))
    object_type = models.CharField(_("对象类型"), max_length=40)
    object_id = models.BigIntegerField(_("对象编号"))
    platform = models.CharField(_("平台"), max_length=16)
    pv = models.BigIntegerField(_("浏览量"), default=0)

    class Meta:
        verbose_name = _("每日对象统计")
        verbose_name_plural = _("每日对象统计")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "object_type", "object_id", "platform"], name="analytics_object_stat_unique"
            )
        ]
        indexes = [models.Index(fields=["platform", "day"], name="analytics_object_platform_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.object_type}#{self.object_id}: {self.pv}"


class DailyDeviceStat(models.Model):
    """Page views per device class of one platform (or ``all``) on one day."""

    day = models.DateField(_("日期"))
    platform = models.CharField(_("平台"), max_length=16)
    device = models.CharField(_("设备"), max_length=8, choices=Device.choices)
    pv = models.BigIntegerField(_("浏览量"), default=0)

    class Meta:
        verbose_name = _("每日设备统计")
        verbose_name_plural = _("每日设备统计")
        constraints = [
            models.UniqueConstraint(fields=["day", "platform", "device"], name="analytics_device_stat_unique")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.platform} {self.device}: {self.pv}"


class DailyRegionStat(models.Model):
    """Page views by signed-in members of organisations in one region (GB/T 2260 code) on one day."""

    day = models.DateField(_("日期"))
    region = models.CharField(_("地区代码"), max_length=6)
    pv = models.BigIntegerField(_("浏览量"), default=0)

    class Meta:
        verbose_name = _("每日地区统计")
        verbose_name_plural = _("每日地区统计")
        constraints = [models.UniqueConstraint(fields=["day", "region"], name="analytics_region_stat_unique")]

    def __str__(self) -> str:
        return f"{self.day} {self.region}: {self.pv}"


class PlatformTotal(models.Model):
    """All-time page views and visitors (the sum of each day's unique visitors) of one platform or ``all``."""

    platform = models.CharField(_("平台"), max_length=16, primary_key=True)
    pv = models.BigIntegerField(_("浏览量"), default=0)
    uv = models.BigIntegerField(_("访客数"), default=0)

    class Meta:
        verbose_name = _("累计统计")
        verbose_name_plural = _("累计统计")

    def __str__(self) -> str:
        return f"{self.platform}: {self.pv}/{self.uv}"
