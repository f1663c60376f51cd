from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.urls.resolvers import RoutePattern
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from django.views.static import serve

from zhijiao.core.choosers import chooser_options

from .api import api

admin.site.site_header = _("智教平台管理后台")
admin.site.site_title = _("智教管理")
admin.site.index_title = _("平台管理")


def by_first_segment(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    """The same routes, grouped under their literal first segment (``hall/…`` under one ``hall/`` include).

    Django tries patterns one by one; the API's ~100 routes come as one flat list, so a score lookup was matched
    against some 65 patterns (about 50 µs, twice for a 404 when CommonMiddleware checks for a missing slash).
    Grouped, it is a dozen prefixes and then its router's few routes. Groups keep the order of their first route;
    routes whose first segment is not plain text stay where they were. Names and view arguments are unchanged.
    """
    order: list[str | URLPattern | URLResolver] = []
    groups: dict[str, list[URLPattern]] = {}
    for pattern in patterns:
        head, slash, rest = str(pattern.pattern).partition("/")
        grouped = isinstance(pattern.pattern, RoutePattern) and slash and rest and "<" not in head
        if not grouped or not isinstance(pattern, URLPattern) or pattern.callback is None:
            order.append(pattern)
            continue
        if head not in groups:
            groups[head] = []
            order.append(head)
        groups[head].append(path(rest, pattern.callback, pattern.default_args, name=pattern.name))
    return [path(f"{item}/", include(groups[item])) if isinstance(item, str) else item for item in order]


_api_patterns, _api_app, _api_namespace = api.urls

urlpatterns: list[URLPattern | URLResolver] = [
    # First: the API takes the busiest requests (score lookups on release night), and the resolver tries patterns in
    # order — the apps mounted at "" would be walked for every API call otherwise.
    path("api/v1/", (by_first_segment(_api_patterns), _api_app, _api_namespace)),
    path("", include("zhijiao.portal.urls")),
    path("accounts/", include("zhijiao.accounts.urls")),
    path("k12/", include("zhijiao.k12.urls")),
    path("q/", include("zhijiao.k12.code_urls")),
    path("courses/<id:course_id>/edit/questions/", include("zhijiao.assessment.urls")),
    path("assessment/", include("zhijiao.assessment.attempt_urls")),
    path("courses/<id:course_id>/runs/<id:run_id>/", include("zhijiao.assessment.review_urls")),
    path("courses/", include("zhijiao.courses.urls")),
    path("discussion/", include("zhijiao.discussion.urls")),
    path("vocational/", include("zhijiao.vocational.urls")),
    path("higher/cases/", include("zhijiao.cases.urls")),
    path("higher/", include("zhijiao.higher.urls")),
    path("employment/", include("zhijiao.employment.urls")),
    path("hall/", include("zhijiao.hall.urls")),
    path("", include("zhijiao.credentials.public_urls")),
    path("data/", include("zhijiao.analytics.urls")),
    path("search/", include("zhijiao.search.urls")),
    path("notifications/", include("zhijiao.notifications.urls")),
    path("reviews/", include("zhijiao.reviews.urls")),
    # The options of every chooser (core/choosers.py) as an HTML fragment; each source checks who may ask.
    path("choose/<slug:source>/", chooser_options, name="chooser"),
    # Academic records moved from the credentials app to hall.records: their old admin addresses still lead there.
    re_path(
        r"^admin/credentials/(?P<model>academicrecord|verificationreport)/(?P<rest>.*)$",
        RedirectView.as_view(url="/admin/records/%(model)s/%(rest)s", permanent=True, query_string=True),
    ),
    path("admin/", admin.site.urls),
]

if settings.MEDIA_STORAGE == "local":
    # One machine, no separate file server: the app serves uploaded media itself.
    urlpatterns.append(
        re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )
