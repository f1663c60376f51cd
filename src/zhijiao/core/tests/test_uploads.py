"""The shared upload checker: type by content, extension agreeing with content, size limits; private storage."""

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from zhijiao.core.uploads import (
    AUDIO,
    DOC,
    DOCX,
    IMAGES,
    JPEG,
    M4A,
    MB,
    MP4,
    OFFICE_DOCUMENTS,
    PDF,
    PICTURES,
    PNG,
    PPT,
    PPTX,
    TXT,
    VIDEO,
    WEBP,
    XLS,
    XLSX,
    ZIP,
    check_upload,
    private_storage,
    size_label,
    upload_limit,
)


def _pdf() -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 720, "transcript")
    canvas.save()
    return buffer.getvalue()


def _image(fmt: str) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 90, 200)).save(buffer, format=fmt)
    return buffer.getvalue()


def _code(exc: ValidationError, field: str = "file") -> str:
    return str(exc.error_dict[field][0].code)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [("成绩单.pdf", _pdf(), PDF), ("photo.PNG", _image("PNG"), PNG), ("scan.jpeg", _image("JPEG"), JPEG)],
)
def test_accepts_pdf_png_and_jpeg_by_content(name: str, content: bytes, expected: Any) -> None:
    assert check_upload(SimpleUploadedFile(name, content)) == expected


def test_refuses_an_empty_file() -> None:
    with pytest.raises(ValidationError) as caught:
        check_upload(SimpleUploadedFile("empty.pdf", b""))
    assert _code(caught.value) == "empty"
    assert caught.value.message_dict["file"] == ["所选文件是空的"]


def test_refuses_a_file_over_the_limit(settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 1024
    assert upload_limit() == 1024
    with pytest.raises(ValidationError) as caught:
        check_upload(SimpleUploadedFile("big.pdf", _pdf() + b"0" * 2048))
    assert _code(caught.value) == "too_big"
    assert "最大 1 KB" in caught.value.message_dict["file"][0]


def test_default_limit_is_ten_megabytes(settings: Any) -> None:
    if hasattr(settings, "UPLOAD_MAX_BYTES"):
        del settings.UPLOAD_MAX_BYTES
    assert upload_limit() == 10 * MB
    assert size_label(10 * MB) == "10 MB"
    with pytest.raises(ValidationError) as caught:
        check_upload(SimpleUploadedFile("huge.pdf", b"%PDF-1.4\n" + b"0" * (10 * MB)))
    assert "最大 10 MB" in caught.value.message_dict["file"][0]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notes.pdf", "只是一段文字".encode()),
        ("archive.pdf", b"PK\x03\x04" + b"\x00" * 60),
        ("page.pdf", b"<html><script>alert(1)</script></html>"),
        ("run.pdf", b"MZ\x90\x00" + b"\x00" * 60),
    ],
)
def test_refuses_other_content_whatever_its_name(name: str, content: bytes) -> None:
    with pytest.raises(ValidationError) as caught:
        check_upload(SimpleUploadedFile(name, content, content_type="application/pdf"))
    assert _code(caught.value) == "wrong_type"
    assert "只接受 PDF、JPEG、PNG 文件" in caught.value.message_dict["file"][0]


def test_refuses_a_lying_extension() -> None:
    with pytest.raises(ValidationError) as caught:
        check_upload(SimpleUploadedFile("photo.png", _pdf()), field="passport")
    assert _code(caught.value, "passport") == "lying_extension"
    assert caught.value.message_dict["passport"] == ["文件扩展名“.png”与文件内容（PDF）不符"]


def test_allowed_formats_can_be_narrowed() -> None:
    with pytest.raises(ValidationError) as caught:
        check_upload(SimpleUploadedFile("scan.pdf", _pdf()), allowed=IMAGES)
    assert "只接受 JPEG、PNG 文件" in caught.value.message_dict["file"][0]


ISO_MEDIA = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64


def test_the_iso_container_is_video_or_audio_as_the_caller_allows() -> None:
    assert check_upload(SimpleUploadedFile("lesson.mp4", ISO_MEDIA), allowed=VIDEO) == MP4
    assert check_upload(SimpleUploadedFile("lesson.mp4", ISO_MEDIA), allowed=AUDIO) == M4A
    with pytest.raises(ValidationError) as caught:
        check_upload(SimpleUploadedFile("lesson.mp4", ISO_MEDIA))
    assert _code(caught.value) == "wrong_type"
    assert "“MP4”" in caught.value.message_dict["file"][0]


def test_a_webp_picture_is_never_taken_for_a_wav_sound() -> None:
    webp = b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 64
    assert check_upload(SimpleUploadedFile("cover.webp", webp), allowed=PICTURES) == WEBP
    with pytest.raises(ValidationError) as caught:
        check_upload(SimpleUploadedFile("cover.wav", webp), allowed=AUDIO)
    assert _code(caught.value) == "wrong_type"


def test_a_caller_sets_its_own_limit(settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 1024
    assert check_upload(SimpleUploadedFile("lesson.mp4", ISO_MEDIA + b"\x00" * 2048), allowed=VIDEO, max_bytes=MB)
    with pytest.raises(ValidationError) as caught:
        check_upload(SimpleUploadedFile("lesson.mp4", ISO_MEDIA), allowed=VIDEO, max_bytes=64)
    assert _code(caught.value) == "too_big"


def test_a_name_picks_among_the_formats_its_bytes_fit() -> None:
    both = (*VIDEO, *AUDIO)
    assert check_upload(SimpleUploadedFile("song.m4a", ISO_MEDIA), allowed=both) == M4A
    assert check_upload(SimpleUploadedFile("lesson.mp4", ISO_MEDIA), allowed=both) == MP4


# --- Office files ---------------------------------------------------------------------------------------------

OOXML_TYPES = {
    "word": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "ppt": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
MAIN_PARTS = {"word": "word/document.xml", "ppt": "ppt/presentation.xml"}


def _zip(entries: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in entries.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _ooxml(kind: str, *, declared: str | None = None) -> bytes:
    """A minimal Office Open XML package: content types, the package relationship, and the main part."""
    part = MAIN_PARTS[kind]
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{part}" ContentType="{declared or OOXML_TYPES[kind]}"/>'
        "</Types>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="' + part + '" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/officeDocument"/></Relationships>'
    )
    return _zip({"[Content_Types].xml": content_types, "_rels/.rels": rels, part: "<document/>"})


def _xlsx() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


OLE2 = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00" + b"\x00" * 480


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("报名通知.docx", _ooxml("word"), DOCX),
        ("名额.xlsx", _xlsx(), XLSX),
        ("宣讲.PPTX", _ooxml("ppt"), PPTX),
        ("旧通知.doc", OLE2, DOC),
        ("旧名额.xls", OLE2, XLS),
        ("旧宣讲.ppt", OLE2, PPT),
        ("政策.pdf", _pdf(), PDF),
    ],
)
def test_accepts_pdf_and_office_files_by_content(name: str, content: bytes, expected: Any) -> None:
    found = check_upload(SimpleUploadedFile(name, content), allowed=OFFICE_DOCUMENTS)
    assert found == expected
    assert found.mime == expected.mime


def test_office_formats_are_listed_once_each() -> None:
    with pytest.raises(ValidationError) as caught:
        check_upload(SimpleUploadedFile("run.docx", b"MZ\x90\x00" + b"\x00" * 60), allowed=OFFICE_DOCUMENTS)
    assert _code(caught.value) == "wrong_type"
    assert "只接受 PDF、Word、Excel、PowerPoint 文件" in caught.value.message_dict["file"][0]


def test_a_renamed_zip_archive_is_not_an_office_file() -> None:
    archive = _zip({"名单.txt": "张三", "照片/1.txt": "x"})
    with pytest.raises(ValidationError) as caught:
        check_upload(SimpleUploadedFile("名单.docx", archive), allowed=OFFICE_DOCUMENTS)
    assert _code(caught.value) == "wrong_type"
    assert "文件内容是“ZIP”" in caught.value.message_dict["file"][0]


@pytest.mark.parametrize(
    "content",
    [
        # declares a Word document but holds no word/ part
        _zip({"[Content_Types].xml": OOXML_TYPES["word"], "other/document.xml": "<document/>"}),
        # a macro-enabled document is a different format
        _ooxml("word", declared="application/vnd.ms-word.document.macroEnabled.main+xml"),
        # the ZIP signature over bytes that are no archive
        b"PK\x03\x04" + b"\x00" * 200,
    ],
    ids=["no-main-part", "macro-enabled", "broken-zip"],
)
def test_a_zip_is_office_only_when_its_main_part_says_so(content: bytes) -> None:
    with pytest.raises(ValidationError) as caught:
        check_upload(SimpleUploadedFile("通知.docx", content), allowed=OFFICE_DOCUMENTS)
    assert _code(caught.value) == "wrong_type"


def test_a_word_document_called_xlsx_is_a_lying_extension() -> None:
    with pytest.raises(ValidationError) as caught:
        check_upload(SimpleUploadedFile("名额.xlsx", _ooxml("word")), allowed=OFFICE_DOCUMENTS)
    assert _code(caught.value) == "lying_extension"
    assert caught.value.message_dict["file"] == ["文件扩展名“.xlsx”与文件内容（Word）不符"]


def test_an_ole2_file_must_carry_a_legacy_office_extension() -> None:
    for name in ("旧通知.docx", "旧通知.pdf"):
        with pytest.raises(ValidationError) as caught:
            check_upload(SimpleUploadedFile(name, OLE2), allowed=OFFICE_DOCUMENTS)
        assert _code(caught.value) == "lying_extension"
        assert "（Word/Excel/PowerPoint）" in caught.value.message_dict["file"][0]


def test_office_files_are_refused_where_they_are_not_allowed() -> None:
    for name, content in (("简历.docx", _ooxml("word")), ("简历.doc", OLE2)):
        with pytest.raises(ValidationError) as caught:
            check_upload(SimpleUploadedFile(name, content))
        assert _code(caught.value) == "wrong_type"
        assert "文件内容是“Word”" in caught.value.message_dict["file"][0]


def test_the_upload_is_rewound_after_checking() -> None:
    upload = SimpleUploadedFile("名额.xlsx", _xlsx())
    check_upload(upload, allowed=OFFICE_DOCUMENTS)
    assert upload.read(2) == b"PK"


def test_private_storage_is_outside_media_and_has_no_url(settings: Any, tmp_path: Path) -> None:
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    storage = private_storage()
    name = storage.save("abroad/test.pdf", ContentFile(b"%PDF-1.4"))
    assert (tmp_path / "private" / name).exists()
    assert not str(Path(storage.path(name))).startswith(str(Path(settings.MEDIA_ROOT).resolve()))
    with pytest.raises(ValueError):
        storage.url(name)


def test_a_plain_zip_archive_and_plain_text_are_their_own_formats() -> None:
    archive = _zip({"代码/main.py": "print(1)"})
    assert check_upload(SimpleUploadedFile("作业.zip", archive), allowed=(ZIP,)) == ZIP
    assert check_upload(SimpleUploadedFile("笔记.txt", "栈是后进先出的线性表。\n".encode()), allowed=(TXT,)) == TXT
    gbk = "队列是先进先出的".encode("gb18030")
    assert check_upload(SimpleUploadedFile("笔记.txt", gbk), allowed=(TXT,)) == TXT
    # An Office document is no plain archive, binary bytes are no text, and a broken archive is neither.
    for name, content, allowed in (
        ("报告.zip", _ooxml("word"), (ZIP,)),
        ("run.txt", b"MZ\x90\x00" + b"\x00" * 60, (TXT,)),
        ("broken.zip", b"PK\x03\x04" + b"\x00" * 200, (ZIP,)),
    ):
        with pytest.raises(ValidationError) as caught:
            check_upload(SimpleUploadedFile(name, content), allowed=allowed)
        assert _code(caught.value) == "wrong_type"
