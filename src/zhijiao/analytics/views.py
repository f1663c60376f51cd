"""The public data page (数据): page views and visitors, hot items and the platform's totals.

Every figure is a table first; where JavaScript runs, static/js/charts.js draws the same figures with ECharts
from a json_script block (data, never code, so the CSP stays strict). Staff also see page views by region.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from zhijiao.core.pagecache import public_page
from zhijiao.employment.selectors import EmploymentStats, employment_stats
from zhijiao.portal.selectors import platform_totals

from .selectors import Dashboard, RegionFigures, dashboard, region_figures, region_scope_of


def _chart_data(
    board: Dashboard, totals: Any, regions: list[RegionFigures] | None, employment: EmploymentStats
) -> dict[str, Any]:
    from django.utils.translation import gettext

    pushes = list(reversed(employment.push_days))
    data: dict[str, Any] = {
        "pushes": {
            "kind": "line",
            "labels": [run.day.isoformat() for run in pushes],
            "series": [
                {"name": gettext("推送岗位次数"), "values": [run.pushes for run in pushes]},
                {"name": gettext("推送人数"), "values": [run.recipients for run in pushes]},
            ],
        },
        "trend": {
            "kind": "line",
            "labels": [figure.day.isoformat() for figure in board.trend],
            "series": [
                {"name": str(_label("pv")), "values": [figure.pv for figure in board.trend]},
                {"name": str(_label("uv")), "values": [figure.uv for figure in board.trend]},
            ],
        },
        "platforms": {
            "kind": "pie",
            "labels": [str(figure.label) for figure in board.platforms],
            "values": [figure.pv_recent for figure in board.platforms],
        },
        "devices": {
            "kind": "pie",
            "labels": [str(figure.label) for figure in board.devices],
            "values": [figure.pv for figure in board.devices],
        },
        "organizations": {
            "labels": [str(figure.label) for figure in totals.organizations],
            "values": [figure.value for figure in totals.organizations],
        },
        "articles": {
            "labels": [str(figure.label) for figure in totals.articles],
            "values": [figure.value for figure in totals.articles],
        },
    }
    if regions is not None:
        data["regions"] = {"labels": [r.name for r in regions[:15]], "values": [r.pv for r in regions[:15]]}
    return data


def _label(key: str) -> str:
    from django.utils.translation import gettext

    return gettext("浏览量") if key == "pv" else gettext("访客数")


@require_safe
@public_page
def index(request: HttpRequest) -> HttpResponse:
    board = dashboard()
    totals = platform_totals()
    scope = region_scope_of(request.user)
    regions = region_figures(scope=scope) if scope is not None else None
    employment = employment_stats()
    context = {
        "employment": employment,
        "board": board,
        "totals": totals,
        "regions": regions,
        "region_scope": scope,
        "chart_data": _chart_data(board, totals, regions, employment),
    }
    return render(request, "analytics/index.html", context)
