"""The employment platform's landing page with its figures."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from zhijiao.core.pagecache import public_page
from zhijiao.portal.selectors import platform_page

from .. import selectors


@require_safe
@public_page
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "employment/index.html",
        {"page": platform_page(key="employment"), "stats": selectors.employment_stats()},
    )
