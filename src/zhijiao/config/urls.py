from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve

from .api import api

admin.site.site_header = _("智教平台管理后台")
admin.site.site_title = _("智教管理")
admin.site.index_title = _("平台管理")

urlpatterns: list[URLPattern | URLResolver] = [
    # First: the API takes the busiest requests (score lookups on release night), and the resolver tries patterns in
    # order — the apps mounted at "" would be walked for every API call otherwise.
    path("api/v1/", api.urls),
    path("", include("zhijiao.portal.urls")),
    path("accounts/", include("zhijiao.accounts.urls")),
    path("k12/", include("zhijiao.k12.urls")),
    path("q/", include("zhijiao.k12.code_urls")),
    path("vocational/", include("zhijiao.vocational.urls")),
    path("higher/", include("zhijiao.higher.urls")),
    path("employment/", include("zhijiao.employment.urls")),
    path("hall/degrees/", include("zhijiao.credentials.urls")),
    path("hall/abroad/", include("zhijiao.abroad.urls")),
    path("hall/", include("zhijiao.exams.urls")),
    path("", include("zhijiao.credentials.public_urls")),
    path("data/", include("zhijiao.analytics.urls")),
    path("search/", include("zhijiao.search.urls")),
    path("notifications/", include("zhijiao.notifications.urls")),
    path("admin/", admin.site.urls),
]

if settings.MEDIA_STORAGE == "local":
    # One machine, no separate file server: the app serves uploaded media itself.
    urlpatterns.append(
        re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )
