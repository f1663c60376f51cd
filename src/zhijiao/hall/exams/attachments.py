"""Notice attachments: PDF and Office files, recognised by their bytes (not their names), within a size limit.

``puremagic`` reads the signature; an Office Open XML file (.docx/.xlsx/.pptx) is a ZIP whose inside must be the
kind its extension says (a renamed archive or a .docx called .xlsx is refused); the legacy .doc/.xls/.ppt are
OLE2 compound files.
"""

import io
import zipfile
from pathlib import PurePosixPath

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MB = 1024 * 1024
OOXML = {
    ".docx": ("word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": ("xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".pptx": ("ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
OLE2 = {".doc": "application/msword", ".xls": "application/vnd.ms-excel", ".ppt": "application/vnd.ms-powerpoint"}
ALLOWED = "PDF、Word、Excel、PowerPoint"


def size_limit() -> int:
    return int(getattr(settings, "HALL_ATTACHMENT_MAX_BYTES", 20 * MB))


def _signatures(head: bytes) -> list[str]:
    try:
        return [match.extension.lower() for match in puremagic.magic_string(head) if match.extension]
    except puremagic.PureError:
        return []


def check_attachment(upload: UploadedFile, *, field: str = "file") -> str:
    """The MIME type of an accepted attachment; else ValidationError with a reason a person understands."""
    size = upload.size or 0
    if size == 0:
        raise ValidationError({field: _("所提交的是空文件")}, code="empty")
    if size > size_limit():
        raise ValidationError({field: _("文件太大：最大 %(limit)d MB") % {"limit": size_limit() // MB}}, code="too_big")
    extension = PurePosixPath(upload.name or "").suffix.lower()
    upload.seek(0)
    data = upload.read() if extension in OOXML else upload.read(8192)
    upload.seek(0)
    found = _signatures(data[:8192])
    mime = ""
    if extension == ".pdf" and data.startswith(b"%PDF-"):
        mime = "application/pdf"
    elif (extension in OOXML and ".docx" in found) or (extension in OOXML and data.startswith(b"PK\x03\x04")):
        prefix, ooxml_mime = OOXML[extension]
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            names = []
        if "[Content_Types].xml" in names and any(name.startswith(prefix) for name in names):
            mime = ooxml_mime
    elif extension in OLE2 and data.startswith(bytes.fromhex("D0CF11E0A1B11AE1")):
        mime = OLE2[extension]
    if not mime:
        if extension not in {".pdf", *OOXML, *OLE2}:
            message = _("只接受 %(allowed)s 文件") % {"allowed": ALLOWED}
        else:
            message = _("文件内容与扩展名“%(ext)s”不符（只接受 %(allowed)s 文件）") % {
                "ext": extension,
                "allowed": ALLOWED,
            }
        raise ValidationError({field: message}, code="wrong_type")
    return mime
