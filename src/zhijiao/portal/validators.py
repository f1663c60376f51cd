"""Checks on what staff upload to the portal."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

# Pillow's format names of the pictures a browser shows everywhere; SVG (scriptable) is never accepted.
COVER_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}
COVER_MAX_SIDE = 8000


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def validate_cover_image(value: Any) -> None:
    """A cover is a JPEG, PNG, WebP or GIF picture no larger than ``UPLOAD_IMAGE_MAX_BYTES``.

    Only a new upload is checked: a file already stored passed this check when it arrived.
    """
    if not value or getattr(value, "_committed", False):
        return
    limit = settings.UPLOAD_IMAGE_MAX_BYTES
    if value.size > limit:
        raise ValidationError(
            _("封面图片不能超过 %(limit)s MB，当前文件为 %(size)s MB。"),
            code="file_too_large",
            params={"limit": _megabytes(limit), "size": _megabytes(value.size)},
        )
    try:
        value.seek(0)
        with Image.open(value) as image:
            image_format = image.format or ""
            width, height = image.size
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("封面必须是 JPEG、PNG、WebP 或 GIF 格式的图片。"), code="cover_format") from exc
    finally:
        value.seek(0)
    if image_format not in COVER_FORMATS:
        raise ValidationError(_("封面必须是 JPEG、PNG、WebP 或 GIF 格式的图片。"), code="cover_format")
    if max(width, height) > COVER_MAX_SIDE:
        raise ValidationError(
            _("封面图片的宽和高都不能超过 %(side)s 像素。"), code="image_too_big", params={"side": COVER_MAX_SIDE}
        )
