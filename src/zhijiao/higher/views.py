"""The higher-education platform's front page: the catalogue of its published courses (disciplines with counts,
filters, sorts, keyword search through the unified search, pages), the ten hottest courses and the newest."""

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_safe

from zhijiao.core.pagecache import public_page
from zhijiao.core.platforms import Platform
from zhijiao.courses import selectors as courses
from zhijiao.courses.models import CourseLevel
from zhijiao.portal.selectors import platform_page

# The catalogue's parameters as its form labels them: a refused one is named the way the visitor sees it.
FIELD_LABELS = {
    "q": gettext_lazy("关键词"),
    "discipline": pgettext_lazy("course", "学科"),
    "level": gettext_lazy("层次"),
    "university": gettext_lazy("开课学校"),
    "first_class": gettext_lazy("只看国家级一流课程"),
    "enrolling": gettext_lazy("只看正在选课"),
    "sort": gettext_lazy("排序"),
}


def _options(choices: list[tuple[str, str]], selected: str) -> SafeString:
    """``<option>`` elements built in Python: a select of 200 universities costs ~10 ms as a template loop (measured
    on 27,000 courses), well under 1 ms this way."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if value == selected else "", label) for value, label in choices),
    )


def _discipline_options(categories: list[courses.DisciplineCount], selected: str) -> SafeString:
    groups = [
        format_html(
            '<optgroup label="{}">{}{}</optgroup>',
            category.name,
            _options([(category.code, _("%(name)s（全部）") % {"name": category.name})], selected),
            _options([(child.code, child.name) for child in category.children], selected),
        )
        for category in categories
    ]
    return SafeString("".join(groups))


def catalogue_context(request: HttpRequest, *, platform: str) -> dict[str, Any]:
    """Everything the catalogue shows for a query string; shared by any platform's catalogue page."""
    query, errors = courses.clean_catalogue_query(request.GET)
    page_number = courses.clean_page(request.GET.get("page"))
    catalogue = courses.catalogue_page(actor=request.user, platform=platform, query=query, page=page_number)
    params = query.params()
    categories = courses.discipline_counts(platform=platform)

    def url(**changes: Any) -> str:
        merged = {**params, **changes}
        return "?" + urlencode({name: value for name, value in merged.items() if value})

    sorts = [("hot", _("最热")), ("newest", _("最新")), ("rating", _("评分最高"))]
    if query.q:
        sorts = [("relevance", _("相关度")), *sorts[:2]]
    return {
        "query": query,
        "errors": {str(FIELD_LABELS.get(name, name)): texts for name, texts in errors.items()},
        "catalogue": catalogue,
        "discipline_options": _discipline_options(categories, query.discipline),
        "university_options": _options(
            [(str(pk), name) for pk, name, _count in courses.university_choices(platform=platform)], query.university
        ),
        "level_options": _options([(str(value), str(label)) for value, label in CourseLevel.choices], query.level),
        "disciplines": [
            {
                "code": category.code,
                "name": category.name,
                "count": category.count,
                "url": url(discipline=category.code, page=None),
                "current": query.discipline == category.code,
                "open": query.discipline[:2] == category.code,
                "children": [
                    {
                        "code": child.code,
                        "name": child.name,
                        "count": child.count,
                        "url": url(discipline=child.code, page=None),
                        "current": query.discipline == child.code,
                    }
                    for child in category.children
                ],
            }
            for category in categories
        ],
        "all_disciplines_url": url(discipline=None, page=None),
        # The search's facets narrow the results: each value links to the same search with it as a filter (the
        # facet names are the catalogue's parameters), a chosen one back to the search without it.
        "facets": [
            {
                "label": facet.label,
                "values": [
                    {
                        "label": value.label,
                        "count": value.count,
                        "selected": value.selected,
                        "url": url(**{facet.name: None if value.selected else value.value, "page": None}),
                    }
                    for value in facet.values
                ],
            }
            for facet in catalogue.facets
        ],
        "hot_courses": courses.hot_courses(platform=platform),
        "newest_courses": courses.newest_courses(platform=platform),
        "sorts": [
            {"label": label, "url": url(sort=key, page=None), "current": key == query.order} for key, label in sorts
        ],
        "prev_url": url(page=page_number - 1) if page_number > 1 else "",
        "next_url": url(page=page_number + 1) if page_number < catalogue.pages else "",
        "clear_url": url(discipline=None, level=None, university=None, first_class=None, enrolling=None, page=None),
    }


@require_safe
@public_page
def index(request: HttpRequest) -> HttpResponse:
    context = catalogue_context(request, platform=Platform.HIGHER)
    context["page"] = platform_page(key="higher")
    return render(request, "higher/index.html", context)
