"""Reads of the course engine and its access questions, each answered in one place.

Who may do what:

- **create a course**: university faculty, teachers, vocational-college staff and platform admins;
- **edit a course** (its draft, publishing, copying into it): its lead and teachers, and platform admins;
- **read a draft**: the whole teaching team (assistants too), and platform admins;
- **read what is published**: anyone, for now — runs, SPOC rosters and the chapter release schedule narrow this
  in :func:`can_view_published`, the one function to change.

A course nobody may see answers "not found", whether it exists or not.

**Outlines.** A course's content is read as one document, the *outline*: the same shape for the draft (built from
the rows: three queries whatever the size) and for a published version (one stored document). Published outlines
never change, so each process keeps the last :data:`OUTLINE_CACHE_SIZE` it parsed, keyed by version id: reading
the published outline of a 1,000-block course is then the course row alone.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from zhijiao.core.actors import Actor, signed_in
from zhijiao.core.errors import NotFound
from zhijiao.orgs.models import Role
from zhijiao.orgs.selectors import is_platform_admin, roles_of

from ..models import EDITING_ROLES, Asset, Block, Course, CourseStaff, CourseVersion, Node

OUTLINE_SCHEMA = 1
OUTLINE_CACHE_SIZE = 64
CREATOR_ROLES = frozenset({Role.UNIVERSITY_FACULTY, Role.TEACHER, Role.VOCATIONAL_STAFF, Role.PLATFORM_ADMIN})

type Outline = dict[str, Any]


# --- Permissions ------------------------------------------------------------------------------------------------


def can_create_course(actor: Actor | None) -> bool:
    """Teachers of any level and platform admins start courses."""
    return signed_in(actor) and (actor.is_superuser or bool(roles_of(actor) & CREATOR_ROLES))


def team_role(actor: Actor | None, course: Course) -> str | None:
    """The actor's role in the course's teaching team, or None."""
    if not signed_in(actor):
        return None
    cache = getattr(course, "_team_roles", None)
    if cache is None:
        cache = course._team_roles = {}  # type: ignore[attr-defined]
    if actor.pk not in cache:
        cache[actor.pk] = CourseStaff.objects.filter(course=course, user=actor).values_list("role", flat=True).first()
    return cache[actor.pk]


def can_edit_course(actor: Actor | None, course: Course) -> bool:
    """The course's lead and teachers write its content and publish it; so may platform admins."""
    return team_role(actor, course) in EDITING_ROLES or is_platform_admin(actor)


def can_view_draft(actor: Actor | None, course: Course) -> bool:
    return team_role(actor, course) is not None or is_platform_admin(actor)


def can_view_published(actor: Actor | None, course: Course) -> bool:
    """Whether the actor may read the course's published content (runs will narrow this)."""
    return course.published_version_id is not None or can_view_draft(actor, course)


def can_manage_team(actor: Actor | None, course: Course) -> bool:
    from ..models import TeamRole

    return team_role(actor, course) == TeamRole.LEAD or is_platform_admin(actor)


# --- Courses ----------------------------------------------------------------------------------------------------


def _courses() -> QuerySet[Course]:
    # The published outline is read on its own, and only when no process cache holds it.
    return Course.objects.select_related("published_version", "university", "discipline__parent").defer(
        "published_version__outline"
    )


def access_course(*, actor: Actor | None, course_id: int) -> Course:
    """A course the actor may see (published, or on its team); NotFound for every other id."""
    course = _courses().filter(pk=course_id).first()
    if course is None or not can_view_published(actor, course):
        raise NotFound
    return course


def courses_taught_by(*, actor: Actor | None) -> QuerySet[Course]:
    """The courses whose teaching team the actor is on, newest first."""
    if not signed_in(actor):
        return Course.objects.none()
    return _courses().filter(staff__user=actor).order_by("-updated_at", "-id")


def team_of(*, course: Course) -> QuerySet[CourseStaff]:
    return CourseStaff.objects.filter(course=course).select_related("user").order_by("role", "id")


def versions_of(*, course: Course) -> QuerySet[CourseVersion]:
    """The course's publishing history, newest first (without the frozen documents)."""
    return CourseVersion.objects.filter(course=course).defer("outline").select_related("published_by")


# --- Outlines ---------------------------------------------------------------------------------------------------


def asset_out(asset: Asset) -> dict[str, Any]:
    return {
        "name": asset.name,
        "mime_type": asset.mime_type,
        "size_bytes": asset.size_bytes,
        "duration_seconds": asset.duration_seconds,
    }


def draft_outline(*, course: Course) -> Outline:
    """The course's draft as an outline document (three queries: nodes, blocks, the assets they use)."""
    nodes = list(
        Node.objects.filter(course=course)
        .order_by("position", "id")
        .values("id", "parent_id", "kind", "title", "content_id", "origin_id")
    )
    blocks = list(
        Block.objects.filter(course=course)
        .order_by("position", "id")
        .values("id", "unit_id", "type", "title", "data", "content_id", "origin_id")
    )
    entries: dict[int, dict[str, Any]] = {}
    for row in nodes:
        entries[row["id"]] = {
            "id": row["id"],
            "content_id": str(row["content_id"]),
            "kind": row["kind"],
            "title": row["title"],
            "origin_id": row["origin_id"],
            "children": [],
            "blocks": [],
        }
    roots: list[dict[str, Any]] = []
    for row in nodes:
        parent = entries.get(row["parent_id"]) if row["parent_id"] else None
        (parent["children"] if parent is not None else roots).append(entries[row["id"]])
    asset_ids: set[int] = set()
    for item in blocks:
        unit = entries.get(item["unit_id"])
        if unit is None:
            continue
        unit["blocks"].append(
            {
                "id": item["id"],
                "content_id": str(item["content_id"]),
                "type": item["type"],
                "title": item["title"],
                "data": item["data"],
                "origin_id": item["origin_id"],
            }
        )
        asset_ids.update(_asset_ids(item["type"], item["data"]))
    assets = {str(asset.pk): asset_out(asset) for asset in Asset.objects.filter(pk__in=asset_ids)} if asset_ids else {}
    return {
        "schema": OUTLINE_SCHEMA,
        "course_id": course.pk,
        "revision": course.revision,
        "nodes": roots,
        "assets": assets,
    }


def _asset_ids(type_name: str, data: dict[str, Any]) -> Iterator[int]:
    from ..blocks import get_type

    block_type = get_type(type_name)
    if block_type is None:
        return
    for slot in block_type.files:
        value = data.get(slot.name)
        if isinstance(value, int):
            yield value


_outline_cache: OrderedDict[int, Outline] = OrderedDict()
_outline_lock = threading.Lock()


def version_outline(*, version_id: int) -> Outline:
    """A published version's outline; parsed once per process (versions never change)."""
    with _outline_lock:
        found = _outline_cache.get(version_id)
        if found is not None:
            _outline_cache.move_to_end(version_id)
            return found
    outline = CourseVersion.objects.filter(pk=version_id).values_list("outline", flat=True).first()
    if outline is None:
        raise NotFound
    with _outline_lock:
        _outline_cache[version_id] = outline
        while len(_outline_cache) > OUTLINE_CACHE_SIZE:
            _outline_cache.popitem(last=False)
    return outline


def published_outline(*, course: Course) -> Outline:
    """What learners see of the course: its last published version's outline; NotFound before the first publish."""
    if course.published_version_id is None:
        raise NotFound
    return version_outline(version_id=course.published_version_id)


def outline_for(*, actor: Actor | None, course: Course, draft: bool = False) -> Outline:
    """The draft for its team when asked for, else the published outline."""
    if draft:
        if not can_view_draft(actor, course):
            raise NotFound
        return draft_outline(course=course)
    return published_outline(course=course)


def walk(nodes: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every node of an outline, depth first, in order."""
    for node in nodes:
        yield node
        yield from walk(node["children"])


def find_node(outline: Outline, content_id: str) -> dict[str, Any] | None:
    return next((node for node in walk(outline["nodes"]) if node["content_id"] == content_id), None)


def find_block(outline: Outline, content_id: str) -> dict[str, Any] | None:
    for node in walk(outline["nodes"]):
        for block in node["blocks"]:
            if block["content_id"] == content_id:
                return block
    return None


def block_count(outline: Outline) -> int:
    return sum(len(node["blocks"]) for node in walk(outline["nodes"]))


# --- Media ------------------------------------------------------------------------------------------------------


def access_media(
    *, actor: Actor | None, course_id: int, content_id: str, slot: str, draft: bool = False
) -> tuple[Asset, bool]:
    """The asset a block of the course shows in ``slot`` and whether it may be cached publicly; NotFound else."""
    from ..blocks import get_type

    try:
        key = str(uuid.UUID(content_id))
    except ValueError:
        raise NotFound from None
    course = access_course(actor=actor, course_id=course_id)
    outline = outline_for(actor=actor, course=course, draft=draft)
    block = find_block(outline, key)
    block_type = get_type(block["type"]) if block else None
    if block is None or block_type is None or block_type.slot(slot) is None:
        raise NotFound
    asset_id = block["data"].get(slot)
    asset = Asset.objects.filter(pk=asset_id).first() if isinstance(asset_id, int) else None
    if asset is None or not asset.file:
        raise NotFound
    return asset, not draft


def assets_of(*, course: Course, ids: set[int]) -> set[int]:
    """Which of these asset ids were uploaded to the course."""
    return set(Asset.objects.filter(course=course, pk__in=ids).values_list("pk", flat=True)) if ids else set()


def node_of(*, course: Course, node_id: int) -> Node:
    """A node of the course's draft; NotFound when it belongs to another course or to none."""
    node = Node.objects.filter(course=course, pk=node_id).first()
    if node is None:
        raise NotFound
    node.course = course
    return node


def block_of(*, course: Course, block_id: int) -> Block:
    """A block of the course's draft; NotFound when it belongs to another course or to none."""
    block = Block.objects.filter(course=course, pk=block_id).first()
    if block is None:
        raise NotFound
    block.course = course
    return block
