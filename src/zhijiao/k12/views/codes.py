"""云码 pages: /q/<code> (what a phone opens after scanning a book; counted and cached), batches, printing,
re-linking and retiring codes, scan statistics."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from zhijiao.analytics.services import mark_viewed
from zhijiao.core.actors import Actor, signed_in
from zhijiao.core.ratelimit import rate_limit
from zhijiao.core.views import service_errors

from .. import selectors, services
from ..codes import PrintedCode, code_png, code_svg, code_url, normalize_code, sheet_pdf
from ..forms import BatchForm, RelinkForm
from ..models import Code, CodeBatch, KnowledgePoint, Lesson
from .catalogue import player_context


def _lookup_region(user: Actor) -> str:
    """The region of a signed-in scanner's organisation, cached ten minutes; "" for anyone else."""
    if not signed_in(user):
        return ""
    key = f"k12:region:{user.pk}"
    region = cache.get(key)
    if region is None:
        from zhijiao.orgs.selectors import memberships_of

        region = memberships_of(user).order_by("id").values_list("organization__region_id", flat=True).first() or ""
        cache.set(key, region, 600)
    return str(region)


def _is_anonymous(request: HttpRequest) -> bool:
    return not signed_in(request.user) and "messages" not in request.COOKIES


QPAGE_SECONDS = 300


def _code_page_html(request: HttpRequest, resolved: selectors.ResolvedCode) -> str:
    target: Lesson | KnowledgePoint
    if resolved.lesson_id:
        target = selectors.lesson_get(lesson_id=resolved.lesson_id)
        lesson_obj, resources, point_obj = target, selectors.lesson_resources(lesson=target), None
    else:
        point_obj = selectors.point_get(point_id=resolved.point_id or 0)
        lesson_obj, resources = point_obj.lesson, selectors.point_resources(point=point_obj)
    context = {
        "code": resolved.code,
        "lesson": lesson_obj,
        "point": point_obj,
        "book": lesson_obj.unit.book,
        **player_context(request, resources),
    }
    return render_to_string("k12/code.html", context, request=request)


@require_safe
def code_page(request: HttpRequest, code: str) -> HttpResponse:
    """/q/<code>: what a phone opens after scanning the book. Counted, cached, teacher's explanation first."""
    rate_limit(request, "k12.code", *selectors.code_scan_rate())  # 429 page (core.middleware) beyond the rate
    resolved = selectors.resolve_code(code=code)
    if resolved is None or resolved.status != Code.Status.PUBLISHED:
        # A draft or retired code looks exactly like one that never existed: nothing tells what a batch prints.
        return render(request, "k12/code_unknown.html", {"code": normalize_code(code)[:16]}, status=404)
    services.scan_record(code_id=resolved.code_id, region=_lookup_region(request.user))
    # Counted as a view of the lesson (or point) without loading it: the rollups only need type and id.
    mark_viewed(request, Lesson(pk=resolved.lesson_id) if resolved.lesson_id else KnowledgePoint(pk=resolved.point_id))
    canonical = request.path == f"/q/{resolved.code}"
    if _is_anonymous(request) and canonical:
        key = f"k12:qpage:{resolved.code}:{get_language()}"
        html = cache.get(key)
        if html is None:
            html = _code_page_html(request, resolved)
            cache.set(key, html, QPAGE_SECONDS)
        response = HttpResponse(html)
        response["Cache-Control"] = "private, max-age=0"  # every scan must reach us to be counted
        response["Vary"] = "Accept-Language, Cookie"
        return response
    response = HttpResponse(_code_page_html(request, resolved))
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
def batches(request: HttpRequest) -> HttpResponse:
    if not selectors.can_manage_codes(request.user):
        raise PermissionDenied(_("只有平台工作人员、区县教育工作人员和教师可以管理云码"))
    form = BatchForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        with service_errors(form) as outcome:
            made = services.code_batch_generate(
                actor=request.user,
                book=form.cleaned_data["book"],
                point_ids=form.cleaned_data["point_ids"],
                title=form.cleaned_data["title"],
            )
        if outcome.ok:
            messages.success(request, _("已生成云码批次（草稿），核对后发布"))
            return redirect(made)
    context = {
        "form": form,
        "batches": selectors.batches_for(actor=request.user)[:100],
        "can_see_stats": selectors.can_see_scan_stats(request.user),
    }
    return render(request, "k12/batches.html", context, status=422 if request.method == "POST" else 200)


@login_required
def batch(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_batch(actor=request.user, batch_id=pk)
    return _batch_page(request, found)


def _within_book(batch: CodeBatch) -> dict[str, str]:
    """A code printed in a book points within that book: its chooser lists that book's lessons and points."""
    return {"book": str(batch.book_id)} if batch.book_id else {}


def _batch_page(
    request: HttpRequest, found: CodeBatch, *, bound: RelinkForm | None = None, code_id: int = 0
) -> HttpResponse:
    """A batch's codes, each with its own relink form (the one that was just refused keeps what was typed)."""
    codes = list(selectors.batch_codes(batch=found))
    for code in codes:
        is_bound = bound is not None and code.pk == code_id
        code.relink_form = (  # type: ignore[attr-defined]
            bound
            if is_bound
            else RelinkForm(auto_id=f"code{code.pk}-%s", actor=request.user, scope=_within_book(found))
        )
        code.relink_open = is_bound  # type: ignore[attr-defined]
    return render(request, "k12/batch.html", {"batch": found, "codes": codes}, status=422 if bound else 200)


@require_POST
@login_required
def batch_publish(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_batch(actor=request.user, batch_id=pk)
    count = services.code_batch_publish(actor=request.user, batch=found)
    messages.success(request, _("已发布 %(n)s 个云码") % {"n": count})
    return redirect(found)


def _printed(request: HttpRequest, code: Code) -> PrintedCode:
    target = code.lesson if code.lesson_id else code.point
    subtitle = (
        code.lesson.unit.title if code.lesson_id and code.lesson else (code.point.lesson.title if code.point else "")
    )
    return PrintedCode(
        code=code.code,
        title=str(target),
        subtitle=subtitle,
        url=code_url(code.code, base_url=request.build_absolute_uri("/")),
    )


@require_safe
@login_required
def batch_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable A4 PDF sheet of a batch."""
    found = selectors.access_batch(actor=request.user, batch_id=pk)
    items = [_printed(request, code) for code in selectors.batch_codes(batch=found)]
    pdf = sheet_pdf(title=found.title, codes=items)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="yunma-batch-{found.pk}.pdf"'
    return response


@require_safe
@login_required
def code_image(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    found = selectors.access_code(actor=request.user, code_id=pk)
    found = Code.objects.select_related("lesson__unit", "point__lesson").get(pk=found.pk)
    item = _printed(request, found)
    if fmt == "svg":
        response = HttpResponse(code_svg(item), content_type="image/svg+xml")
    else:
        response = HttpResponse(code_png(item), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="{found.code}.{fmt}"'
    return response


@require_POST
@login_required
def code_relink(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_code(actor=request.user, code_id=pk)
    form = RelinkForm(request.POST, auto_id=f"code{found.pk}-%s", actor=request.user, scope=_within_book(found.batch))
    if not form.is_valid():
        return _batch_page(request, found.batch, bound=form, code_id=found.pk)
    data = form.cleaned_data
    target: Lesson | KnowledgePoint = data.get("lesson") or data["point"]
    services.code_relink(
        actor=request.user,
        code=found,
        target=target,
        reason=data.get("reason", ""),
        confirm_published=bool(data.get("confirm")),
    )
    messages.success(request, _("云码 %(code)s 已改为指向“%(target)s”") % {"code": found.code, "target": target})
    return redirect(found.batch)


@require_POST
@login_required
def code_retire(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_code(actor=request.user, code_id=pk)
    services.code_retire(actor=request.user, code=found, reason=request.POST.get("reason", ""))
    messages.success(request, _("云码 %(code)s 已停用") % {"code": found.code})
    return redirect(found.batch)


@login_required
def scan_stats(request: HttpRequest) -> HttpResponse:
    report = selectors.scan_report(actor=request.user)
    chart = {
        "kind": "line",
        "labels": [day.strftime("%m-%d") for day in report.days],
        "series": [{"name": _("扫码次数"), "values": report.daily}],
    }
    rows = list(zip(report.days, report.daily, strict=True))[::-1]
    context = {"report": report, "chart_data": {"scans": chart}, "rows": rows}
    return render(request, "k12/scan_stats.html", context)
