"""Uploaded media: what a file really is (by its bytes, not its name), and size limits.

**Type by content.** ``puremagic`` reads the file's signature (magic bytes); only the formats below are
accepted, each for the resource kinds that can show it, and the file name's extension must agree with the
content (a PDF called ``lesson.mp4`` is refused as a lying extension).
"""

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from .models import Resource

HEAD_BYTES = 16 * 1024

MB = 1024 * 1024
DEFAULT_LIMITS = {
    Resource.Kind.VIDEO: 500 * MB,
    Resource.Kind.AUDIO: 100 * MB,
    Resource.Kind.DOCUMENT: 50 * MB,
    Resource.Kind.EBOOK: 50 * MB,
    Resource.Kind.IMAGES: 10 * MB,
    "poster": 5 * MB,
}


@dataclass(frozen=True)
class Format:
    mime: str
    label: str
    extensions: tuple[str, ...]


MP4 = Format("video/mp4", "MP4", (".mp4", ".m4v"))
WEBM = Format("video/webm", "WebM", (".webm",))
M4A = Format("audio/mp4", "M4A", (".m4a", ".mp4", ".aac"))
MP3 = Format("audio/mpeg", "MP3", (".mp3",))
WAV = Format("audio/wav", "WAV", (".wav",))
OGG = Format("audio/ogg", "Ogg", (".ogg", ".oga", ".opus"))
PDF = Format("application/pdf", "PDF", (".pdf",))
EPUB = Format("application/epub+zip", "EPUB", (".epub",))
PNG = Format("image/png", "PNG", (".png",))
JPEG = Format("image/jpeg", "JPEG", (".jpg", ".jpeg"))
WEBP = Format("image/webp", "WebP", (".webp",))

# What puremagic calls a signature (its extension) → our format, per kind of upload. MP4 and M4A share the
# ISO base media container; the kind chosen decides which it is.
ACCEPTED: dict[str, dict[str, Format]] = {
    Resource.Kind.VIDEO: {".mp4": MP4, ".m4v": MP4, ".webm": WEBM},
    Resource.Kind.AUDIO: {".m4a": M4A, ".f4a": M4A, ".mp4": M4A, ".mp3": MP3, ".wav": WAV, ".ogg": OGG, ".oga": OGG},
    Resource.Kind.DOCUMENT: {".pdf": PDF},
    Resource.Kind.EBOOK: {".epub": EPUB, ".pdf": PDF},
    Resource.Kind.IMAGES: {".png": PNG, ".jpg": JPEG, ".jpeg": JPEG, ".jfif": JPEG, ".jpe": JPEG, ".webp": WEBP},
}
ACCEPTED["poster"] = ACCEPTED[Resource.Kind.IMAGES]


def size_limit(kind: str) -> int:
    limits = {**DEFAULT_LIMITS, **getattr(settings, "K12_UPLOAD_LIMITS", {})}
    return int(limits[kind])


def _size_label(size: int) -> str:
    if size >= MB:
        return f"{size / MB:.0f} MB"
    return f"{max(1, size // 1024)} KB"


def _head(upload: IO[bytes]) -> bytes:
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return head


def _detected(head: bytes) -> list[str]:
    """Signature extensions puremagic finds in the first bytes, most confident first."""
    if not head:
        return []
    try:
        return [match.extension.lower() for match in puremagic.magic_string(head) if match.extension]
    except puremagic.PureError:
        return []


def describe_content(head: bytes) -> str:
    """A short name for what the bytes look like, for messages ("PDF", "ZIP", "未知格式")."""
    for extension in _detected(head):
        for formats in ACCEPTED.values():
            if extension in formats:
                return formats[extension].label
        return extension.lstrip(".").upper()
    return _("无法识别的格式")


def check_upload(upload: UploadedFile, *, kind: str, field: str = "file") -> Format:
    """The upload's format if it is an accepted type for ``kind`` within the size limit; else ValidationError."""
    accepted = ACCEPTED.get(kind)
    if accepted is None:
        raise ValidationError({field: _("此类型的资源不上传文件")})
    limit = size_limit(kind)
    if upload.size is None or upload.size == 0:
        raise ValidationError({field: _("所提交的是空文件")}, code="empty")
    if upload.size > limit:
        raise ValidationError(
            {
                field: _("文件太大：%(size)s，此类资源最大 %(limit)s")
                % {"size": _size_label(upload.size), "limit": _size_label(limit)}
            },
            code="too_big",
        )
    head = _head(upload)
    found = next((accepted[ext] for ext in _detected(head) if ext in accepted), None)
    names = "、".join(sorted({fmt.label for fmt in accepted.values()}))
    if found is None:
        raise ValidationError(
            {
                field: _("文件内容是“%(content)s”，不是允许的类型（%(allowed)s）")
                % {"content": describe_content(head), "allowed": names}
            },
            code="wrong_type",
        )
    extension = PurePosixPath(upload.name or "").suffix.lower()
    if extension not in found.extensions:
        raise ValidationError(
            {
                field: _("文件扩展名“%(ext)s”与文件内容（%(content)s）不符")
                % {"ext": extension or _("无"), "content": found.label}
            },
            code="lying_extension",
        )
    return found


# Temporary: the service hall still imports serve_file from here; it lives in zhijiao.core.files.
from zhijiao.core.files import serve_file as serve_file  # noqa: E402
