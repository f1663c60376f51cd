"""What the statistics API answers: the same figures as the /data/ page."""

from datetime import date
from typing import Literal

from ninja import Schema

PlatformKey = Literal["portal", "k12", "vocational", "higher", "employment", "hall"]


class PlatformFiguresOut(Schema):
    """Page views (pv) and visitors (uv, unique per day, summed over days): all time and the last 30 days."""

    platform: str
    label: str
    pv_total: int
    uv_total: int
    pv_recent: int
    uv_recent: int


class DayFiguresOut(Schema):
    day: date
    pv: int
    uv: int


class DeviceFiguresOut(Schema):
    device: str
    label: str
    pv: int


class HotItemOut(Schema):
    object_type: str
    object_id: int
    title: str
    url: str
    platform: str
    platform_label: str
    type_label: str
    pv: int


class RegionFiguresOut(Schema):
    code: str
    name: str
    pv: int


class StatsSummaryOut(Schema):
    """``overall`` totals every platform; ``regions`` is filled only for platform admins and district staff."""

    recent_days: int
    overall: PlatformFiguresOut
    platforms: list[PlatformFiguresOut]
    trend: list[DayFiguresOut]
    devices: list[DeviceFiguresOut]
    hot: list[HotItemOut]
    regions: list[RegionFiguresOut] | None
