"""Every write of the K-12 platform, one module per sub-domain; import them from here.

- ``resources``: uploads (checked by content) and their review: submit, publish, reject, withdraw
- ``codes``: 云码 batches, publishing, re-linking, retiring, and counting scans
- ``district``: a district's curated collections
- ``classes``: classes, assignments, and learners' progress
"""

from .classes import (
    COMPLETE_SHARE,
    JOIN_CODE_LENGTH,
    MAX_ELAPSED_PER_REPORT,
    assignment_create,
    class_add_student,
    class_create,
    class_join,
    class_remove_student,
    progress_complete,
    progress_record,
)
from .codes import (
    MAX_BATCH_CODES,
    code_batch_generate,
    code_batch_publish,
    code_relink,
    code_retire,
    scan_record,
    scans_flush,
    scans_flush_wait,
)
from .district import collection_add, collection_create, collection_move, collection_publish, collection_remove
from .resources import (
    UPLOAD_FORMATS,
    UPLOAD_LIMITS,
    check_resource_file,
    media_duration,
    resource_create,
    resource_publish,
    resource_reject,
    resource_submit,
    resource_withdraw,
    upload_limit,
)

__all__ = [
    "COMPLETE_SHARE",
    "JOIN_CODE_LENGTH",
    "MAX_BATCH_CODES",
    "MAX_ELAPSED_PER_REPORT",
    "UPLOAD_FORMATS",
    "UPLOAD_LIMITS",
    "assignment_create",
    "check_resource_file",
    "class_add_student",
    "class_create",
    "class_join",
    "class_remove_student",
    "code_batch_generate",
    "code_batch_publish",
    "code_relink",
    "code_retire",
    "collection_add",
    "collection_create",
    "collection_move",
    "collection_publish",
    "collection_remove",
    "media_duration",
    "progress_complete",
    "progress_record",
    "resource_create",
    "resource_publish",
    "resource_reject",
    "resource_submit",
    "resource_withdraw",
    "scan_record",
    "scans_flush",
    "scans_flush_wait",
    "upload_limit",
]
