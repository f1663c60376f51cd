"""Checking uploaded files, and keeping private files away from the public media URL.

**What a file is** is read from its bytes with ``puremagic`` (its signature), never trusted from its name or the
browser's Content-Type. :func:`check_upload` accepts a file when its content is one of the allowed formats
(PDF, JPEG and PNG by default), its name's extension agrees with that content, and it is not empty and within the
size limit (``max_bytes``, else ``settings.UPLOAD_MAX_BYTES``, 10 MB unless set). Anything else is a
``ValidationError`` on the form field, worded for the person who chose the file::

    fmt = check_upload(request.FILES["file"])          # Format("application/pdf", "PDF", (".pdf",))
    check_upload(upload, allowed=IMAGES, max_bytes=2 * MB, field="photo")
    check_upload(upload, allowed=VIDEO, max_bytes=500 * MB)   # a teacher's lesson video
    check_upload(upload, allowed=OFFICE_DOCUMENTS, max_bytes=20 * MB)   # a notice's PDF, Word, Excel or PowerPoint

The formats are documents (PDF, EPUB, Word, Excel, PowerPoint), pictures (JPEG, PNG, WebP), video (MP4, WebM),
audio (M4A, MP3, WAV, Ogg), ZIP archives and plain text (TXT: no signature, read as UTF-8 or GB18030 text without
control bytes); an app picks the groups it takes and its own limits (one per kind of thing uploaded,
or the site-wide default).

Some signatures fit several formats; then the name's extension tells which one it is, among those the caller
allows. MP4 video and M4A audio share one container, the ISO base media file. Word, Excel and PowerPoint 97–2003
(.doc, .xls, .ppt) are all OLE2 compound files with one signature. Their successors (.docx, .xlsx, .pptx, Office
Open XML) are ZIP archives: there the archive's inside decides, the content type its ``[Content_Types].xml``
declares for the main part, with that part's folder (``word/``, ``xl/``, ``ppt/``) present; so a renamed archive
is refused as a ZIP and a Word document called ``.xlsx`` as a lying extension. Only the archive's directory and
that one small entry are read, never the whole file.

**Private files** (identity documents, transcripts…) are stored through :func:`private_storage`: on one machine
a directory outside ``MEDIA_ROOT`` (``settings.PRIVATE_MEDIA_ROOT``, by default ``var/private``), which the
``/media/`` URL never serves; on S3-compatible storage the default (non-public, signed) bucket.
Either way such a file leaves only through a view that checks who is asking.
"""

from __future__ import annotations

import codecs
import os
import zipfile
from collections.abc import Collection
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
EPUB = Format("application/epub+zip", "EPUB", (".epub",))
JPEG = Format("image/jpeg", "JPEG", (".jpg", ".jpeg", ".jpe", ".jfif"))
PNG = Format("image/png", "PNG", (".png",))
WEBP = Format("image/webp", "WebP", (".webp",))
MP4 = Format("video/mp4", "MP4", (".mp4", ".m4v"))
WEBM = Format("video/webm", "WebM", (".webm",))
M4A = Format("audio/mp4", "M4A", (".m4a", ".mp4", ".aac"))
MP3 = Format("audio/mpeg", "MP3", (".mp3",))
WAV = Format("audio/wav", "WAV", (".wav",))
OGG = Format("audio/ogg", "Ogg", (".ogg", ".oga", ".opus"))
DOCX = Format("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word", (".docx",))
XLSX = Format("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel", (".xlsx",))
PPTX = Format("application/vnd.openxmlformats-officedocument.presentationml.presentation", "PowerPoint", (".pptx",))
DOC = Format("application/msword", "Word", (".doc",))
XLS = Format("application/vnd.ms-excel", "Excel", (".xls",))
PPT = Format("application/vnd.ms-powerpoint", "PowerPoint", (".ppt",))
ZIP = Format("application/zip", "ZIP", (".zip",))
TXT = Format("text/plain", "TXT", (".txt",))

# What puremagic calls a signature (by its extension) → the formats such bytes may be, in order of preference.
SIGNATURES: dict[str, tuple[Format, ...]] = {
    ".pdf": (PDF,),
    ".epub": (EPUB,),
    ".jpg": (JPEG,),
    ".jpeg": (JPEG,),
    ".jfif": (JPEG,),
    ".jpe": (JPEG,),
    ".png": (PNG,),
    ".webp": (WEBP,),
    ".mp4": (MP4, M4A),
    ".m4v": (MP4,),
    ".webm": (WEBM,),
    ".m4a": (M4A,),
    ".f4a": (M4A,),
    ".mp3": (MP3,),
    ".wav": (WAV,),
    ".ogg": (OGG,),
    ".oga": (OGG,),
    # The one OLE2 signature: puremagic's guess first (it names the file's kind in messages), the name decides.
    ".doc": (DOC, XLS, PPT),
    ".xls": (XLS, DOC, PPT),
    ".ppt": (PPT, DOC, XLS),
}
# Signatures puremagic gives any ZIP archive (it cannot look inside): what it is, is read from the archive.
ZIP_SIGNATURES = frozenset({".zip", ".docx", ".xlsx", ".pptx"})
CONTENT_TYPES = "[Content_Types].xml"
CONTENT_TYPES_MAX_BYTES = 256 * 1024  # a real one is a few KB; reading stops there, whatever the entry inflates to
# An Office Open XML package's main part: the content type [Content_Types].xml declares for it, and its folder.
# The macro-enabled and template variants (.docm, .dotx…) declare other types and are not these formats.
OOXML_MAIN_PARTS: tuple[tuple[bytes, str, Format], ...] = (
    (b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", "word/", DOCX),
    (b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", "xl/", XLSX),
    (b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml", "ppt/", PPTX),
)
DOCUMENTS: tuple[Format, ...] = (PDF, JPEG, PNG)
IMAGES: tuple[Format, ...] = (JPEG, PNG)
PICTURES: tuple[Format, ...] = (PNG, JPEG, WEBP)
VIDEO: tuple[Format, ...] = (MP4, WEBM)
AUDIO: tuple[Format, ...] = (M4A, MP3, WAV, OGG)
EBOOKS: tuple[Format, ...] = (EPUB, PDF)
OFFICE: tuple[Format, ...] = (DOCX, XLSX, PPTX, DOC, XLS, PPT)
OFFICE_DOCUMENTS: tuple[Format, ...] = (PDF, *OFFICE)


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


def _signatures(head: bytes) -> list[str]:
    """The signature extensions puremagic finds in the first bytes, most confident first."""
    if not head:
        return []
    try:
        return [match.extension.lower() for match in puremagic.magic_string(head) if match.extension]
    except puremagic.PureError:
        return []


def _package(upload: IO[bytes]) -> Format | None:
    """The Office Open XML format a ZIP archive is, by its declared main part; ZIP for any other archive that
    opens; None for bytes that only start like one (a broken archive)."""
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if CONTENT_TYPES not in names:
                return ZIP
            with archive.open(CONTENT_TYPES) as entry:
                declared = entry.read(CONTENT_TYPES_MAX_BYTES)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, NotImplementedError, RuntimeError):
        return None  # not a ZIP after all, or one we cannot read (encrypted, an unknown compression): not Office
    finally:
        upload.seek(0)
    for content_type, folder, fmt in OOXML_MAIN_PARTS:
        if content_type in declared and any(name.startswith(folder) for name in names):
            return fmt
    return ZIP  # an archive, but none of the Office formats (a renamed or macro-enabled one among them)


# Control bytes plain text does not hold (tab, line feed, form feed, carriage return and escape are fine).
_BINARY_BYTES = bytes(set(range(32)) - {9, 10, 12, 13, 27}) + b"\x7f"


def _is_text(head: bytes) -> bool:
    """Whether the first bytes read as plain text: UTF-8 (with or without its BOM), or GB18030 (GBK) as Chinese
    Windows saves it, without the control bytes every binary format has. A multi-byte character cut at the end of
    the head is fine."""
    if not head or len(head.translate(None, _BINARY_BYTES)) != len(head):
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return True
    return False


def content_formats(upload: IO[bytes]) -> tuple[Format, ...]:
    """The formats the file's bytes may be, most likely first; empty when they are none we know.

    The most confident signature we know decides: a WebP picture also looks a little like a WAV sound to
    puremagic, and stays a picture. One signature may fit several formats (the ISO container, OLE2); for a ZIP
    archive, its inside decides (an Office Open XML document, or a plain ZIP archive). Bytes with no signature we
    know that read as text are plain text (TXT).
    """
    head = _head(upload)
    for extension in _signatures(head):
        if extension in SIGNATURES:
            return SIGNATURES[extension]
        if extension in ZIP_SIGNATURES:
            package = _package(upload)
            return (package,) if package is not None else ()
    return (TXT,) if _is_text(head) else ()


def describe(upload: IO[bytes]) -> str:
    """A short name for what the file's bytes look like, for messages ("PDF", "Word", "ZIP", "无法识别的格式")."""
    known = content_formats(upload)
    if known:
        return known[0].label
    extensions = _signatures(_head(upload))
    if not extensions:
        return _("无法识别的格式")
    return "ZIP" if extensions[0] in ZIP_SIGNATURES else extensions[0].lstrip(".").upper()


def _refuse(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})


def check_upload(
    upload: UploadedFile,
    *,
    allowed: Collection[Format] = DOCUMENTS,
    max_bytes: int | None = None,
    field: str = "file",
) -> Format:
    """The upload's format when it is an allowed type (by content) within the size limit; else ValidationError.

    Refuses, each with its own code and message under ``field``: an empty file (``empty``), one over the limit
    (``too_big``), content that is none of ``allowed`` (``wrong_type``) and a name whose extension disagrees with
    the content, such as a PDF called ``photo.png`` (``lying_extension``).
    """
    limit = upload_limit() if max_bytes is None else max_bytes
    size = upload.size or 0
    if size == 0:
        raise _refuse(field, _("所选文件是空的"), "empty")
    if size > limit:
        message = _("文件太大（%(size)s），最大 %(limit)s") % {"size": size_label(size), "limit": size_label(limit)}
        raise _refuse(field, message, "too_big")
    fitting = [fmt for fmt in content_formats(upload) if fmt in allowed]
    if not fitting:
        message = _("文件内容是“%(content)s”，不是允许的类型（只接受 %(allowed)s 文件）") % {
            "content": describe(upload),
            "allowed": _("、").join(dict.fromkeys(fmt.label for fmt in allowed)),
        }
        raise _refuse(field, message, "wrong_type")
    extension = PurePosixPath(upload.name or "").suffix.lower()
    found = next((fmt for fmt in fitting if extension in fmt.extensions), None)
    if found is None:
        message = _("文件扩展名“%(ext)s”与文件内容（%(content)s）不符") % {
            "ext": extension or _("无"),
            # Bytes that fit several allowed formats (an OLE2 file) name them all: which it is, they cannot tell.
            "content": "/".join(dict.fromkeys(fmt.label for fmt in fitting)),
        }
        raise _refuse(field, message, "lying_extension")
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
