"""The unified search page /search/ and its suggestions; both work without JavaScript."""

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from zhijiao.core.pagecache import public_page
from zhijiao.core.params import page_number
from zhijiao.core.platforms import Platform

from . import selectors

PER_PAGE = 10


def _page_number(value: str | None) -> int:
    return page_number(value, maximum=selectors.MAX_OFFSET // PER_PAGE + 1)


def _url(params: dict[str, str], **changes: str | None) -> str:
    merged = {**params, **changes}
    return "?" + urlencode({key: value for key, value in merged.items() if value})


@require_safe
@public_page
def results(request: HttpRequest) -> HttpResponse:
    filters, errors = selectors.clean_filters(request.GET)
    fields = selectors.filter_fields()
    # A known filter is named by its label; an unknown one by what the visitor typed.
    notices = [
        _("已忽略筛选条件“%(name)s”：%(message)s")
        % {"name": fields[name].label if name in fields else name, "message": _("；").join(messages)}
        for name, messages in errors.items()
    ]
    sort = selectors.clean_sort(request.GET.get("sort"))
    if sort is None:
        notices.append(_("未知的排序方式，已按相关度排序。"))
        sort = "relevance"
    page = _page_number(request.GET.get("page"))
    result = selectors.search(
        actor=request.user,
        q=request.GET.get("q"),
        filters=filters,
        sort=sort,
        limit=PER_PAGE,
        offset=(page - 1) * PER_PAGE,
    )
    if result.query.truncated:
        notices.append(_("搜索词过长，只使用了前 %(n)d 个字。") % {"n": len(result.query.text)})
    params = {"q": result.query.text, **filters, "sort": "" if sort == "relevance" else sort}
    for facet in result.facets:
        for value in facet.values:
            value.url = _url(params, **{facet.name: None if value.selected else value.value, "page": None})  # type: ignore[attr-defined]
    active = [
        {
            "name": name,
            "label": next((f.label for f in result.facets if f.name == name), name),
            "value": next(
                (v.label for f in result.facets for v in f.values if f.name == name and v.value == value), value
            ),
            "remove_url": _url(params, **{name: None}),
        }
        for name, value in filters.items()
    ]
    last_page = max(1, min((result.total + PER_PAGE - 1) // PER_PAGE, selectors.MAX_OFFSET // PER_PAGE + 1))
    context: dict[str, Any] = {
        "result": result,
        "q": result.query.text,
        "filters": filters,
        "active_filters": active,
        "notices": notices,
        "sorts": [
            {
                "key": key,
                "label": label,
                "url": _url(params, sort=None if key == "relevance" else key),
                "current": key == sort,
            }
            for key, label in selectors.SORT_LABELS.items()
        ],
        "page": page,
        "last_page": last_page,
        "prev_url": _url(params, page=str(page - 1)) if page > 1 else "",
        "next_url": _url(params, page=str(page + 1)) if page < last_page else "",
        "search_platform": filters.get("platform", ""),
        "platform_label": dict(Platform.choices).get(filters.get("platform", ""), ""),
    }
    return render(request, "search/results.html", context)


@require_safe
def suggestions(request: HttpRequest) -> HttpResponse:
    """A short list of titles for what is being typed (htmx swaps it under the search box)."""
    platform = request.GET.get("platform") or None
    items = selectors.suggest(actor=request.user, q=request.GET.get("q"), platform=platform)
    return render(request, "search/_suggestions.html", {"suggestions": items, "q": request.GET.get("q", "")})
