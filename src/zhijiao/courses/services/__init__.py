"""The course engine's writes: ``content`` (courses and their team, the draft tree, blocks, uploads, publishing,
copies), ``runs`` (runs, enrolment, progress) and ``catalogue`` (publication date, search index). Other apps
import this package, never its modules."""

from .catalogue import course_index_later, course_mark_published
from .content import (
    asset_upload,
    block_add,
    block_remove,
    block_update,
    blocks_reorder,
    course_copy,
    course_create,
    course_publish,
    course_update,
    node_add,
    node_copy,
    node_remove,
    node_update,
    nodes_reorder,
    team_member_add,
    team_member_remove,
)
from .runs import enrolment_create, progress_record, run_create

__all__ = [
    "asset_upload",
    "block_add",
    "block_remove",
    "block_update",
    "blocks_reorder",
    "course_copy",
    "course_create",
    "course_index_later",
    "course_mark_published",
    "course_publish",
    "course_update",
    "enrolment_create",
    "node_add",
    "node_copy",
    "node_remove",
    "node_update",
    "nodes_reorder",
    "progress_record",
    "run_create",
    "team_member_add",
    "team_member_remove",
]
