"""The service hall's landing page: its three zones, its newest notices and the agencies behind it."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from zhijiao.core.pagecache import public_page
from zhijiao.portal.selectors import platform_page


@require_safe
@public_page
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "exams/index.html", {"page": platform_page(key="hall")})
