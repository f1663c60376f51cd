"""Uploaded media: what a file really is (by its bytes, not its name), size limits, and HTTP Range serving.

**Type by content.** ``puremagic`` reads the file's signature (magic bytes); only the formats below are
accepted, each for the resource kinds that can show it, and the file name's extension must agree with the
content (a PDF called ``lesson.mp4`` is refused as a lying extension).

**Streaming.** :func:`serve_file` answers ``GET``/``HEAD`` for a stored file through ``storage.open()`` (so it
works the same on local disk and S3-compatible storage) with ``Accept-Ranges: bytes``: a single byte range
answers 206 with ``Content-Range`` (iOS Safari probes with ``bytes=0-1`` before it plays anything), a range
past the end answers 416 with ``Content-Range: bytes */<size>``, a malformed or multi-part range is ignored
(200 with the whole file, which RFC 9110 allows). ``ETag``/``Last-Modified`` make conditional requests answer
304 and ``If-Range`` fall back to the whole file when it changed.
"""

import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, Any

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.utils.http import content_disposition_header, http_date, parse_http_date_safe, quote_etag
from django.utils.translation import gettext as _

from .models import Resource

HEAD_BYTES = 16 * 1024
CHUNK_BYTES = 512 * 1024

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


# --- Serving ------------------------------------------------------------------------------------------------

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class Unsatisfiable(Exception):
    pass


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) inclusive for one satisfiable byte range; None to serve the whole file; Unsatisfiable."""
    value = header.strip().replace(" ", "")
    if "," in value:
        return None  # several ranges: the whole file instead (allowed), never a multipart answer
    match = _RANGE.match(value)
    if match is None:
        return None  # not a byte range we understand: ignored
    first_text, last_text = match.groups()
    if not first_text and not last_text:
        return None
    if not first_text:
        suffix = int(last_text)
        if suffix == 0 or size == 0:
            raise Unsatisfiable
        return max(0, size - suffix), size - 1
    first = int(first_text)
    last = int(last_text) if last_text else size - 1
    if last_text and last < first:
        return None  # syntactically invalid: ignored
    if first >= size:
        raise Unsatisfiable
    return first, min(last, size - 1)


def _chunks(handle: Any, start: int, length: int) -> Iterator[bytes]:
    try:
        handle.seek(start)
        remaining = length
        while remaining > 0:
            data = handle.read(min(CHUNK_BYTES, remaining))
            if not data:
                break
            remaining -= len(data)
            yield data
    finally:
        handle.close()


def _validators(field_file: FieldFile) -> tuple[int, str, float | None]:
    storage, name = field_file.storage, str(field_file.name)
    size = storage.size(name)
    try:
        modified: float | None = storage.get_modified_time(name).timestamp()
    except (NotImplementedError, OSError):
        modified = None
    tag = f"{size:x}-{int(modified or 0):x}-{zlib.crc32(name.encode()):x}"
    return size, quote_etag(tag), modified


def _matches(header: str, etag: str) -> bool:
    return any(part.strip().removeprefix("W/") == etag for part in header.split(",")) or header.strip() == "*"


def serve_file(
    request: HttpRequest,
    field_file: FieldFile,
    *,
    content_type: str,
    filename: str = "",
    download: bool = False,
    public: bool = True,
) -> HttpResponseBase:
    """Answer GET/HEAD for a stored file with Range, conditional-request and caching headers."""
    size, etag, modified = _validators(field_file)
    common: dict[str, str] = {"Accept-Ranges": "bytes", "ETag": etag}
    if modified is not None:
        common["Last-Modified"] = http_date(modified)
    cache_control = "public, max-age=3600" if public else "private, max-age=0, must-revalidate"

    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if_modified_since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    if (if_none_match and _matches(if_none_match, etag)) or (
        not if_none_match and if_modified_since and modified is not None and int(modified) <= if_modified_since
    ):
        response: HttpResponseBase = HttpResponse(status=304)
        for name, value in common.items():
            response[name] = value
        response["Cache-Control"] = cache_control
        return response

    byte_range: tuple[int, int] | None = None
    range_header = request.META.get("HTTP_RANGE", "")
    if range_header:
        if_range = request.META.get("HTTP_IF_RANGE", "").strip()
        still_same = (
            not if_range
            or if_range == etag
            or (modified is not None and parse_http_date_safe(if_range) == int(modified))
        )
        if still_same:
            try:
                byte_range = parse_range(range_header, size)
            except Unsatisfiable:
                response = HttpResponse(status=416)
                response["Content-Range"] = f"bytes */{size}"
                for name, value in common.items():
                    response[name] = value
                return response

    start, end = byte_range if byte_range else (0, size - 1)
    length = max(0, end - start + 1)
    if request.method == "HEAD":
        response = HttpResponse(status=206 if byte_range else 200)
    else:
        handle = field_file.storage.open(str(field_file.name), "rb")
        response = StreamingHttpResponse(_chunks(handle, start, length), status=206 if byte_range else 200)
    response["Content-Type"] = content_type
    response["Content-Length"] = str(length)
    if byte_range:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    for name, value in common.items():
        response[name] = value
    response["Cache-Control"] = cache_control
    if filename or download:
        response["Content-Disposition"] = content_disposition_header(download, filename or "file") or ""
    return response
