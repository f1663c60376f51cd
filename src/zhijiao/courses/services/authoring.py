"""Writes behind the teachers' authoring pages, on top of the draft services: moving an item one place up or
down (the no-JavaScript way of reordering), and a block saved together with the files its form uploaded."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from zhijiao.core.actors import Actor

from ..models import Block, Course, Node
from .content import asset_upload, block_add, block_update, blocks_reorder, course_update, nodes_reorder


def _moved(seen: Sequence[int], item: int, step: int) -> list[int]:
    order = list(seen)
    if item not in order:
        return order
    at = order.index(item)
    to = max(0, min(len(order) - 1, at + step))
    order.insert(to, order.pop(at))
    return order


@transaction.atomic
def node_move(*, actor: Actor, course: Course, node: Node, seen: Sequence[int], step: int) -> list[int]:
    """A teacher moves a chapter, section or unit one place up (-1) or down (+1) among its siblings, as their
    page showed them (``seen``): when the list has changed since, nothing moves (409 ``stale``)."""
    parent = node.parent if node.parent_id is not None else None
    return nodes_reorder(actor=actor, course=course, parent=parent, seen=seen, order=_moved(seen, node.pk, step))


@transaction.atomic
def block_move(*, actor: Actor, block: Block, seen: Sequence[int], step: int) -> list[int]:
    """A teacher moves a block one place up or down in its unit; refused as stale when the unit changed since."""
    unit = block.unit
    unit.course = block.course
    return blocks_reorder(actor=actor, unit=unit, seen=seen, order=_moved(seen, block.pk, step))


@transaction.atomic
def block_compose(
    *,
    actor: Actor,
    course: Course,
    type: str,
    title: str,
    data: Mapping[str, Any],
    uploads: Mapping[str, UploadedFile],
    unit: Node | None = None,
    block: Block | None = None,
) -> Block:
    """A teacher saves a block form: each uploaded file goes through the checked upload path into its slot, then
    the block is added to ``unit`` (or ``block`` is updated); a refused file or field stores nothing."""
    values = dict(data)
    for slot, upload in uploads.items():
        try:
            values[slot] = asset_upload(actor=actor, course=course, block_type=type, slot=slot, upload=upload).pk
        except ValidationError as error:
            # The upload check names the file "file"; the form has one file field per slot.
            raise ValidationError({slot: error.messages}) from None
    if block is not None:
        return block_update(actor=actor, block=block, title=title, data=values)
    assert unit is not None
    return block_add(actor=actor, unit=unit, type=type, title=title, data=values)


@transaction.atomic
def course_about_save(
    *, actor: Actor, course: Course, intro_video_upload: UploadedFile | None = None, **about: Any
) -> Course:
    """A teacher saves the about form: a new intro video goes through the checked upload path, and the course is
    updated with it (``course_update``'s fields); a refused field stores nothing, the upload included."""
    if intro_video_upload is not None:
        try:
            about["intro_video"] = asset_upload(
                actor=actor, course=course, block_type="video", slot="file", upload=intro_video_upload
            )
        except ValidationError as error:
            raise ValidationError({"intro_video": error.messages}) from None
    return course_update(actor=actor, course=course, **about)
