"""The course engine's API (/api/v1/courses/): courses and their team, the draft tree and its blocks, uploads,
publishing, the published outline, copies."""

from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Status
from ninja.files import UploadedFile

from zhijiao.accounts.models import User
from zhijiao.core.actors import MemberRequest
from zhijiao.core.api_auth import session_or_token
from zhijiao.core.api_errors import ErrorOut
from zhijiao.core.errors import NotFound
from zhijiao.core.params import Id, Int
from zhijiao.orgs.selectors import organization_get

from .. import selectors, services
from ..blocks import block_types, get_type, media_url
from ..models import Asset, Block, BlockProgress, Course, CourseVersion, Node, Run
from ..schemas import (
    AssetOut,
    BlockIn,
    BlockOut,
    BlockPatchIn,
    BlockProgressIn,
    BlockProgressOut,
    BlockTypeOut,
    CourseCopyIn,
    CourseIn,
    CourseOut,
    CoursePatchIn,
    EnrolIn,
    NodeCopyIn,
    NodeIn,
    NodeOut,
    NodePatchIn,
    NodeReorderIn,
    OrderOut,
    OutlineOut,
    PublishIn,
    ReorderIn,
    RunIn,
    RunOut,
    RunProgressOut,
    TeamMemberIn,
    TeamMemberOut,
    VersionOut,
)

# A block type's or a slot's name (video, file, subtitles …); which names go together is the block registry's.
NAME_PATTERN = r"^[a-z][a-z0-9_]*$"

router = Router(tags=["courses"], auth=session_or_token)
# Runs first: ninja tries routes in order, and "runs" must not be read as a course id.
ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}


# --- Runs, enrolment, progress ----------------------------------------------------------------------------------


def run_out(run: Run, actor: Any) -> dict[str, Any]:
    return {
        "id": run.pk,
        "course_id": run.course_id,
        "title": run.title,
        "kind": run.kind,
        "university": run.university.name if run.university else None,
        "has_join_code": bool(run.join_code),
        "enrol_opens_at": run.enrol_opens_at,
        "enrol_closes_at": run.enrol_closes_at,
        "starts_at": run.starts_at,
        "ends_at": run.ends_at,
        "enrolment_open": selectors.enrolment_is_open(run),
        "enrolled": selectors.is_enrolled(actor, run),
    }


def progress_out(content_id: str, row: BlockProgress | None) -> dict[str, Any]:
    return {
        "content_id": content_id,
        "position": row.position_seconds if row else 0,
        "watched": float(row.watched) if row else 0.0,
        "opened": row.opened if row else False,
        "completed": bool(row and row.completed_at),
    }


@router.post("/runs/{run_id}/enrolment", response={201: RunOut, **ERRORS}, operation_id="courses_enrol")
def enrol(request: MemberRequest, run_id: Id, data: EnrolIn) -> Any:
    """Join a run (open runs: anyone signed in; SPOC runs: the university's students, with the join code)."""
    run = selectors.access_run(actor=request.user, run_id=run_id)
    services.enrolment_create(
        actor=request.user, run=run, join_code=data.join_code, student_number=data.student_number, name=data.name
    )
    return Status(201, run_out(run, request.user))


@router.get("/runs/{run_id}/progress", response={200: RunProgressOut, **ERRORS}, operation_id="courses_progress")
def progress(request: MemberRequest, run_id: Id) -> Any:
    """My progress on every block of the run's published course (my own only)."""
    run = selectors.access_run(actor=request.user, run_id=run_id)
    if not selectors.is_enrolled(request.user, run):
        raise NotFound
    outline = selectors.published_outline(course=run.course)
    ids = [block["content_id"] for node in selectors.walk(outline["nodes"]) for block in node["blocks"]]
    rows = selectors.progress_of(actor=request.user, content_ids=ids)
    blocks = [progress_out(content_id, rows.get(content_id)) for content_id in ids]
    return {"completed": sum(1 for item in blocks if item["completed"]), "total": len(ids), "blocks": blocks}


@router.post(
    "/runs/{run_id}/progress", response={200: BlockProgressOut, **ERRORS}, operation_id="courses_progress_record"
)
def progress_record(request: MemberRequest, run_id: Id, data: BlockProgressIn) -> Any:
    """The learning page reports progress on a block of the run (position, share watched, opened)."""
    run = selectors.access_run(actor=request.user, run_id=run_id)
    row = services.progress_record(
        actor=request.user,
        run=run,
        content_id=data.content_id,
        position=data.position,
        watched=data.watched,
        opened=data.opened,
    )
    return progress_out(str(row.content_id), row)


# --- Shapes -------------------------------------------------------------------------------------------------------


def course_out(course: Course, actor: Any) -> dict[str, Any]:
    version = course.published_version
    return {
        "id": course.pk,
        "title": course.title,
        "summary": course.summary,
        "university": course.university.name if course.university_id and course.university else None,
        "revision": course.revision,
        "published_version": version.number if version is not None else None,
        "has_unpublished_changes": course.has_unpublished_changes,
        "role": selectors.team_role(actor, course),
        "can_edit": selectors.can_edit_course(actor, course),
        "source_id": course.source_id,
        "source_version": course.source_version,
        **about_out(course),
    }


def about_out(course: Course) -> dict[str, Any]:
    discipline = course.discipline
    return {
        "discipline": {
            "code": discipline.code,
            "name": discipline.name,
            "category": discipline.parent.name if discipline.parent else "",
        }
        if discipline is not None
        else None,
        "level": course.level,
        "credit_hours": course.credit_hours,
        "credits": course.credits,
        "cover": course.cover.url if course.cover else None,
        "intro_video_id": course.intro_video_id,
        "syllabus": course.syllabus,
        "prerequisites": course.prerequisites,
        "tags": list(course.tags or []),
        "first_class_year": course.first_class_year,
    }


def version_out(version: CourseVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "revision": version.revision,
        "block_count": version.block_count,
        "note": version.note,
        "published_at": version.published_at,
        "published_by": str(version.published_by) if version.published_by else None,
    }


def asset_out(asset: Asset) -> dict[str, Any]:
    return {"id": asset.pk, **selectors.asset_out(asset)}


def _outline_out(outline: selectors.Outline, *, version: Int | None, draft: bool) -> dict[str, Any]:
    course_id = outline["course_id"]

    def block(entry: dict[str, Any]) -> dict[str, Any]:
        block_type = get_type(entry["type"])
        media = {
            slot.name: media_url(course_id=course_id, content_id=entry["content_id"], slot=slot.name, draft=draft)
            for slot in (block_type.files if block_type else ())
            if entry["data"].get(slot.name)
        }
        return {**entry, "media": media}

    def node(entry: dict[str, Any]) -> dict[str, Any]:
        return {
            **entry,
            "children": [node(child) for child in entry["children"]],
            "blocks": [block(item) for item in entry["blocks"]],
        }

    return {
        "course_id": course_id,
        "revision": outline["revision"],
        "version": version,
        "nodes": [node(entry) for entry in outline["nodes"]],
        "assets": outline["assets"],
    }


# --- Courses ------------------------------------------------------------------------------------------------------


@router.get("/block-types", response=list[BlockTypeOut], auth=None, operation_id="courses_block_types")
def block_type_list(request: HttpRequest) -> list[dict[str, Any]]:
    """The kinds of block a unit may hold, what each counts as done and which files it takes."""
    return [
        {
            "name": item.name,
            "label": str(item.label),
            "completion": str(item.completion_label),
            "files": [slot.name for slot in item.files],
        }
        for item in block_types()
    ]


@router.get("/mine", response=list[CourseOut], operation_id="courses_mine")
def course_mine(request: MemberRequest) -> list[dict[str, Any]]:
    """The courses whose teaching team I am on."""
    return [course_out(course, request.user) for course in selectors.courses_taught_by(actor=request.user)]


@router.post("", response={201: CourseOut, **ERRORS}, operation_id="courses_course_create")
def course_create(request: MemberRequest, data: CourseIn) -> Any:
    """A teacher starts a course and leads its teaching team."""
    university = organization_get(organization_id=data.university_id) if data.university_id else None
    course = services.course_create(actor=request.user, title=data.title, summary=data.summary, university=university)
    return Status(201, course_out(course, request.user))


@router.get("/{course_id}", response={200: CourseOut, **ERRORS}, auth=None, operation_id="courses_course_get")
def course_get(request: HttpRequest, course_id: Id) -> Any:
    return course_out(selectors.access_course(actor=request.user, course_id=course_id), request.user)


@router.patch("/{course_id}", response={200: CourseOut, **ERRORS}, operation_id="courses_course_update")
def course_update(request: MemberRequest, course_id: Id, data: CoursePatchIn) -> Any:
    """Edit the course's about fields; only the fields sent change (``null`` empties one that may be empty). The
    discipline is a first-level discipline's code; the cover is uploaded to ``/cover``."""
    course = selectors.access_course(actor=request.user, course_id=course_id)
    sent = data.dict(exclude_unset=True)
    about: dict[str, Any] = {
        name: sent[name]
        for name in ("title", "summary", "level", "credit_hours", "credits", "syllabus", "prerequisites", "tags")
        if sent.get(name) is not None
    }
    if "university_id" in sent:
        about["university"] = organization_get(organization_id=sent["university_id"]) if sent["university_id"] else None
    if "discipline" in sent:
        about["discipline"] = _discipline(sent["discipline"])
    if "intro_video_id" in sent:
        about["intro_video"] = _intro_video(course, sent["intro_video_id"])
    if "first_class_year" in sent:
        about["first_class_year"] = sent["first_class_year"]
    course = services.course_update(actor=request.user, course=course, **about)
    return course_out(course, request.user)


def _discipline(code: str | None) -> Any:
    if not code:
        return None
    found = selectors.discipline_by_code(code)
    if found is None:
        raise ValidationError({"discipline": [_("没有这个学科代码")]})
    return found


def _intro_video(course: Course, asset_id: Id | None) -> Asset | None:
    if asset_id is None:
        return None
    found = Asset.objects.filter(pk=asset_id).first()
    if found is None:
        raise ValidationError({"intro_video_id": [_("找不到该文件，请重新上传")]})
    return found


@router.get("/{course_id}/team", response={200: list[TeamMemberOut], **ERRORS}, operation_id="courses_team_list")
def team_list(request: MemberRequest, course_id: Id) -> Any:
    course = selectors.access_course(actor=request.user, course_id=course_id)
    return [
        {"user_id": member.user_id, "name": str(member.user), "role": member.role}
        for member in selectors.team_of(course=course)
    ]


@router.post("/{course_id}/team", response={200: TeamMemberOut, **ERRORS}, operation_id="courses_team_add")
def team_add(request: MemberRequest, course_id: Id, data: TeamMemberIn) -> Any:
    """The course lead adds a teacher or assistant to the teaching team."""
    course = selectors.access_course(actor=request.user, course_id=course_id)
    user = User.objects.filter(pk=data.user_id).first()
    if user is None:
        raise NotFound(_("找不到该用户"))
    member = services.team_member_add(actor=request.user, course=course, user=user, role=data.role)
    return {"user_id": user.pk, "name": str(user), "role": member.role}


@router.delete("/{course_id}/team/{user_id}", response={204: None, **ERRORS}, operation_id="courses_team_remove")
def team_remove(request: MemberRequest, course_id: Id, user_id: Id) -> Any:
    course = selectors.access_course(actor=request.user, course_id=course_id)
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise NotFound(_("找不到该用户"))
    services.team_member_remove(actor=request.user, course=course, user=user)
    return Status(204, None)


# --- Outlines and versions ----------------------------------------------------------------------------------------


@router.get("/{course_id}/outline", response={200: OutlineOut, **ERRORS}, auth=None, operation_id="courses_outline")
def outline(request: HttpRequest, course_id: Id) -> Any:
    """What learners see: the last published version's chapters, sections, units and blocks."""
    course = selectors.access_course(actor=request.user, course_id=course_id)
    found = selectors.published_outline(course=course)
    version = course.published_version.number if course.published_version else None
    return _outline_out(found, version=version, draft=False)


@router.get("/{course_id}/draft", response={200: OutlineOut, **ERRORS}, operation_id="courses_draft")
def draft(request: MemberRequest, course_id: Id) -> Any:
    """The draft the teaching team edits, with its revision (send it back with a publish)."""
    course = selectors.access_course(actor=request.user, course_id=course_id)
    found = selectors.outline_for(actor=request.user, course=course, draft=True)
    return _outline_out(found, version=None, draft=True)


@router.post("/{course_id}/publish", response={201: VersionOut, **ERRORS}, operation_id="courses_publish")
def publish(request: MemberRequest, course_id: Id, data: PublishIn) -> Any:
    """Freeze the draft as the next version; learners see it at once."""
    course = selectors.access_course(actor=request.user, course_id=course_id)
    version = services.course_publish(actor=request.user, course=course, revision=data.revision, note=data.note)
    return Status(201, version_out(version))


@router.get("/{course_id}/versions", response={200: list[VersionOut], **ERRORS}, operation_id="courses_versions")
def versions(request: MemberRequest, course_id: Id) -> Any:
    course = selectors.access_course(actor=request.user, course_id=course_id)
    if not selectors.can_view_draft(request.user, course):
        raise NotFound
    return [version_out(version) for version in selectors.versions_of(course=course)]


# --- The draft tree -----------------------------------------------------------------------------------------------


def node_out(node: Node) -> dict[str, Any]:
    return {
        "id": node.pk,
        "content_id": str(node.content_id),
        "kind": node.kind,
        "title": node.title,
        "parent_id": node.parent_id,
        "position": node.position,
        "source_id": node.source_id,
        "origin_id": node.origin_id,
        "source_version": node.source_version,
    }


def block_out(block: Block) -> dict[str, Any]:
    return {
        "id": block.pk,
        "content_id": str(block.content_id),
        "unit_id": block.unit_id,
        "type": block.type,
        "title": block.title,
        "position": block.position,
        "data": block.data,
        "source_id": block.source_id,
        "origin_id": block.origin_id,
        "source_version": block.source_version,
    }


def _parent(course: Course, parent_id: Id | None) -> Node | None:
    return selectors.node_of(course=course, node_id=parent_id) if parent_id is not None else None


@router.post("/{course_id}/nodes", response={201: NodeOut, **ERRORS}, operation_id="courses_node_add")
def node_add(request: MemberRequest, course_id: Id, data: NodeIn) -> Any:
    """Add a chapter (at the top), a section (in a chapter) or a unit (in a chapter or section)."""
    course = selectors.access_course(actor=request.user, course_id=course_id)
    node = services.node_add(
        actor=request.user,
        course=course,
        kind=data.kind,
        title=data.title,
        parent=_parent(course, data.parent_id),
        position=data.position,
    )
    return Status(201, node_out(node))


# Before /nodes/{node_id}: ninja tries routes in order, and "order" or "copy" must not be read as a node id.


@router.post("/{course_id}/nodes/order", response={200: OrderOut, **ERRORS}, operation_id="courses_nodes_reorder")
def nodes_reorder(request: MemberRequest, course_id: Id, data: NodeReorderIn) -> Any:
    """Put the chapters (no parent) or a node's children in a new order; 409 ``stale`` if the list changed."""
    course = selectors.access_course(actor=request.user, course_id=course_id)
    order = services.nodes_reorder(
        actor=request.user, course=course, parent=_parent(course, data.parent_id), seen=data.seen, order=data.order
    )
    return {"order": order, "revision": course.revision}


@router.post("/{course_id}/nodes/copy", response={201: NodeOut, **ERRORS}, operation_id="courses_node_copy")
def node_copy(request: MemberRequest, course_id: Id, data: NodeCopyIn) -> Any:
    """Copy a chapter, section or unit of a course (with everything under it) into this course."""
    target = selectors.access_course(actor=request.user, course_id=course_id)
    source = selectors.access_course(actor=request.user, course_id=data.source_course_id)
    node = services.node_copy(
        actor=request.user,
        source=source,
        content_id=data.content_id,
        target=target,
        parent=_parent(target, data.parent_id),
        from_published=data.from_published,
    )
    return Status(201, node_out(node))


@router.patch("/{course_id}/nodes/{node_id}", response={200: NodeOut, **ERRORS}, operation_id="courses_node_update")
def node_update(request: MemberRequest, course_id: Id, node_id: Id, data: NodePatchIn) -> Any:
    course = selectors.access_course(actor=request.user, course_id=course_id)
    node = selectors.node_of(course=course, node_id=node_id)
    return node_out(services.node_update(actor=request.user, node=node, title=data.title))


@router.delete("/{course_id}/nodes/{node_id}", response={204: None, **ERRORS}, operation_id="courses_node_remove")
def node_remove(request: MemberRequest, course_id: Id, node_id: Id) -> Any:
    """Remove a node and everything under it from the draft."""
    course = selectors.access_course(actor=request.user, course_id=course_id)
    services.node_remove(actor=request.user, node=selectors.node_of(course=course, node_id=node_id))
    return Status(204, None)


@router.post(
    "/{course_id}/nodes/{node_id}/blocks", response={201: BlockOut, **ERRORS}, operation_id="courses_block_add"
)
def block_add(request: MemberRequest, course_id: Id, node_id: Id, data: BlockIn) -> Any:
    """Add a block to a unit; ``data`` is what its type takes (see ``/block-types``)."""
    course = selectors.access_course(actor=request.user, course_id=course_id)
    unit = selectors.node_of(course=course, node_id=node_id)
    block = services.block_add(
        actor=request.user, unit=unit, type=data.type, title=data.title, data=data.data, position=data.position
    )
    return Status(201, block_out(block))


@router.post(
    "/{course_id}/nodes/{node_id}/blocks/order",
    response={200: OrderOut, **ERRORS},
    operation_id="courses_blocks_reorder",
)
def blocks_reorder(request: MemberRequest, course_id: Id, node_id: Id, data: ReorderIn) -> Any:
    """Put a unit's blocks in a new order; 409 ``stale`` if the unit changed since it was read."""
    course = selectors.access_course(actor=request.user, course_id=course_id)
    unit = selectors.node_of(course=course, node_id=node_id)
    order = services.blocks_reorder(actor=request.user, unit=unit, seen=data.seen, order=data.order)
    return {"order": order, "revision": course.revision}


@router.patch("/{course_id}/blocks/{block_id}", response={200: BlockOut, **ERRORS}, operation_id="courses_block_update")
def block_update(request: MemberRequest, course_id: Id, block_id: Id, data: BlockPatchIn) -> Any:
    course = selectors.access_course(actor=request.user, course_id=course_id)
    block = selectors.block_of(course=course, block_id=block_id)
    return block_out(services.block_update(actor=request.user, block=block, title=data.title, data=data.data))


@router.delete("/{course_id}/blocks/{block_id}", response={204: None, **ERRORS}, operation_id="courses_block_remove")
def block_remove(request: MemberRequest, course_id: Id, block_id: Id) -> Any:
    course = selectors.access_course(actor=request.user, course_id=course_id)
    services.block_remove(actor=request.user, block=selectors.block_of(course=course, block_id=block_id))
    return Status(204, None)


@router.post("/{course_id}/assets", response={201: AssetOut, **ERRORS}, operation_id="courses_asset_upload")
def asset_upload(
    request: MemberRequest,
    course_id: Id,
    block_type: Form[Annotated[str, Field(min_length=1, max_length=40, pattern=NAME_PATTERN)]],
    slot: Form[Annotated[str, Field(min_length=1, max_length=40, pattern=NAME_PATTERN)]],
    file: File[UploadedFile],
) -> Any:
    """Upload a file for a block's slot (``video``/``file``, ``video``/``subtitles``, ``document``/``file`` …);
    checked by its content and size. Put the returned id in the block's ``data``."""
    course = selectors.access_course(actor=request.user, course_id=course_id)
    asset = services.asset_upload(actor=request.user, course=course, block_type=block_type, slot=slot, upload=file)
    return Status(201, asset_out(asset))


# --- Copies -------------------------------------------------------------------------------------------------------


@router.post("/{course_id}/copy", response={201: CourseOut, **ERRORS}, operation_id="courses_course_copy")
def course_copy(request: MemberRequest, course_id: Id, data: CourseCopyIn) -> Any:
    """Make a new course of my own from this one; every node and block remembers what it was copied from."""
    source = selectors.access_course(actor=request.user, course_id=course_id)
    course = services.course_copy(
        actor=request.user, source=source, title=data.title, from_published=data.from_published
    )
    return Status(201, course_out(course, request.user))


@router.get("/{course_id}/runs", response={200: list[RunOut], **ERRORS}, auth=None, operation_id="courses_runs")
def runs(request: HttpRequest, course_id: Id) -> Any:
    course = selectors.access_course(actor=request.user, course_id=course_id)
    return [run_out(run, request.user) for run in selectors.runs_of(course_id=course.pk)]


@router.post("/{course_id}/runs", response={201: RunOut, **ERRORS}, operation_id="courses_run_create")
def run_create(request: MemberRequest, course_id: Id, data: RunIn) -> Any:
    """Open a run of the course (开课): its enrolment window and dates; a SPOC names its university."""
    course = selectors.access_course(actor=request.user, course_id=course_id)
    university = organization_get(organization_id=data.university_id) if data.university_id else None
    run = services.run_create(
        actor=request.user,
        course=course,
        title=data.title,
        kind=data.kind,
        university=university,
        join_code=data.join_code,
        enrol_opens_at=data.enrol_opens_at,
        enrol_closes_at=data.enrol_closes_at,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
    )
    return Status(201, run_out(run, request.user))


# Run management (开课管理) lives in its own module; its paths have three or more segments, after the ones above.
from .teaching import router as teaching_router  # noqa: E402

router.add_router("", teaching_router)
# --- Sub-routers of the areas (mounted last: their paths are literal below /{course_id}) --------------------------

from .authoring import router as authoring_router  # noqa: E402

router.add_router("", authoring_router)
# The learners' side (outline with my progress, rating) lives in its own module.
from .learning import router as learning_router  # noqa: E402

router.add_router("", learning_router)
# Grading (policy, my grade, gradebook, overrides, export) lives in its own module.
from .grading import router as grading_router  # noqa: E402

router.add_router("", grading_router)
