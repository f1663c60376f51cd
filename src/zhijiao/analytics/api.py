"""The statistics API (/api/v1/stats/): the dashboard's figures, hot rankings and the staff's region figures."""

from enum import IntEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Router

from zhijiao.core.api_auth import session_or_token
from zhijiao.core.api_errors import ErrorOut

from . import selectors
from .schemas import HotItemOut, PlatformKey, RegionFiguresOut, StatsSummaryOut


class HotDays(IntEnum):
    """The periods the hot ranking is kept for (``selectors.HOT_PERIODS``)."""

    WEEK = 7
    MONTH = 30


router = Router(tags=["stats"], auth=session_or_token)
ERRORS = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}


def _platform(figures: selectors.PlatformFigures) -> dict[str, Any]:
    return {
        "platform": figures.key,
        "label": str(figures.label),
        "pv_total": figures.pv_total,
        "uv_total": figures.uv_total,
        "pv_recent": figures.pv_recent,
        "uv_recent": figures.uv_recent,
    }


def _hot(item: selectors.HotItem) -> dict[str, Any]:
    return {
        "object_type": item.object_type,
        "object_id": item.object_id,
        "title": item.title,
        "url": item.url,
        "platform": item.platform,
        "platform_label": str(item.platform_label),
        "type_label": str(item.type_label),
        "pv": item.pv,
    }


def _regions(figures: list[selectors.RegionFigures]) -> list[dict[str, Any]]:
    return [{"code": figure.code, "name": figure.name, "pv": figure.pv} for figure in figures]


@router.get(
    "/summary",
    response=StatsSummaryOut,
    auth=None,
    operation_id="stats_summary",
    summary="数据概览（与 /data/ 页面相同）",
)
def summary(request: HttpRequest) -> Any:
    board = selectors.dashboard()
    scope = selectors.region_scope_of(request.user)
    return {
        "recent_days": board.recent_days,
        "overall": _platform(board.overall),
        "platforms": [_platform(figures) for figures in board.platforms],
        "trend": [{"day": figure.day, "pv": figure.pv, "uv": figure.uv} for figure in board.trend],
        "devices": [{"device": d.key, "label": str(d.label), "pv": d.pv} for d in board.devices],
        "hot": [_hot(item) for item in board.hot],
        "regions": _regions(selectors.region_figures(scope=scope)) if scope is not None else None,
    }


@router.get(
    "/hot",
    response={200: list[HotItemOut], 422: ErrorOut},
    auth=None,
    operation_id="stats_hot",
    summary="十大最热（按平台、对象类型，近 7 或 30 天）",
)
def hot(
    request: HttpRequest,
    platform: PlatformKey | None = None,
    days: HotDays = HotDays.WEEK,
    object_type: str | None = None,
) -> Any:
    if int(days) not in selectors.HOT_PERIODS:
        raise ValidationError({"days": [gettext("只能是 7 或 30（天）")]}, code="invalid")
    items = selectors.hot_objects(platform=platform, object_type=(object_type or "")[:40] or None, days=int(days))
    return [_hot(item) for item in items]


@router.get(
    "/regions",
    response={200: list[RegionFiguresOut], **ERRORS},
    operation_id="stats_regions",
    summary="各地区浏览量（平台管理员、区县教育工作人员）",
)
def regions(request: HttpRequest) -> Any:
    scope = selectors.access_region_figures(actor=request.user)
    return _regions(selectors.region_figures(scope=scope))
