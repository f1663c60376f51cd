"""The K-12 platform's pages, one module per sub-domain. Thin: each calls one selector or one service; every page
works without JavaScript. A selector's ``NotFound`` is the 404 page and a service's refusal a message back on the
page the form was on (``core.middleware.PageErrorMiddleware``).

- ``catalogue``: home, stages, subjects, books, lessons, points, after-school columns, search
- ``resources``: a resource and its media, uploads, review
- ``codes``: /q/<code>, batches, printing, relinks, scan statistics
- ``district``: collections, district usage
- ``classes``: classes, assignments, completing a resource
"""

from .catalogue import book, column, index, lesson, point, search_redirect, stage, subject
from .classes import assignment, classes, klass, resource_complete
from .codes import (
    batch,
    batch_publish,
    batch_sheet,
    batches,
    code_image,
    code_page,
    code_relink,
    code_retire,
    scan_stats,
)
from .district import collection, collections, district
from .resources import media_file, media_image, media_poster, my_resources, resource, resource_action, review, upload

__all__ = [
    "assignment",
    "batch",
    "batch_publish",
    "batch_sheet",
    "batches",
    "book",
    "classes",
    "code_image",
    "code_page",
    "code_relink",
    "code_retire",
    "collection",
    "collections",
    "column",
    "district",
    "index",
    "klass",
    "lesson",
    "media_file",
    "media_image",
    "media_poster",
    "my_resources",
    "point",
    "resource",
    "resource_action",
    "resource_complete",
    "review",
    "scan_stats",
    "search_redirect",
    "stage",
    "subject",
    "upload",
]
