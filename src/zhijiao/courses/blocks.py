"""The block type registry: what kinds of content a unit holds, and everything the engine needs to know of each.

A block type declares, in one class:

- ``name`` (stored in ``Block.type``) and ``label`` (what teachers see);
- ``files``: the slots of its ``data`` that hold an uploaded asset's id, each with the formats and size it takes
  (checked by ``core.uploads.check_upload``, or by the slot's own ``check`` for text formats the kernel does not
  know, such as WebVTT subtitles);
- ``clean(data)``: the validated, normalised ``data`` it stores, or a ``ValidationError`` keyed by field;
- ``form_fields(course=…)``, ``form_initial(data)`` and ``form_data(cleaned)``: the fields of its ``data`` on the
  teachers' block form (the file slots are added by the engine), the form's initial values from stored data, and the
  data the submitted form makes, which ``clean`` then checks;
- ``template`` and ``context()``: how a learner sees it;
- ``is_complete(data, state)`` and ``completion_label``: what counts as done, from the progress state a learner's
  page reports (``position`` and ``watched`` share for media, ``opened``, ``viewed``) — or, for a type with
  ``completed_by_service`` (a discussion prompt answered, a quiz submitted), only what its own app's service says
  (``courses.services.progress_record(..., complete=True)``): a learner's page cannot report it done.

The engine registers the built-in types (video, document, rich text, image, link) when it starts; other apps
register theirs (quiz, homework, exam, discussion) from their ``AppConfig.ready()`` with :func:`register` — the
engine is never edited for a new type. A block whose type is no longer registered shows as unavailable rather
than failing the page.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, ClassVar

import nh3
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from zhijiao.core.registry import Registry
from zhijiao.core.uploads import MB, PDF, PICTURES, VIDEO, Format, check_upload

type Data = dict[str, Any]


def check_webvtt(upload: UploadedFile, *, max_bytes: int, field: str) -> Format:
    """A WebVTT subtitle file: UTF-8 text starting with ``WEBVTT``, named ``.vtt``, within the size limit."""
    size = upload.size or 0
    if size == 0:
        raise ValidationError({field: [ValidationError(_("所选文件是空的"), code="empty")]})
    if size > max_bytes:
        raise ValidationError({field: [ValidationError(_("字幕文件太大"), code="too_big")]})
    upload.seek(0)
    head = upload.read(64)
    upload.seek(0)
    text = head.removeprefix(b"\xef\xbb\xbf")
    if not text.startswith(b"WEBVTT") or (len(text) > 6 and text[6:7] not in b" \t\r\n"):
        raise ValidationError({field: [ValidationError(_("字幕须为 WebVTT 格式（.vtt）"), code="wrong_type")]})
    if PurePosixPath(upload.name or "").suffix.lower() != ".vtt":
        raise ValidationError({field: [ValidationError(_("字幕文件的扩展名应为 .vtt"), code="lying_extension")]})
    return WEBVTT


WEBVTT = Format("text/vtt", "WebVTT", (".vtt",))


@dataclass(frozen=True)
class FileSlot:
    """A key of a block's ``data`` that holds an uploaded asset's id."""

    name: str
    label: Promise | str
    formats: tuple[Format, ...]
    max_bytes: int
    required: bool = False
    check: Callable[..., Format] | None = None

    def check_upload(self, upload: UploadedFile, *, field: str = "file") -> Format:
        """The upload's format when this slot takes it; else a ``ValidationError`` on ``field``."""
        if self.check is not None:
            return self.check(upload, max_bytes=self.max_bytes, field=field)
        return check_upload(upload, allowed=self.formats, max_bytes=self.max_bytes, field=field)


class BlockType:
    """A kind of block. Subclass it, set the class attributes, and :func:`register` an instance."""

    name: ClassVar[str]
    label: ClassVar[Promise | str]
    template: ClassVar[str]
    files: ClassVar[tuple[FileSlot, ...]] = ()
    completion_label: ClassVar[Promise | str] = gettext_lazy("打开即完成")
    # Done only when the type's own app says so (an answer posted, an attempt submitted), never from the progress a
    # learner's page reports.
    completed_by_service: ClassVar[bool] = False
    # Whether a published block looks the same to every learner (its template reads no ``state``): then the learning
    # page renders it once per published version and language (:func:`render_published_block`).
    same_for_everyone: ClassVar[bool] = False

    def clean(self, data: Mapping[str, Any]) -> Data:
        """The data to store, validated and normalised; ``ValidationError({field: [...]})`` when it is wrong."""
        return self.clean_files(data)

    def clean_files(self, data: Mapping[str, Any]) -> Data:
        """The file slots as asset ids (positive integers); a required slot must be filled."""
        cleaned: Data = {}
        errors: dict[str, list[str]] = {}
        for slot in self.files:
            value = data.get(slot.name)
            if value in (None, ""):
                if slot.required:
                    errors[slot.name] = [_("请上传%(label)s") % {"label": slot.label}]
                continue
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                errors[slot.name] = [_("文件编号无效")]
                continue
            cleaned[slot.name] = value
        if errors:
            raise ValidationError(errors)
        return cleaned

    def form_fields(self, *, course: Any) -> dict[str, forms.Field]:
        """The fields of this type's ``data`` on the teachers' block form, besides its title and file slots; new
        field instances on every call (a form class is built per request). ``course`` lets a type offer choices from
        the course (its question bank, say)."""
        return {}

    def form_initial(self, data: Mapping[str, Any]) -> Data:
        """The block form's initial values from stored ``data`` (the file slots are the engine's)."""
        return {key: value for key, value in data.items() if not self.slot(key)}

    def form_data(self, cleaned: Mapping[str, Any]) -> Data:
        """The ``data`` a valid block form makes (before :meth:`clean`): by default its fields' values."""
        return dict(cleaned)

    def slot(self, name: str) -> FileSlot | None:
        return next((slot for slot in self.files if slot.name == name), None)

    def context(self, block: Mapping[str, Any], *, urls: Mapping[str, str], assets: Mapping[str, Any]) -> Data:
        """What the template gets besides the block: the file slots' URLs and asset details by slot name."""
        return {}

    def is_complete(self, data: Mapping[str, Any], state: Mapping[str, Any]) -> bool:
        """Whether a learner's progress state counts as done; by default, having opened the block."""
        return bool(state.get("opened") or state.get("viewed"))


def _text(data: Mapping[str, Any], key: str, *, max_length: int, required: bool = False) -> str:
    value = data.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError({key: [_("应为文字")]})
    value = value.strip()
    if required and not value:
        raise ValidationError({key: [_("此项必填")]})
    if len(value) > max_length:
        raise ValidationError({key: [_("不能超过 %(n)d 个字") % {"n": max_length}]})
    return value


class VideoBlock(BlockType):
    name = "video"
    label = gettext_lazy("视频")
    template = "courses/blocks/video.html"
    files = (
        FileSlot("file", gettext_lazy("视频文件"), VIDEO, 1024 * MB, required=True),
        FileSlot("poster", gettext_lazy("封面图片"), PICTURES, 5 * MB),
        FileSlot("subtitles", gettext_lazy("字幕"), (WEBVTT,), 2 * MB, check=check_webvtt),
    )
    completion_label = gettext_lazy("观看 90% 以上")
    # Skipping the credits or the last seconds still counts: Coursera and XuetangX count a video near its end.
    WATCHED_SHARE = 0.9

    def is_complete(self, data: Mapping[str, Any], state: Mapping[str, Any]) -> bool:
        try:
            return float(state.get("watched", 0)) >= self.WATCHED_SHARE
        except (TypeError, ValueError):
            return False

    def context(self, block: Mapping[str, Any], *, urls: Mapping[str, str], assets: Mapping[str, Any]) -> Data:
        return {"mime_type": (assets.get("file") or {}).get("mime_type", "video/mp4")}


class DocumentBlock(BlockType):
    name = "document"
    same_for_everyone = True
    label = gettext_lazy("文档")
    template = "courses/blocks/document.html"
    files = (FileSlot("file", gettext_lazy("PDF 文档"), (PDF,), 100 * MB, required=True),)

    def form_fields(self, *, course: Any) -> dict[str, forms.Field]:
        return {"downloadable": forms.BooleanField(label=_("允许下载"), required=False, initial=True)}

    def clean(self, data: Mapping[str, Any]) -> Data:
        cleaned = self.clean_files(data)
        cleaned["downloadable"] = bool(data.get("downloadable", True))
        return cleaned


# What rich text may keep: nh3's (ammonia's) safe defaults, without images from anywhere (images are image
# blocks, uploaded and checked) and with links limited to the web and mail. Scripts, event handlers, styles and
# javascript: URLs never survive; nh3 is a maintained binding of the Rust sanitiser ammonia.
RICH_TEXT_TAGS = frozenset(nh3.ALLOWED_TAGS) - {"img"}
RICH_TEXT_SCHEMES = frozenset({"http", "https", "mailto"})
RICH_TEXT_MAX = 100_000


def sanitise_html(html: str) -> str:
    """Rich text as it may be shown: no script, event handler, style or javascript: URL survives."""
    return nh3.clean(html, tags=set(RICH_TEXT_TAGS), url_schemes=set(RICH_TEXT_SCHEMES), link_rel="noopener noreferrer")


class RichTextBlock(BlockType):
    name = "richtext"
    same_for_everyone = True
    label = gettext_lazy("图文")
    template = "courses/blocks/richtext.html"
    completion_label = gettext_lazy("阅读即完成")

    def form_fields(self, *, course: Any) -> dict[str, forms.Field]:
        return {
            "html": forms.CharField(
                label=_("正文"),
                widget=forms.Textarea(attrs={"rows": 12}),
                help_text=_("可使用 HTML 标记；脚本、事件属性和 javascript: 链接会被去除"),
            )
        }

    def clean(self, data: Mapping[str, Any]) -> Data:
        html = _text(data, "html", max_length=RICH_TEXT_MAX, required=True)
        return {"html": sanitise_html(html)}


class ImageBlock(BlockType):
    name = "image"
    same_for_everyone = True
    label = gettext_lazy("图片")
    template = "courses/blocks/image.html"
    files = (FileSlot("file", gettext_lazy("图片"), PICTURES, 10 * MB, required=True),)
    completion_label = gettext_lazy("查看即完成")

    def form_fields(self, *, course: Any) -> dict[str, forms.Field]:
        return {
            "alt": forms.CharField(
                label=_("替代文字"), max_length=200, required=False, help_text=_("给看不到图片的读者")
            ),
            "caption": forms.CharField(label=_("图片说明"), max_length=200, required=False),
        }

    def clean(self, data: Mapping[str, Any]) -> Data:
        cleaned = self.clean_files(data)
        cleaned["alt"] = _text(data, "alt", max_length=200)
        cleaned["caption"] = _text(data, "caption", max_length=200)
        return cleaned


class LinkBlock(BlockType):
    name = "link"
    same_for_everyone = True
    label = gettext_lazy("外部链接")
    template = "courses/blocks/link.html"

    def form_fields(self, *, course: Any) -> dict[str, forms.Field]:
        return {
            "url": forms.URLField(label=_("网址"), max_length=500, assume_scheme="https"),
            "description": forms.CharField(label=_("说明"), max_length=500, required=False),
        }

    def clean(self, data: Mapping[str, Any]) -> Data:
        url = _text(data, "url", max_length=500, required=True)
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise ValidationError({"url": [_("请填写以 http:// 或 https:// 开头的网址")]}) from None
        return {"url": url, "description": _text(data, "description", max_length=500)}


# --- The registry ---------------------------------------------------------------------------------------------

_types: Registry[BlockType] = Registry("block type", max_length=40)


def register(block_type: BlockType) -> BlockType:
    """Make a block type available to every course; a second type with the same name is a configuration error."""
    return _types.register(block_type)


def unregister(name: str) -> None:
    """Forget a block type (tests; an app being switched off). Blocks of it show as unavailable."""
    _types.unregister(name)


def get_type(name: str) -> BlockType | None:
    return _types.get(name)


def block_types() -> list[BlockType]:
    """Every registered type, in the order they were registered."""
    return _types.all()


def register_builtin_types() -> None:
    for block_type in (VideoBlock(), DocumentBlock(), RichTextBlock(), ImageBlock(), LinkBlock()):
        register(block_type)


# --- Rendering ------------------------------------------------------------------------------------------------


def media_url(*, course_id: int, content_id: str, slot: str, draft: bool = False) -> str:
    url = reverse("courses:media", args=[course_id, content_id, slot])
    return f"{url}?draft=1" if draft else url


def render_block(
    block: Mapping[str, Any],
    *,
    course_id: int,
    assets: Mapping[str, Mapping[str, Any]],
    draft: bool = False,
    state: Mapping[str, Any] | None = None,
) -> SafeString:
    """A block as the learner sees it. ``block`` is its entry in an outline (type, title, content_id, data);
    ``assets`` the outline's asset details by id; ``state`` the learner's progress on it (a video resumes)."""
    block_type = get_type(str(block.get("type", "")))
    if block_type is None:
        return render_to_string("courses/blocks/unavailable.html", {"block": block})
    data = block.get("data") or {}
    urls: dict[str, str] = {}
    slot_assets: dict[str, Any] = {}
    for slot in block_type.files:
        asset_id = data.get(slot.name)
        if asset_id and str(asset_id) in assets:
            content_id = str(block["content_id"])
            urls[slot.name] = media_url(course_id=course_id, content_id=content_id, slot=slot.name, draft=draft)
            slot_assets[slot.name] = assets[str(asset_id)]
    context = {
        "block": block,
        "data": data,
        "urls": urls,
        "assets": slot_assets,
        "state": state or {},
        **block_type.context(block, urls=urls, assets=slot_assets),
    }
    return render_to_string(block_type.template, context)


PUBLISHED_BLOCKS_KEPT = 4096
_published: OrderedDict[tuple[int, str, str, str], SafeString] = OrderedDict()
_published_lock = threading.Lock()


def render_published_block(
    block: Mapping[str, Any],
    *,
    course_id: int,
    version_id: int,
    assets: Mapping[str, Mapping[str, Any]],
    state: Mapping[str, Any] | None = None,
) -> SafeString:
    """A block of a published version as :func:`render_block` draws it; a type that looks the same to everyone is
    drawn once per version, language and script prefix and kept in the process (published versions never change;
    the newest ``PUBLISHED_BLOCKS_KEPT`` are kept). A rich-text block of the bench course cost ~0.1 ms a page."""
    block_type = get_type(str(block.get("type", "")))
    if block_type is None or not block_type.same_for_everyone:
        return render_block(block, course_id=course_id, assets=assets, state=state)
    key = (version_id, get_language() or "", get_script_prefix(), str(block["content_id"]))
    with _published_lock:
        found = _published.get(key)
        if found is not None:
            _published.move_to_end(key)
            return found
    html = render_block(block, course_id=course_id, assets=assets, state=state)
    with _published_lock:
        _published[key] = html
        while len(_published) > PUBLISHED_BLOCKS_KEPT:
            _published.popitem(last=False)
    return html
