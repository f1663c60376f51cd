"""Checking uploaded documents, and keeping private files away from the public media URL.

**What a file is** is read from its bytes with ``puremagic`` (its signature), never trusted from its name or the
browser's Content-Type. :func:`check_upload` accepts a file when its content is one of the allowed formats
(PDF, JPEG and PNG by default), its name's extension agrees with that content, and it is not empty and within the
size limit (``settings.UPLOAD_MAX_BYTES``, 10 MB unless set). Anything else is a ``ValidationError`` on the
form field, worded for the person who chose the file::

    fmt = check_upload(request.FILES["file"])          # Format("application/pdf", "PDF", (".pdf",))
    check_upload(upload, allowed=IMAGES, max_bytes=2 * MB, field="photo")

**Private files** (identity documents, transcripts…) are stored through :func:`private_storage`: on one machine
a directory outside ``MEDIA_ROOT`` (``settings.PRIVATE_MEDIA_ROOT``, by default ``var/private``), which the
``/media/`` URL never serves; on S3-compatible storage the default (non-public, signed) bucket.
Either way such a file leaves only through a view that checks who is asking.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 10 * MB
HEAD_BYTES = 16 * 1024


@dataclass(frozen=True)
class Format:
    """An accepted file format: its MIME type, a name people know, and the extensions its files may carry."""

    mime: str
    label: str
    extensions: tuple[str, ...]


PDF = Format("application/pdf", "PDF", (".pdf",))
JPEG = Format("image/jpeg", "JPEG", (".jpg", ".jpeg", ".jpe", ".jfif"))
PNG = Format("image/png", "PNG", (".png",))

# What puremagic calls a signature (by its extension) → our format.
SIGNATURES: dict[str, Format] = {
    ".pdf": PDF,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".jfif": JPEG,
    ".jpe": JPEG,
    ".png": PNG,
}
DOCUMENTS: tuple[Format, ...] = (PDF, JPEG, PNG)
IMAGES: tuple[Format, ...] = (JPEG, PNG)


def upload_limit() -> int:
    """The largest upload accepted, in bytes: ``settings.UPLOAD_MAX_BYTES`` or 10 MB."""
    return int(getattr(settings, "UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def size_label(size: int) -> str:
    """A size for people: "10 MB", "512 KB"."""
    if size >= MB:
        return f"{size / MB:.0f} MB" if size % MB == 0 else f"{size / MB:.1f} MB"
    return f"{max(1, size // 1024)} KB"


def _head(upload: IO[bytes]) -> bytes:
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return head


def detect(head: bytes) -> Format | None:
    """The accepted format the bytes are (by signature), or None when they are anything else."""
    if not head:
        return None
    try:
        matches = puremagic.magic_string(head)
    except puremagic.PureError:
        return None
    for match in matches:
        found = SIGNATURES.get((match.extension or "").lower())
        if found is not None:
            return found
    return None


def _describe(head: bytes) -> str:
    try:
        matches = puremagic.magic_string(head) if head else []
    except puremagic.PureError:
        matches = []
    for match in matches:
        if match.extension:
            return match.extension.lstrip(".").upper()
    return _("无法识别的格式")


def check_upload(
    upload: UploadedFile,
    *,
    allowed: tuple[Format, ...] = DOCUMENTS,
    max_bytes: int | None = None,
    field: str = "file",
) -> Format:
    """The upload's format when it is an allowed type (by content) within the size limit; else ValidationError.

    Refuses, each with its own code and message under ``field``: an empty file (``empty``), one over the limit
    (``too_big``), content that is none of ``allowed`` (``wrong_type``) and a name whose extension disagrees with
    the content, such as a PDF called ``photo.png`` (``lying_extension``).
    """
    limit = upload_limit() if max_bytes is None else max_bytes
    names = "、".join(fmt.label for fmt in allowed)
    size = upload.size or 0
    if size == 0:
        raise ValidationError({field: [ValidationError(_("所选文件是空的"), code="empty")]})
    if size > limit:
        raise ValidationError(
            {
                field: [
                    ValidationError(
                        _("文件太大（%(size)s），最大 %(limit)s")
                        % {"size": size_label(size), "limit": size_label(limit)},
                        code="too_big",
                    )
                ]
            }
        )
    head = _head(upload)
    found = detect(head)
    if found is None or found not in allowed:
        raise ValidationError(
            {
                field: [
                    ValidationError(
                        _("文件内容是“%(content)s”，只接受 %(allowed)s 文件")
                        % {"content": found.label if found else _describe(head), "allowed": names},
                        code="wrong_type",
                    )
                ]
            }
        )
    extension = PurePosixPath(upload.name or "").suffix.lower()
    if extension not in found.extensions:
        raise ValidationError(
            {
                field: [
                    ValidationError(
                        _("文件扩展名“%(ext)s”与文件内容（%(content)s）不符")
                        % {"ext": extension or _("无"), "content": found.label},
                        code="lying_extension",
                    )
                ]
            }
        )
    return found


# --- Private storage ------------------------------------------------------------------------------------------


def private_root() -> Path:
    """Where private files live on local disk: ``settings.PRIVATE_MEDIA_ROOT`` or ``var/private``."""
    configured = getattr(settings, "PRIVATE_MEDIA_ROOT", None)
    if configured:
        return Path(configured)
    return Path(settings.MEDIA_ROOT).parent / "private"


@deconstructible(path="zhijiao.core.uploads.PrivateFileSystemStorage")
class PrivateFileSystemStorage(FileSystemStorage):
    """Local storage outside MEDIA_ROOT with no URL: files leave only through views that check access.

    The directory is read from settings on every use, so tests (and deployments) can point it elsewhere.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)

    @property
    def base_location(self) -> str:
        return str(private_root())

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("private files have no public URL; serve them through a view that checks access")


_private = PrivateFileSystemStorage()


def private_storage() -> Storage:
    """The storage for private uploads (a callable, so models need no migration when deployments differ)."""
    if getattr(settings, "MEDIA_STORAGE", "local") == "s3":
        return default_storage
    return _private
