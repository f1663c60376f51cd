"""Serving stored files over HTTP: byte ranges, conditional requests and caching headers, for any storage.

:func:`serve_file` answers ``GET``/``HEAD`` for a stored file through ``storage.open()`` (so it works the same on
local disk and S3-compatible storage) with ``Accept-Ranges: bytes``: a single byte range answers 206 with
``Content-Range`` (iOS Safari probes with ``bytes=0-1`` before it plays anything, and seeking in a video asks for
ranges), a range past the end answers 416 with ``Content-Range: bytes */<size>``, a malformed or multi-part range is
ignored (200 with the whole file, which RFC 9110 allows). ``ETag``/``Last-Modified`` make conditional requests
answer 304 and ``If-Range`` fall back to the whole file when it changed. The file is read in chunks of
``CHUNK_BYTES``, never whole into memory. The view in front decides who may have the file; this module only
answers the request for it well.
"""

import re
import zlib
from collections.abc import Iterator
from typing import Any

from django.db.models.fields.files import FieldFile
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.utils.http import content_disposition_header, http_date, parse_http_date_safe, quote_etag

CHUNK_BYTES = 512 * 1024

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class Unsatisfiable(Exception):
    """The range asked for starts past the end of the file (answered 416)."""


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
