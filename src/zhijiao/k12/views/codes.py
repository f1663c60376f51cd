"""The K-12 platform's pages. Thin: each calls one selector or one service; every page works without JavaScript."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.csp import CSP
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_POST, require_safe

from zhijiao.analytics.selectors import hot_objects
from zhijiao.analytics.services import mark_viewed
from zhijiao.core.actors import Actor, signed_in
from zhijiao.core.errors import NotFound
from zhijiao.core.files import serve_file
from zhijiao.core.pagecache import public_page
from zhijiao.core.views import service_errors
from zhijiao.portal.selectors import platform_page

from .. import selectors, services
from ..codes import PrintedCode, code_png, code_svg, code_url, normalize_code, sheet_pdf
from ..forms import (
    AddStudentForm,
    AssignmentForm,
    BatchForm,
    ClassForm,
    CollectionAddForm,
    CollectionForm,
    JoinForm,
    ReasonForm,
    RelinkForm,
    ResourceUploadForm,
)
from ..models import AFTER_SCHOOL_COLUMNS, Code, Column, KnowledgePoint, Lesson, Resource, Stage, grade_label


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next") or fallback
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None) or not target.startswith("/"):
        target = fallback
    return redirect(target)


# --- Catalogue pages ------------------------------------------------------------------------------------------


@require_safe
@public_page
def index(request: HttpRequest) -> HttpResponse:
    grouped = selectors.subjects_by_stage()
    context = {
        "page": platform_page(key="k12"),
        "stages": [(value, label, grouped[value]) for value, label in Stage.choices],
        "hot": hot_objects(platform="k12", days=7, limit=8),
        "columns": selectors.column_shelves(per_column=3),
        "extra_columns": [Column.FAMILY, Column.HOMEWORK],
    }
    return render(request, "k12/index.html", context)


@require_safe
@public_page
def stage(request: HttpRequest, stage: str) -> HttpResponse:
    subjects = selectors.stage_subjects(stage=stage)
    return render(request, "k12/stage.html", {"stage": Stage(stage), "subjects": subjects})


@require_safe
@public_page
def subject(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.subject_get(subject_id=pk)
    shelves = selectors.subject_shelves(subject=found)
    return render(request, "k12/subject.html", {"subject": found, "shelves": shelves})


@require_safe
@public_page
def book(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.book_get(book_id=pk)
    mark_viewed(request, found)
    return render(request, "k12/book.html", {"book": found, "units": selectors.book_tree(book=found)})


def _player_context(request: HttpRequest, resources: list[Resource]) -> dict[str, Any]:
    main = next((item for item in resources if item.is_playable), None)
    progress = selectors.progress_of(student=request.user, resource=main) if main else None
    return {"main": main, "others": [item for item in resources if item is not main], "progress": progress}


@require_safe
@public_page
def lesson(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.lesson_get(lesson_id=pk)
    mark_viewed(request, found)
    previous, following = selectors.lesson_neighbours(lesson=found)
    context = {
        "lesson": found,
        "book": found.unit.book,
        "points": list(found.points.order_by("position")),
        "previous": previous,
        "next": following,
        **_player_context(request, selectors.lesson_resources(lesson=found)),
    }
    return render(request, "k12/lesson.html", context)


@require_safe
@public_page
def point(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.point_get(point_id=pk)
    mark_viewed(request, found.lesson)
    context = {
        "point": found,
        "lesson": found.lesson,
        "book": found.lesson.unit.book,
        **_player_context(request, selectors.point_resources(point=found)),
    }
    return render(request, "k12/point.html", context)


@require_safe
def resource(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_resource(actor=request.user, resource_id=pk)
    if found.is_published:
        mark_viewed(request, found)
    context = {
        "resource": found,
        "progress": selectors.progress_of(student=request.user, resource=found),
        "can_edit": selectors.can_edit_resource(request.user, found),
        "can_review": selectors.can_review_resources(request.user),
        "reason_form": ReasonForm(),
    }
    return render(request, "k12/resource.html", context)


@require_safe
@public_page
def column(request: HttpRequest, column: str) -> HttpResponse:
    if column not in Column.values:
        raise Http404
    subject_id = request.GET.get("subject", "")
    grade = request.GET.get("grade", "")
    qs = selectors.resource_list(
        column=column,
        subject_id=int(subject_id) if subject_id.isdigit() else None,
        grade=int(grade) if grade.isdigit() and 1 <= int(grade) <= 12 else None,
    )
    page = Paginator(qs, 24).get_page(request.GET.get("page"))
    context = {
        "column": Column(column),
        "page_obj": page,
        "after_school": [Column(value) for value in AFTER_SCHOOL_COLUMNS],
        "subjects": [item for group in selectors.subjects_by_stage().values() for item in group],
        "grades": [(value, grade_label(value)) for value in range(1, 13)],
        "chosen_subject": subject_id,
        "chosen_grade": grade,
    }
    return render(request, "k12/column.html", context)


# --- Media ------------------------------------------------------------------------------------------------------

MEDIA_CSP = {"default-src": [CSP.NONE], "frame-ancestors": [CSP.SELF], "style-src": [CSP.UNSAFE_INLINE]}


def _download_name(found: Resource, name: str) -> str:
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    return f"{found.title}.{extension}" if extension else found.title


@require_safe
@xframe_options_sameorigin
@csp_override(MEDIA_CSP)
def media_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The resource's file, streamed with byte ranges (video seeking, iOS Safari) or as a download."""
    found = selectors.access_resource(actor=request.user, resource_id=pk)
    if not found.file:
        raise Http404
    download = request.GET.get("download") == "1"
    return serve_file(
        request,
        found.file,
        content_type=found.mime_type or "application/octet-stream",
        filename=_download_name(found, str(found.file.name)),
        download=download,
        public=found.is_published,
    )


@require_safe
@csp_override(MEDIA_CSP)
def media_poster(request: HttpRequest, pk: int) -> HttpResponseBase:
    found = selectors.access_resource(actor=request.user, resource_id=pk)
    if not found.poster:
        raise Http404
    return serve_file(
        request, found.poster, content_type=_image_type(str(found.poster.name)), public=found.is_published
    )


@require_safe
@csp_override(MEDIA_CSP)
def media_image(request: HttpRequest, pk: int, position: int) -> HttpResponseBase:
    found = selectors.access_resource(actor=request.user, resource_id=pk)
    picture = next((item for item in found.images.all() if item.position == position), None)
    if picture is None:
        raise Http404
    return serve_file(
        request, picture.image, content_type=_image_type(str(picture.image.name)), public=found.is_published
    )


def _image_type(name: str) -> str:
    lower = name.lower()
    if lower.endswith(".png"):
        return "image/png"
    if lower.endswith(".webp"):
        return "image/webp"
    return "image/jpeg"


# --- Progress (pages) ---------------------------------------------------------------------------------------------


@require_POST
@login_required
def resource_complete(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_resource(actor=request.user, resource_id=pk)
    services.progress_complete(student=request.user, resource=found)
    messages.success(request, _("已记录为完成"))
    return _back(request, found.get_absolute_url())


# --- Upload and review ----------------------------------------------------------------------------------------


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    if not selectors.can_upload_resource(request.user):
        raise PermissionDenied(_("只有教师和平台工作人员可以上传资源"))
    form = ResourceUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        lesson_obj = data["lesson"]
        with service_errors(form) as outcome:
            created = services.resource_create(
                actor=request.user,
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                teacher_name=data["teacher_name"],
                school_name=data["school_name"],
                licence=data["licence"],
                tags=data["tags"],
                url=data["url"] or "",
                file=data["file"],
                poster=data["poster"],
                images=data["images"],
                lesson=lesson_obj,
                subject_id=data["subject"].pk if data["subject"] else None,
                grade=data["grade"],
                column=data["column"] or "",
                is_explanation=data["is_explanation"],
            )
        if outcome.ok:
            messages.success(request, _("资源已保存为草稿，提交审核后发布"))
            return redirect(created)
    status = 422 if request.method == "POST" else 200
    return render(request, "k12/upload.html", {"form": form}, status=status)


@login_required
def my_resources(request: HttpRequest) -> HttpResponse:
    if not selectors.can_upload_resource(request.user):
        raise PermissionDenied
    items = selectors.resources_owned(user=request.user)
    return render(request, "k12/my_resources.html", {"resources": items})


@require_POST
@login_required
def resource_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """submit / publish / reject / withdraw, each through its service."""
    found = selectors.access_resource(actor=request.user, resource_id=pk)
    if action == "submit":
        services.resource_submit(actor=request.user, resource=found)
        messages.success(request, _("已提交审核"))
    elif action == "publish":
        services.resource_publish(actor=request.user, resource=found)
        messages.success(request, _("资源已发布"))
    elif action == "reject":
        services.resource_reject(actor=request.user, resource=found, reason=request.POST.get("reason", ""))
        messages.success(request, _("已退回给上传者"))
    elif action == "withdraw":
        services.resource_withdraw(actor=request.user, resource=found, reason=request.POST.get("reason", ""))
        messages.success(request, _("资源已撤回"))
    else:
        raise Http404
    return _back(request, found.get_absolute_url())


@login_required
def review(request: HttpRequest) -> HttpResponse:
    if not selectors.can_review_resources(request.user):
        raise PermissionDenied
    return render(request, "k12/review.html", {"resources": selectors.review_queue(), "reason_form": ReasonForm()})


# --- 云码 ----------------------------------------------------------------------------------------------------------


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
        **_player_context(request, resources),
    }
    return render_to_string("k12/code.html", context, request=request)


@require_safe
def code_page(request: HttpRequest, code: str) -> HttpResponse:
    """/q/<code>: what a phone opens after scanning the book. Counted, cached, teacher's explanation first."""
    resolved = selectors.resolve_code(code=code)
    if resolved is None or resolved.status != Code.Status.PUBLISHED:
        known_book = selectors.book_get(book_id=resolved.book_id) if resolved and resolved.book_id else None
        context = {"code": normalize_code(code)[:16], "book": known_book}
        return render(request, "k12/code_unknown.html", context, status=404)
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
    form = BatchForm(request.POST or None)
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
    codes = list(selectors.batch_codes(batch=found))
    return render(request, "k12/batch.html", {"batch": found, "codes": codes, "relink_form": RelinkForm()})


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
    form = RelinkForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, str(text))
        return redirect(found.batch)
    data = form.cleaned_data
    target: Lesson | KnowledgePoint | None
    if data.get("lesson"):
        target = Lesson.objects.filter(pk=data["lesson"]).first()
    else:
        target = KnowledgePoint.objects.filter(pk=data["point"]).first()
    if target is None:
        messages.error(request, _("没有这个课时或知识点"))
        return redirect(found.batch)
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


# --- Collections and district usage -------------------------------------------------------------------------------


@login_required
def collections(request: HttpRequest) -> HttpResponse:
    agencies = selectors.district_agencies(request.user)
    if not (agencies or selectors.is_k12_staff(request.user)):
        raise PermissionDenied(_("只有区县教育工作人员可以管理合集"))
    form = CollectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not agencies:
            raise PermissionDenied(_("只有区县教育工作人员可以创建合集"))
        with service_errors(form) as outcome:
            made = services.collection_create(
                actor=request.user,
                district=agencies[0],
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                subject_id=form.cleaned_data["subject"].pk if form.cleaned_data["subject"] else None,
            )
        if outcome.ok:
            messages.success(request, _("合集已创建，添加资源后发布"))
            return redirect(made)
    context = {"form": form, "collections": selectors.collections_for(actor=request.user)}
    return render(request, "k12/collections.html", context, status=422 if request.method == "POST" else 200)


def collection(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_collection(actor=request.user, collection_id=pk)
    can_manage = selectors.can_manage_collection(request.user, found)
    if request.method == "POST":
        if not can_manage:
            raise Http404
        action = request.POST.get("action", "")
        item_text = request.POST.get("item", "")
        item_id = int(item_text) if item_text.isdigit() else 0
        if action == "add":
            form = CollectionAddForm(request.POST)
            if form.is_valid():
                item = Resource.objects.filter(pk=form.cleaned_data["resource"]).first()
                if item is None:
                    messages.error(request, _("没有这个资源"))
                else:
                    services.collection_add(actor=request.user, collection=found, resource=item)
            else:
                messages.error(request, _("请输入资源编号"))
        elif action in ("up", "down"):
            services.collection_move(actor=request.user, collection=found, item_id=item_id, up=action == "up")
        elif action == "remove":
            services.collection_remove(actor=request.user, collection=found, item_id=item_id)
        elif action in ("publish", "unpublish"):
            services.collection_publish(actor=request.user, collection=found, published=action == "publish")
        elif action == "codes":
            made = services.code_batch_generate(actor=request.user, collection=found)
            messages.success(request, _("已为合集生成云码批次"))
            return redirect(made)
        return redirect(found)
    context = {
        "collection": found,
        "items": selectors.collection_items(collection=found),
        "can_manage": can_manage,
        "add_form": CollectionAddForm(),
        "item_actions": [("up", _("上移")), ("down", _("下移")), ("remove", _("移除"))],
    }
    return render(request, "k12/collection.html", context)


@login_required
def district(request: HttpRequest) -> HttpResponse:
    agency = selectors.access_district(actor=request.user)
    usage = selectors.district_usage(district=agency)
    return render(request, "k12/district.html", {"usage": usage})


# --- Classes ----------------------------------------------------------------------------------------------------------


@login_required
def classes(request: HttpRequest) -> HttpResponse:
    """Everyone's class page: a teacher's classes, a student's assignments, a parent's children."""
    schools = selectors.teacher_schools(request.user)
    class_form = ClassForm(request.POST or None, schools=schools) if schools else None
    join_form = JoinForm()
    if request.method == "POST":
        if request.POST.get("action") == "join":
            join_form = JoinForm(request.POST)
            if join_form.is_valid():
                with service_errors(join_form) as outcome:
                    joined = services.class_join(student=request.user, join_code=join_form.cleaned_data["join_code"])
                if outcome.ok:
                    messages.success(request, _("已加入“%(name)s”") % {"name": joined.name})
                    return redirect("k12:classes")
        elif class_form is not None and class_form.is_valid():
            with service_errors(class_form) as outcome:
                made = services.class_create(
                    actor=request.user,
                    school=class_form.cleaned_data["school"],
                    name=class_form.cleaned_data["name"],
                    grade=class_form.cleaned_data["grade"],
                )
            if outcome.ok:
                messages.success(request, _("班级已创建，班级码 %(code)s") % {"code": made.join_code})
                return redirect(made)
        elif class_form is None:
            raise PermissionDenied(_("只有教师可以创建班级"))
    context = {
        "class_form": class_form,
        "join_form": join_form,
        "taught": selectors.classes_taught(user=request.user),
        "joined": selectors.classes_joined(user=request.user),
        "assignments": selectors.assignments_of_student(student=request.user),
        "children": selectors.children_assignments(parent=request.user),
    }
    return render(request, "k12/classes.html", context, status=422 if request.method == "POST" else 200)


@login_required
def klass(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_class(actor=request.user, class_id=pk)
    can_manage = selectors.can_manage_class(request.user, found)
    add_form = AddStudentForm()
    assign_form = AssignmentForm()
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise Http404
        action = request.POST.get("action")
        if action == "add":
            add_form = AddStudentForm(request.POST)
            if add_form.is_valid():
                with service_errors(add_form) as outcome:
                    services.class_add_student(actor=request.user, klass=found, phone=add_form.cleaned_data["phone"])
                if outcome.ok:
                    messages.success(request, _("学生已加入班级"))
                    return redirect(found)
        elif action == "remove":
            services.class_remove_student(
                actor=request.user, klass=found, student_id=int(request.POST.get("student", 0))
            )
            messages.success(request, _("已移出班级"))
            return redirect(found)
        elif action == "assign":
            assign_form = AssignmentForm(request.POST)
            if assign_form.is_valid():
                made = _assign(request, found, assign_form)
                if made is not None:
                    messages.success(request, _("任务已布置"))
                    return redirect(made)
        status = 422
    context = {
        "klass": found,
        "can_manage": can_manage,
        "members": selectors.class_members(klass=found) if can_manage else [],
        "assignments": selectors.class_assignments(klass=found),
        "add_form": add_form,
        "assign_form": assign_form,
        "join_url": request.build_absolute_uri(reverse("k12:classes")),
    }
    return render(request, "k12/class.html", context, status=status)


def _assign(request: HttpRequest, found: Any, form: AssignmentForm) -> Any:
    data = form.cleaned_data
    lesson_obj = Lesson.objects.filter(pk=data["lesson"]).first() if data.get("lesson") else None
    collection_obj = None
    if data.get("collection"):
        try:
            collection_obj = selectors.access_collection(actor=request.user, collection_id=data["collection"])
        except NotFound:
            form.add_error("collection", _("没有这个合集"))
            return None
    chosen = []
    if data.get("resource"):
        try:
            chosen = [selectors.access_resource(actor=request.user, resource_id=data["resource"])]
        except NotFound:
            form.add_error("resource", _("没有这个资源"))
            return None
    if data.get("lesson") and lesson_obj is None:
        form.add_error("lesson", _("没有这个课时"))
        return None
    with service_errors(form) as outcome:
        made = services.assignment_create(
            actor=request.user,
            klass=found,
            purpose=data["purpose"],
            due_date=data["due_date"],
            title=data.get("title", ""),
            note=data.get("note", ""),
            lesson=lesson_obj,
            collection=collection_obj,
            resources=chosen,
        )
    return made if outcome.ok else None


@login_required
def assignment(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_assignment(actor=request.user, assignment_id=pk)
    can_manage = selectors.can_manage_class(request.user, found.klass)
    resources = selectors.assignment_resources(assignment=found)
    mine = {row.resource_id: row for row in selectors.progress_rows(student=request.user, resources=resources)}
    context = {
        "assignment": found,
        "resources": [(item, mine.get(item.pk)) for item in resources],
        "can_manage": can_manage,
        "report": selectors.assignment_report(assignment=found) if can_manage else [],
    }
    return render(request, "k12/assignment.html", context)


def search_redirect(request: HttpRequest) -> HttpResponse:
    """Search within K-12: the unified search, filtered to this platform."""
    query = urlencode({"platform": "k12", "q": request.GET.get("q", "")[:100]})
    return redirect(f"{reverse('search:results')}?{query}")
