"""The case library's pages under /higher/cases/: the catalogue, a case (abstract, reader or player, usage chart,
related cases), its stamped PDFs and its video, and teachers' 案例集."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.csp import CSP
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_POST, require_safe

from zhijiao.analytics.services import mark_viewed
from zhijiao.core.actors import MemberRequest
from zhijiao.core.errors import NotFound
from zhijiao.core.files import serve_file
from zhijiao.core.pagecache import public_page
from zhijiao.core.params import page_number, parse_int

from . import selectors, services
from .forms import CollectionAddForm, CollectionForm
from .models import CaseType

# The case page shows the PDF in a frame of its own origin: the file may be framed by the site, nothing else.
MEDIA_CSP = {"default-src": [CSP.NONE], "frame-ancestors": [CSP.SELF], "style-src": [CSP.UNSAFE_INLINE]}


def _url(params: dict[str, Any], **changes: Any) -> str:
    merged = {**params, **changes}
    return "?" + urlencode({name: value for name, value in merged.items() if value})


@require_safe
@public_page
def index(request: HttpRequest) -> HttpResponse:
    query, errors = selectors.clean_catalogue_query(request.GET)
    number = page_number(request.GET.get("page"), maximum=selectors.MAX_PAGE)
    catalogue = selectors.catalogue_page(actor=request.user, query=query, page=number)
    params = query.params()
    sorts = [("newest", _("最新入库")), ("hot", _("最热"))]
    if query.q:
        sorts = [("relevance", _("相关度")), *sorts]
    context = {
        "query": query,
        "errors": errors,
        "catalogue": catalogue,
        "groups": [
            {
                "name": group.name,
                "count": group.count,
                "categories": [
                    {
                        "code": item.code,
                        "name": item.name,
                        "count": item.count,
                        "url": _url(params, category=item.code, field=None, page=None),
                        "current": item.code == query.category,
                    }
                    for item in group.categories
                ],
            }
            for group in selectors.category_counts()
        ],
        "all_url": _url(params, category=None, field=None, page=None),
        "types": [
            {
                "label": label,
                "count": n,
                "url": _url(params, case_type=None if value == query.case_type else value, page=None),
                "current": value == query.case_type,
            }
            for value, label, n in selectors.type_counts()
        ],
        "fields": [
            {
                "label": name,
                "count": n,
                "url": _url(params, field=None if name == query.field else name, page=None),
                "current": name == query.field,
            }
            for name, n in selectors.field_counts(category=query.category)
        ],
        "facets": [
            {
                "label": facet.label,
                "values": [
                    {
                        "label": value.label,
                        "count": value.count,
                        "selected": value.selected,
                        "url": _url(params, **{facet.name: None if value.selected else value.value, "page": None}),
                    }
                    for value in facet.values
                ],
            }
            for facet in catalogue.facets
        ],
        "sorts": [
            {"label": label, "url": _url(params, sort=key, page=None), "current": key == query.order}
            for key, label in sorts
        ],
        "prev_url": _url(params, page=number - 1) if number > 1 else "",
        "next_url": _url(params, page=number + 1) if number < catalogue.pages else "",
        "hot": selectors.hot_cases(),
        "newest": selectors.newest_cases(),
        "case_types": CaseType,
    }
    return render(request, "cases/index.html", context)


@require_safe
@public_page
def detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.access_case(actor=request.user, case_id=case_id)
    mark_viewed(request, case)
    usage = selectors.case_usage(case=case)
    views, downloads, adoptions = usage.totals
    chart = {
        "kind": "line",
        "labels": [day.strftime("%m-%d") for day in usage.days],
        "series": [
            {"name": _("浏览"), "values": usage.views},
            {"name": _("下载"), "values": usage.downloads},
            {"name": _("采用"), "values": usage.adoptions},
        ],
    }
    rows = [
        (day, v, d, a)
        for day, v, d, a in zip(usage.days, usage.views, usage.downloads, usage.adoptions, strict=True)
        if v or d or a
    ][::-1]
    can_adopt = selectors.can_adopt(request.user)
    context = {
        "case": case,
        "authors": list(case.authors.all()),
        "can_read": selectors.can_read_full_text(request.user, case),
        "can_read_note": selectors.can_read_teaching_note(request.user, case),
        "can_adopt": can_adopt,
        "collection_form": CollectionAddForm(actor=request.user) if can_adopt else None,
        "related": selectors.related_cases(case=case),
        "usage": {"views": views, "downloads": downloads, "adoptions": adoptions},
        "usage_rows": rows,
        "chart_data": {"usage": chart},
    }
    return render(request, "cases/detail.html", context)


@require_safe
@xframe_options_sameorigin
@csp_override(MEDIA_CSP)
@login_required
def full_text(request: MemberRequest, case_id: int) -> HttpResponse:
    """The case's PDF stamped for the reader: inline in the reader, as a file with ``?download=1`` (counted)."""
    case = selectors.access_full_text(actor=request.user, case_id=case_id)
    return _pdf(request, case, "full_text")


@require_safe
@xframe_options_sameorigin
@csp_override(MEDIA_CSP)
@login_required
def teaching_note(request: MemberRequest, case_id: int) -> HttpResponse:
    case = selectors.access_teaching_note(actor=request.user, case_id=case_id)
    return _pdf(request, case, "teaching_note")


def _pdf(request: MemberRequest, case: Any, document: str) -> HttpResponse:
    data, filename = services.case_download(actor=request.user, case=case, document=document)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=request.GET.get("download") == "1", filename=filename) or ""
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@xframe_options_sameorigin
@csp_override(MEDIA_CSP)
@login_required
def video(request: MemberRequest, case_id: int) -> HttpResponseBase:
    case = selectors.access_full_text(actor=request.user, case_id=case_id)
    if not case.video:
        raise NotFound
    mime = "video/webm" if str(case.video.name).endswith(".webm") else "video/mp4"
    return serve_file(request, case.video, content_type=mime, public=False)


@require_POST
@login_required
def collect(request: MemberRequest, case_id: int) -> HttpResponse:
    """Add the case to one of the teacher's 案例集 (or a new one named in the form)."""
    case = selectors.access_case(actor=request.user, case_id=case_id)
    form = CollectionAddForm(request.POST, actor=request.user)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(case)
    collection = form.cleaned_data["collection"]
    if collection is None:
        collection = services.collection_create(actor=request.user, title=form.cleaned_data["new_title"])
    services.collection_add(actor=request.user, collection=collection, case=case, note=form.cleaned_data["note"])
    messages.success(request, _("已加入案例集“%(title)s”") % {"title": collection.title})
    return redirect(case)


@login_required
def collections(request: MemberRequest) -> HttpResponse:
    form = CollectionForm(request.POST or None, actor=request.user)
    if request.method == "POST":
        if form.is_valid():
            collection = services.collection_create(
                actor=request.user,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                run=form.cleaned_data["run"],
            )
            messages.success(request, _("案例集已创建"))
            return redirect(collection)
        status = 422
    else:
        status = 200
    context = {
        "collections": selectors.collections_of(actor=request.user),
        "form": form,
        "can_adopt": selectors.can_adopt(request.user),
    }
    return render(request, "cases/collections.html", context, status=status)


@require_safe
@login_required
def collection(request: MemberRequest, collection_id: int) -> HttpResponse:
    found = selectors.access_collection(actor=request.user, collection_id=collection_id)
    context = {
        "collection": found,
        "items": selectors.collection_cases(collection=found),
        "is_owner": found.owner_id == request.user.pk,
    }
    return render(request, "cases/collection.html", context)


@require_POST
@login_required
def collection_remove(request: MemberRequest, collection_id: int) -> HttpResponse:
    found = selectors.access_own_collection(actor=request.user, collection_id=collection_id)
    case_id = parse_int(request.POST.get("case"))
    if case_id is not None:
        services.collection_remove(actor=request.user, collection=found, case_id=case_id)
        messages.success(request, _("已从案例集中移除"))
    return redirect(found)
