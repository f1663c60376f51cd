"""The teachers' authoring pages: my courses and a new course (/courses/teach/), and under /courses/<id>/edit/
the about form, the outline editor (drag and drop, with up/down buttons without JavaScript), one form per block
type, publishing with its history, and copies into another course of theirs.

Every page and action asks ``can_edit_course``: a course the person may not write is "not found", whoever they
are. Writes go through the same services as the API.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhijiao.core.errors import NotFound
from zhijiao.core.views import service_errors

from .. import selectors, services
from ..authoring_forms import (
    AboutForm,
    CourseCopyForm,
    CourseCreateForm,
    MoveForm,
    NodeAddForm,
    NodeCopyForm,
    PublishForm,
    TitleForm,
    block_form_class,
)
from ..blocks import BlockType, block_types, get_type, render_block
from ..models import Block, Course, Node, NodeKind


def _editable(request: HttpRequest, course_id: int) -> Course:
    """The course when the signed-in person may write it; "not found" for everyone else."""
    course = selectors.access_course(actor=request.user, course_id=course_id)
    if not selectors.can_edit_course(request.user, course):
        raise NotFound
    return course


def _outline_url(course: Course, anchor: str = "") -> str:
    url = reverse("courses:edit_outline", args=[course.pk])
    return f"{url}#{anchor}" if anchor else url


# --- My courses ---------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def teach(request: HttpRequest) -> HttpResponse:
    """我教的课程: the courses whose team I am on, and a form to start one."""
    if not selectors.can_create_course(request.user) and not selectors.courses_taught_by(actor=request.user).exists():
        raise PermissionDenied(_("只有教师可以创建和编辑课程"))
    form = CourseCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors(form) as outcome:
            course = services.course_create(
                actor=request.user, title=form.cleaned_data["title"], summary=form.cleaned_data["summary"]
            )
        if outcome.ok:
            messages.success(request, _("课程已创建，请填写课程信息"))
            return redirect("courses:edit", course_id=course.pk)
    courses = selectors.courses_taught_by(actor=request.user)
    status = 422 if form.errors else 200
    return render(
        request,
        "courses/authoring/teach.html",
        {"form": form, "courses": courses, "can_create": selectors.can_create_course(request.user)},
        status=status,
    )


@login_required
@require_POST
def course_copy(request: HttpRequest, course_id: int) -> HttpResponse:
    """Copy a course of mine into a new course (its draft, with every item remembering its source)."""
    source = _editable(request, course_id)
    form = CourseCopyForm(request.POST)
    title = form.cleaned_data["title"] if form.is_valid() else ""
    course = services.course_copy(actor=request.user, source=source, title=title)
    messages.success(request, _("已复制为新课程“%(title)s”") % {"title": course.title})
    return redirect("courses:edit_outline", course_id=course.pk)


# --- About --------------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, course_id: int) -> HttpResponse:
    """The course's about form: what the catalogue and the course page show."""
    course = _editable(request, course_id)
    initial = {
        "title": course.title,
        "summary": course.summary,
        "university": course.university_id,
        "discipline": course.discipline.code if course.discipline else "",
        "level": course.level,
        "credit_hours": course.credit_hours,
        "credits": course.credits,
        "syllabus": course.syllabus,
        "prerequisites": course.prerequisites,
        "tags": "、".join(course.tags or []),
        "first_class_year": course.first_class_year,
    }
    form = AboutForm(request.POST or None, request.FILES or None, initial=initial, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with service_errors(form) as outcome:
            services.course_about_save(
                actor=request.user,
                course=course,
                intro_video_upload=data["intro_video"] or None,
                title=data["title"],
                summary=data["summary"],
                university=data["university"],
                discipline=data["discipline"],
                level=data["level"],
                credit_hours=data["credit_hours"],
                credits=data["credits"],
                cover=data["cover"] or None,
                remove_cover=data["remove_cover"],
                intro_video=None if data["remove_intro_video"] and not data["intro_video"] else services.KEEP,
                syllabus=data["syllabus"],
                prerequisites=data["prerequisites"],
                tags=form.tag_list(),
                first_class_year=data["first_class_year"],
            )
        if outcome.ok:
            messages.success(request, _("课程信息已保存"))
            return redirect("courses:edit", course_id=course.pk)
    status = 422 if form.errors else 200
    return render(request, "courses/authoring/about.html", {"course": course, "form": form}, status=status)


# --- The outline --------------------------------------------------------------------------------------------------


def _tree(outline: selectors.Outline) -> list[dict[str, Any]]:
    """The outline's nodes with what the editor shows of each: its siblings' ids (the order the page saw)."""

    def annotate(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        seen = ",".join(str(node["id"]) for node in nodes)
        return [
            {
                **node,
                "seen": seen,
                "first": index == 0,
                "last": index == len(nodes) - 1,
                "children": annotate(node["children"]),
            }
            for index, node in enumerate(nodes)
        ]

    return annotate(outline["nodes"])


@login_required
def edit_outline(request: HttpRequest, course_id: int) -> HttpResponse:
    """The outline editor: chapters, sections and units to add, rename, remove, reorder and copy."""
    course = _editable(request, course_id)
    outline = selectors.draft_outline(course=course)
    chapter_targets, unit_targets = selectors.copy_targets(actor=request.user, exclude=course)
    return render(
        request,
        "courses/authoring/outline.html",
        {
            "course": course,
            "nodes": _tree(outline),
            "top_seen": ",".join(str(node["id"]) for node in outline["nodes"]),
            "revision": outline["revision"],
            "chapter_targets": chapter_targets,
            "unit_targets": unit_targets,
            "section_targets": _targets_for(NodeKind.SECTION, chapter_targets, unit_targets),
            "api_order": f"{reverse('api:api-root')}courses/{course.pk}/nodes/order",
        },
    )


@login_required
@require_POST
def node_add(request: HttpRequest, course_id: int) -> HttpResponse:
    course = _editable(request, course_id)
    form = NodeAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写标题"))
        return redirect(_outline_url(course))
    parent_id = form.cleaned_data["parent"]
    parent = selectors.node_of(course=course, node_id=parent_id) if parent_id else None
    node = services.node_add(
        actor=request.user,
        course=course,
        kind=form.cleaned_data["kind"],
        title=form.cleaned_data["title"],
        parent=parent,
    )
    messages.success(request, _("已添加“%(title)s”") % {"title": node.title})
    return redirect(_outline_url(course, f"node-{node.pk}"))


@login_required
@require_POST
def node_rename(request: HttpRequest, course_id: int, node_id: int) -> HttpResponse:
    course = _editable(request, course_id)
    node = selectors.node_of(course=course, node_id=node_id)
    form = TitleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写标题"))
    else:
        services.node_update(actor=request.user, node=node, title=form.cleaned_data["title"])
        messages.success(request, _("已保存"))
    return redirect(_outline_url(course, f"node-{node.pk}"))


@login_required
@require_POST
def node_remove(request: HttpRequest, course_id: int, node_id: int) -> HttpResponse:
    course = _editable(request, course_id)
    node = selectors.node_of(course=course, node_id=node_id)
    services.node_remove(actor=request.user, node=node)
    messages.success(request, _("已删除“%(title)s”及其下的全部内容") % {"title": node.title})
    return redirect(_outline_url(course))


@login_required
@require_POST
def node_move(request: HttpRequest, course_id: int, node_id: int) -> HttpResponse:
    """Up or down one place: the no-JavaScript way of reordering (a stale page moves nothing and says so)."""
    course = _editable(request, course_id)
    node = selectors.node_of(course=course, node_id=node_id)
    form = MoveForm(request.POST)
    if form.is_valid():
        services.node_move(
            actor=request.user, course=course, node=node, seen=form.seen_ids(), step=form.cleaned_data["step"]
        )
    return redirect(_outline_url(course, f"node-{node.pk}"))


def _targets_for(kind: str, chapter_targets: list[Any], unit_targets: list[Any]) -> list[Any]:
    if kind == NodeKind.CHAPTER:
        return chapter_targets
    if kind == NodeKind.SECTION:
        return [target for target in unit_targets if target.kind == NodeKind.CHAPTER]
    return unit_targets


@login_required
@require_POST
def node_copy(request: HttpRequest, course_id: int, node_id: int) -> HttpResponse:
    """Copy a chapter (into another course of mine) or a unit (into a chapter or section of one)."""
    course = _editable(request, course_id)
    node = selectors.node_of(course=course, node_id=node_id)
    chapter_targets, unit_targets = selectors.copy_targets(actor=request.user, exclude=course)
    targets = _targets_for(node.kind, chapter_targets, unit_targets)
    form = NodeCopyForm(request.POST, targets=targets)
    if not form.is_valid():
        messages.error(request, _("请选择要复制到的位置"))
        return redirect(_outline_url(course, f"node-{node.pk}"))
    target = next(t for t in targets if t.value == form.cleaned_data["target"])
    parent = selectors.node_of(course=target.course, node_id=target.node_id) if target.node_id else None
    services.node_copy(
        actor=request.user, source=course, content_id=str(node.content_id), target=target.course, parent=parent
    )
    messages.success(request, _("已复制到“%(course)s”") % {"course": target.course.title})
    return redirect(_outline_url(course, f"node-{node.pk}"))


# --- A unit and its blocks ----------------------------------------------------------------------------------------


def _unit(course: Course, node_id: int) -> Node:
    unit = selectors.node_of(course=course, node_id=node_id)
    if unit.kind != NodeKind.UNIT:
        raise NotFound
    return unit


@login_required
def edit_unit(request: HttpRequest, course_id: int, node_id: int) -> HttpResponse:
    """A unit's blocks as learners will see them, each with its edit, move and remove buttons."""
    course = _editable(request, course_id)
    unit = _unit(course, node_id)
    outline = selectors.draft_outline(course=course)
    entry = selectors.find_node(outline, str(unit.content_id)) or {"blocks": []}
    seen = ",".join(str(block["id"]) for block in entry["blocks"])
    blocks = [
        {
            "entry": block,
            "html": render_block(block, course_id=course.pk, assets=outline["assets"], draft=True),
            "type": get_type(block["type"]),
            "first": index == 0,
            "last": index == len(entry["blocks"]) - 1,
        }
        for index, block in enumerate(entry["blocks"])
    ]
    return render(
        request,
        "courses/authoring/unit.html",
        {
            "course": course,
            "unit": unit,
            "blocks": blocks,
            "seen": seen,
            "block_types": block_types(),
            "api_order": f"{reverse('api:api-root')}courses/{course.pk}/nodes/{unit.pk}/blocks/order",
        },
    )


def _block_type(name: str) -> BlockType:
    found = get_type(name)
    if found is None:
        raise NotFound
    return found


def _block_form_data(block_type: BlockType, form: Any, existing: dict[str, Any]) -> tuple[dict[str, Any], dict]:
    """The block's data from its form (kept files stay, cleared ones go) and the files uploaded, by slot."""
    slots = {slot.name for slot in block_type.files} | {f"clear_{slot.name}" for slot in block_type.files}
    data = block_type.form_data(
        {name: value for name, value in form.cleaned_data.items() if name != "title" and name not in slots}
    )
    uploads = {}
    for slot in block_type.files:
        upload = form.cleaned_data.get(slot.name)
        if upload:
            uploads[slot.name] = upload
        elif existing.get(slot.name) and not form.cleaned_data.get(f"clear_{slot.name}"):
            data[slot.name] = existing[slot.name]
    return data, uploads


@login_required
@require_http_methods(["GET", "POST"])
def block_new(request: HttpRequest, course_id: int, node_id: int, type_name: str) -> HttpResponse:
    course = _editable(request, course_id)
    unit = _unit(course, node_id)
    block_type = _block_type(type_name)
    form = block_form_class(block_type, course=course)(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data, uploads = _block_form_data(block_type, form, {})
        with service_errors(form) as outcome:
            services.block_compose(
                actor=request.user,
                course=course,
                type=block_type.name,
                title=form.cleaned_data["title"],
                data=data,
                uploads=uploads,
                unit=unit,
            )
        if outcome.ok:
            messages.success(request, _("已添加%(type)s") % {"type": block_type.label})
            return redirect("courses:edit_unit", course_id=course.pk, node_id=unit.pk)
    context = {"course": course, "unit": unit, "block_type": block_type, "form": form, "block": None}
    return render(request, "courses/authoring/block.html", context, status=422 if form.errors else 200)


def _block(course: Course, block_id: int) -> Block:
    return selectors.block_of(course=course, block_id=block_id)


@login_required
@require_http_methods(["GET", "POST"])
def block_edit(request: HttpRequest, course_id: int, block_id: int) -> HttpResponse:
    course = _editable(request, course_id)
    block = _block(course, block_id)
    block_type = _block_type(block.type)
    initial = {"title": block.title, **block_type.form_initial(block.data)}
    form = block_form_class(block_type, course=course, existing=block.data)(
        request.POST or None, request.FILES or None, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data, uploads = _block_form_data(block_type, form, block.data)
        with service_errors(form) as outcome:
            services.block_compose(
                actor=request.user,
                course=course,
                type=block_type.name,
                title=form.cleaned_data["title"],
                data=data,
                uploads=uploads,
                block=block,
            )
        if outcome.ok:
            messages.success(request, _("已保存"))
            return redirect("courses:edit_unit", course_id=course.pk, node_id=block.unit_id)
    unit = selectors.node_of(course=course, node_id=block.unit_id)
    context = {"course": course, "unit": unit, "block_type": block_type, "form": form, "block": block}
    return render(request, "courses/authoring/block.html", context, status=422 if form.errors else 200)


@login_required
@require_POST
def block_remove(request: HttpRequest, course_id: int, block_id: int) -> HttpResponse:
    course = _editable(request, course_id)
    block = _block(course, block_id)
    services.block_remove(actor=request.user, block=block)
    messages.success(request, _("内容块已删除"))
    return redirect("courses:edit_unit", course_id=course.pk, node_id=block.unit_id)


@login_required
@require_POST
def block_move(request: HttpRequest, course_id: int, block_id: int) -> HttpResponse:
    course = _editable(request, course_id)
    block = _block(course, block_id)
    form = MoveForm(request.POST)
    if form.is_valid():
        services.block_move(actor=request.user, block=block, seen=form.seen_ids(), step=form.cleaned_data["step"])
    return HttpResponseRedirect(
        reverse("courses:edit_unit", args=[course.pk, block.unit_id]) + f"#block-{block.pk}", status=303
    )


# --- Publishing ---------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest, course_id: int) -> HttpResponse:
    """Publish the draft the teacher reviewed (its revision) with a note; the version history below."""
    course = _editable(request, course_id)
    form = PublishForm(request.POST or None, initial={"revision": course.revision})
    if request.method == "POST" and form.is_valid():
        with service_errors(form) as outcome:
            version = services.course_publish(
                actor=request.user,
                course=course,
                revision=form.cleaned_data["revision"],
                note=form.cleaned_data["note"],
            )
        if outcome.ok:
            messages.success(request, _("已发布第 %(number)d 版，学习者现在看到的就是它") % {"number": version.number})
            return redirect("courses:publish", course_id=course.pk)
    versions = selectors.versions_of(course=course)
    context = {"course": course, "form": form, "versions": versions, "copy_form": CourseCopyForm()}
    return render(request, "courses/authoring/publish.html", context, status=422 if form.errors else 200)
