"""Topic cover images for the demo: a two-colour gradient with the title, drawn with Pillow.

The title is drawn only when a CJK font is installed (``fonts-noto-cjk`` or ``fonts-wqy-microhei``): without
one Pillow would draw boxes, so the cover keeps its gradient and geometric shapes only.
"""

import io
import shutil
import subprocess
from functools import cache

from PIL import Image, ImageChops, ImageDraw, ImageFont

WIDTH, HEIGHT = 960, 540


@cache
def cjk_font() -> tuple[str, int] | None:
    """A bold Simplified Chinese font file and its index in the collection, found through fontconfig."""
    if shutil.which("fc-list") is None:
        return None
    try:
        listing = subprocess.run(
            ["fc-list", ":lang=zh-cn", "-f", "%{file}|%{index}|%{family}|%{style}\n"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    candidates = []
    for line in listing.splitlines():
        parts = line.split("|")
        if len(parts) != 4 or not parts[1].isdigit():
            continue
        path, number, family, style = parts
        score = (
            ("SC" in family.split(",")[0]) * 4 + ("Bold" in style) * 2 + ("Sans" in family) * 1 - ("Mono" in family) * 8
        )
        candidates.append((score, path, int(number)))
    if not candidates:
        return None
    _, path, index = max(candidates)
    return path, index


def _hex(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


def topic_cover_png(title: str, colors: tuple[str, str], *, subtitle: str = "") -> bytes:
    """A 960×540 PNG: a diagonal gradient from the first colour to the second, soft circles, the title."""
    start, end = _hex(colors[0]), _hex(colors[1])
    down = Image.linear_gradient("L").resize((WIDTH, HEIGHT))
    across = Image.linear_gradient("L").rotate(90).transpose(Image.Transpose.FLIP_LEFT_RIGHT).resize((WIDTH, HEIGHT))
    mask = ImageChops.add(down, across, scale=2)
    image = Image.composite(Image.new("RGB", (WIDTH, HEIGHT), end), Image.new("RGB", (WIDTH, HEIGHT), start), mask)
    overlay = Image.new("RGBA", (WIDTH, HEIGHT), (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for cx, cy, radius, alpha in ((820, 90, 220, 40), (900, 470, 160, 30), (120, 520, 260, 24)):
        draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=(255, 255, 255, alpha))
    image = Image.alpha_composite(image.convert("RGBA"), overlay)
    font = cjk_font()
    if font is not None:
        text = ImageDraw.Draw(image)
        title_font = ImageFont.truetype(font[0], 96, index=font[1])
        text.text((72, HEIGHT // 2 - 40), title, font=title_font, fill=(255, 255, 255, 255), anchor="lm")
        if subtitle:
            small = ImageFont.truetype(font[0], 36, index=font[1])
            text.text((76, HEIGHT // 2 + 60), subtitle, font=small, fill=(255, 255, 255, 220), anchor="lm")
    else:
        shapes = ImageDraw.Draw(image)
        shapes.rounded_rectangle((72, HEIGHT // 2 - 70, 520, HEIGHT // 2 - 30), radius=20, fill=(255, 255, 255, 230))
        shapes.rounded_rectangle((72, HEIGHT // 2 + 10, 380, HEIGHT // 2 + 36), radius=13, fill=(255, 255, 255, 170))
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG", optimize=True)
    return out.getvalue()
