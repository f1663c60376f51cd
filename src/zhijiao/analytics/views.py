"""The public data page (数据): platform totals as tables, drawn as charts where JavaScript runs."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from zhijiao.core.pagecache import public_page
from zhijiao.portal.selectors import platform_totals


@require_safe
@public_page
def index(request: HttpRequest) -> HttpResponse:
    totals = platform_totals()
    # Read by static/js/charts.js from a json_script block: data, never code, so the CSP stays strict.
    chart_data = {
        "organizations": {
            "labels": [str(figure.label) for figure in totals.organizations],
            "values": [figure.value for figure in totals.organizations],
        },
        "articles": {
            "labels": [str(figure.label) for figure in totals.articles],
            "values": [figure.value for figure in totals.articles],
        },
    }
    return render(request, "analytics/index.html", {"totals": totals, "chart_data": chart_data})
