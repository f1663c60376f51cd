"""K-12 demo data: the textbook catalogue, real playable media, resources, 云码, a class and a collection.

The catalogue covers every subject of each stage in every grade it is taught, each in at least two editions
(人教版 everywhere; 统编版 for 语文, 道德与法治, 历史 and 思想政治; 北师大版 for the rest; 苏教版 and 外研版 for a few).
Unit and lesson titles are real for the books people know best (人教版 数学 四年级上册 and 七年级上册) and
plausibly generated elsewhere.

Every lesson and knowledge point of the featured books (``featured_books``: the first book on each edition's shelf
of every subject, and the demo logins' books) has its teacher's explanation and a 学案; the first lesson of every
other book has an explanation. The after-school columns hold at least 12 items each (``k12_columns``).

Media are generated, not shipped: PyAV (its wheels bundle FFmpeg with libx264) encodes a few seconds of H.264/AAC
MP4 (a colour test pattern with the title drawn by Pillow, over a tone) per subject group and column, a one-minute
观影导赏 of title cards per film, an AAC M4A; reportlab writes the PDFs and ``zipfile`` valid minimal EPUB 3 books.
About thirty files (some 5 MB) are made once and shared by the resource rows.
"""

import io
import math
import random
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from functools import cache
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from zhijiao.accounts.models import User
from zhijiao.core.pdf import FONT_DIR, register_fonts
from zhijiao.k12.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Assignment,
    AssignmentItem,
    Book,
    ClassMember,
    Code,
    CodeBatch,
    CodeTarget,
    Collection,
    CollectionItem,
    Column,
    Edition,
    KnowledgePoint,
    Lesson,
    Progress,
    Resource,
    ResourceImage,
    ScanStat,
    SchoolClass,
    Stage,
    Subject,
    Unit,
    Volume,
)
from zhijiao.orgs.models import Membership, Organization, Role

from .k12_columns import ARTS, CLASSICS, FAMILY, FILMS, SCIENCE, SITES, SPORTS, STUDY_TRAVEL, Film

MEDIA_DIR = "k12/demo"

# --- The catalogue --------------------------------------------------------------------------------------------

PRIMARY_SUBJECTS: list[tuple[str, range]] = [
    ("语文", range(1, 7)),
    ("数学", range(1, 7)),
    ("英语", range(3, 7)),
    ("道德与法治", range(1, 7)),
    ("科学", range(1, 7)),
    ("音乐", range(1, 7)),
    ("美术", range(1, 7)),
    ("体育与健康", range(1, 7)),
    ("信息科技", range(3, 7)),
]
JUNIOR_SUBJECTS: list[tuple[str, range]] = [
    ("语文", range(7, 10)),
    ("数学", range(7, 10)),
    ("英语", range(7, 10)),
    ("道德与法治", range(7, 10)),
    ("历史", range(7, 10)),
    ("地理", range(7, 9)),
    ("物理", range(8, 10)),
    ("化学", range(9, 10)),
    ("生物学", range(7, 9)),
    ("音乐", range(7, 10)),
    ("美术", range(7, 10)),
    ("体育与健康", range(7, 10)),
    ("信息科技", range(7, 9)),
]
SENIOR_SUBJECTS: list[tuple[str, range]] = [
    (name, range(10, 13))
    for name in (
        "语文", "数学", "英语", "思想政治", "历史", "地理", "物理", "化学", "生物学", "信息技术", "通用技术",
        "音乐", "美术", "体育与健康",
    )
]  # fmt: skip
STAGE_SUBJECTS = {Stage.PRIMARY: PRIMARY_SUBJECTS, Stage.JUNIOR: JUNIOR_SUBJECTS, Stage.SENIOR: SENIOR_SUBJECTS}
# 高中 books are 必修 (高一) and 选择性必修 (高二, 高三).
SENIOR_VOLUMES = [
    (10, Volume.REQUIRED_1),
    (10, Volume.REQUIRED_2),
    (11, Volume.ELECTIVE_1),
    (11, Volume.ELECTIVE_2),
    (12, Volume.ELECTIVE_3),
]

EDITIONS = [
    ("统编版", "人民教育出版社"),
    ("人教版", "人民教育出版社"),
    ("北师大版", "北京师范大学出版社"),
    ("苏教版", "江苏凤凰教育出版社"),
    ("外研版", "外语教学与研究出版社"),
]
UNIFIED = {"语文", "道德与法治", "历史", "思想政治"}


def editions_for(stage: str, subject: str) -> list[str]:
    """At least two editions for every subject."""
    names = ["人教版"]
    names.append("统编版" if subject in UNIFIED else "北师大版")
    if subject == "英语":
        names.append("外研版")
    if stage == Stage.PRIMARY and subject in {"数学", "科学"}:
        names.append("苏教版")
    return names


# Real units and lessons for the books the demo logins use.
REAL_BOOKS: dict[tuple[str, str, int, str], list[tuple[str, list[tuple[str, list[str]]]]]] = {
    ("人教版", "数学", 7, Volume.UPPER): [
        (
            "有理数",
            [
                ("正数和负数", ["正数和负数的概念", "用正负数表示相反意义的量"]),
                ("有理数", ["有理数的分类", "数轴", "相反数", "绝对值"]),
                ("有理数的加减法", ["有理数的加法法则", "有理数的减法法则"]),
                ("有理数的乘除法", ["有理数的乘法法则", "倒数", "有理数的除法法则"]),
                ("有理数的乘方", ["乘方的意义", "科学记数法", "近似数"]),
            ],
        ),
        (
            "整式的加减",
            [
                ("整式", ["单项式", "多项式"]),
                ("整式的加减", ["同类项", "合并同类项", "去括号"]),
            ],
        ),
        (
            "一元一次方程",
            [
                ("从算式到方程", ["一元一次方程的概念", "等式的性质"]),
                ("解一元一次方程（一）——合并同类项与移项", ["合并同类项", "移项"]),
                ("解一元一次方程（二）——去括号与去分母", ["去括号", "去分母"]),
                ("实际问题与一元一次方程", ["列方程解应用题"]),
            ],
        ),
        (
            "几何图形初步",
            [
                ("几何图形", ["立体图形与平面图形", "点、线、面、体"]),
                ("直线、射线、线段", ["两点确定一条直线", "线段的比较"]),
                ("角", ["角的度量", "角的比较与运算"]),
                ("余角和补角", ["余角", "补角"]),
            ],
        ),
    ],
    ("人教版", "数学", 4, Volume.UPPER): [
        ("大数的认识", [("亿以内数的认识", ["计数单位", "数位顺序表"]), ("亿以上数的认识", ["改写与求近似数"])]),
        ("公顷和平方千米", [("认识公顷", ["1 公顷的大小"]), ("认识平方千米", ["面积单位的换算"])]),
        (
            "角的度量",
            [("线段、直线、射线", ["三者的区别"]), ("角的度量", ["用量角器量角"]), ("画角", ["画指定度数的角"])],
        ),
        (
            "三位数乘两位数",
            [("口算乘法", ["整十数相乘"]), ("笔算乘法", ["竖式计算"]), ("积的变化规律", ["积的变化规律"])],
        ),
        ("平行四边形和梯形", [("平行与垂直", ["平行线", "垂线"]), ("平行四边形和梯形", ["平行四边形的高", "梯形"])]),
        (
            "除数是两位数的除法",
            [("口算除法", ["整十数除法"]), ("笔算除法", ["试商"]), ("商的变化规律", ["商不变的规律"])],
        ),
        ("条形统计图", [("条形统计图", ["读图与画图"])]),
        ("数学广角——优化", [("合理安排时间", ["沏茶问题", "烙饼问题"])]),
    ],
}

UNIT_TOPICS: dict[str, list[str]] = {
    "语文": ["四季之美", "民间故事", "家国情怀", "自然之趣", "古诗文诵读", "成长的足迹"],
    "数学": ["数与代数", "图形与几何", "统计与概率", "综合与实践", "数的运算", "量的计量"],
    "英语": ["Hello!", "My Family", "School Life", "Food and Drinks", "Seasons", "Travel"],
    "道德与法治": ["我们的学校", "家庭与亲情", "规则与法治", "公共生活", "热爱祖国", "安全与健康"],
    "科学": ["植物的生长", "动物的世界", "水与空气", "物质的变化", "地球与宇宙", "简单机械"],
    "音乐": ["歌唱祖国", "童趣", "四季的歌", "民族音乐", "世界音乐", "器乐欣赏"],
    "美术": ["色彩的世界", "线条与造型", "传统工艺", "设计与应用", "欣赏与评述", "综合探索"],
    "体育与健康": ["田径", "球类运动", "体操", "跳绳与踢毽", "健康生活", "武术"],
    "信息科技": ["在线学习与生活", "数据与编码", "身边的算法", "过程与控制", "信息安全", "人工智能初步"],
    "历史": ["史前时期", "夏商周", "秦汉时期", "三国两晋南北朝", "隋唐时期", "宋元时期"],
    "地理": ["地球和地图", "陆地和海洋", "天气与气候", "居民与文化", "中国的疆域", "中国的自然环境"],
    "物理": ["机械运动", "声现象", "光现象", "质量与密度", "力", "电流和电路"],
    "化学": ["走进化学世界", "我们周围的空气", "物质构成的奥秘", "自然界的水", "化学方程式", "碳和碳的氧化物"],
    "生物学": ["生物和生物圈", "细胞", "生物圈中的绿色植物", "人体的营养", "人体的呼吸", "生物的遗传与变异"],
    "思想政治": ["中国特色社会主义", "经济与社会", "政治与法治", "哲学与文化", "当代国际政治与经济", "逻辑与思维"],
    "信息技术": ["数据与计算", "信息系统与社会", "数据与数据结构", "网络基础", "人工智能初步", "算法初步"],
    "通用技术": ["技术与设计", "设计的一般过程", "结构与设计", "流程与设计", "系统与设计", "控制与设计"],
}
LESSON_WORDS = ["认识", "探究", "学习", "理解", "练习", "实践"]


def _lessons_for(subject: str, topic: str, unit_number: int) -> list[tuple[str, list[str]]]:
    words = LESSON_WORDS
    return [
        (f"{words[(unit_number + n) % len(words)]}{topic}（{n + 1}）", [f"{topic}要点{n + 1}", f"{topic}方法{n + 1}"])
        for n in range(3)
    ]


def _units_for(subject: str, grade: int, offset: int) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    topics = UNIT_TOPICS[subject]
    chosen = [topics[(grade + offset + n) % len(topics)] for n in range(4)]
    return [(topic, _lessons_for(subject, topic, n)) for n, topic in enumerate(chosen)]


def _catalogue() -> dict[str, int]:
    editions = {
        name: Edition.objects.create(name=name, publisher=publisher, position=index)
        for index, (name, publisher) in enumerate(EDITIONS)
    }
    subjects: list[Subject] = []
    plans: list[tuple[Subject, range]] = []
    for stage, rows in STAGE_SUBJECTS.items():
        for position, (name, grades) in enumerate(rows):
            subject = Subject(stage=stage, name=name, position=position)
            subjects.append(subject)
            plans.append((subject, grades))
    Subject.objects.bulk_create(subjects)
    books: list[Book] = []
    for subject, grades in plans:
        for edition_name in editions_for(subject.stage, subject.name):
            edition = editions[edition_name]
            if subject.stage == Stage.SENIOR:
                volumes = SENIOR_VOLUMES
            else:
                volumes = [(grade, volume) for grade in grades for volume in (Volume.UPPER, Volume.LOWER)]
            for position, (grade, volume) in enumerate(volumes):
                books.append(Book(subject=subject, edition=edition, grade=grade, volume=volume, position=position))
    Book.objects.bulk_create(books)
    plan_units: list[tuple[Unit, list[tuple[str, list[str]]]]] = []
    for book in books:
        key = (book.edition.name, book.subject.name, book.grade, book.volume)
        layout = REAL_BOOKS.get(key) or _units_for(book.subject.name, book.grade, book.position + book.edition_id)
        for number, (title, lessons) in enumerate(layout, start=1):
            plan_units.append((Unit(book=book, position=number, title=f"第{_cn(number)}单元 {title}"), lessons))
    Unit.objects.bulk_create([unit for unit, _ in plan_units])
    plan_lessons: list[tuple[Lesson, list[str]]] = []
    for unit, lessons in plan_units:
        for number, (title, points) in enumerate(lessons, start=1):
            plan_lessons.append((Lesson(unit=unit, position=number, title=title), points))
    Lesson.objects.bulk_create([lesson for lesson, _ in plan_lessons])
    made_points = [
        KnowledgePoint(lesson=lesson, position=number, title=title)
        for lesson, titles in plan_lessons
        for number, title in enumerate(titles, start=1)
    ]
    KnowledgePoint.objects.bulk_create(made_points, batch_size=2000)
    return {
        "k12_subjects": len(subjects),
        "k12_books": len(books),
        "k12_units": len(plan_units),
        "k12_lessons": len(plan_lessons),
        "k12_points": len(made_points),
    }


def _cn(number: int) -> str:
    digits = "零一二三四五六七八九十"
    if number <= 10:
        return digits[number]
    return "十" + digits[number - 10] if number < 20 else str(number)


# --- Media ----------------------------------------------------------------------------------------------------


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / "NotoSansSC-Bold-GBK.ttf"), size)


BARS = [(192, 192, 192), (192, 192, 0), (0, 192, 192), (0, 192, 0), (192, 0, 192), (192, 0, 0), (0, 0, 192)]


def test_pattern(title: str, subtitle: str, *, width: int = 480, height: int = 270, frame: int = 0) -> Image.Image:
    """SMPTE-style colour bars with the title on a band, and a moving marker so seeking shows a change."""
    image = Image.new("RGB", (width, height), (16, 16, 16))
    draw = ImageDraw.Draw(image)
    bar = width / len(BARS)
    for index, colour in enumerate(BARS):
        draw.rectangle([round(index * bar), 0, round((index + 1) * bar), int(height * 0.62)], fill=colour)
    draw.rectangle([0, int(height * 0.62), width, height], fill=(26, 86, 219))
    draw.text((width / 2, height * 0.72), title, fill="white", font=_font(max(16, height // 11)), anchor="ma")
    draw.text(
        (width / 2, height * 0.86), subtitle, fill=(220, 230, 255), font=_font(max(11, height // 20)), anchor="ma"
    )
    if frame >= 0:
        x = (frame * 6) % width
        draw.rectangle([x, int(height * 0.58), x + 12, int(height * 0.62)], fill="white")
    return image


def encode_mp4(
    path: str,
    *,
    title: str,
    subtitle: str,
    seconds: int = 6,
    fps: int = 10,
    tone: float = 440.0,
    width: int = 480,
    height: int = 270,
) -> int:
    """Write a small H.264/AAC MP4 (fast start) at ``path``; returns its duration in seconds. ``width`` × ``height``
    270 × 480 makes a portrait video, as phones record short videos."""
    import av

    with av.open(path, mode="w", format="mp4", options={"movflags": "+faststart"}) as container:
        video = container.add_stream("libx264", rate=fps)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.options = {"preset": "veryfast", "crf": "30", "g": str(fps)}
        audio = container.add_stream("aac", rate=44100)
        audio.layout = "mono"
        background = test_pattern(title, subtitle, width=width, height=height, frame=-1)
        for index in range(seconds * fps):
            picture = background.copy()
            x = (index * 6) % picture.width
            ImageDraw.Draw(picture).rectangle([x, 155, x + 12, 167], fill="white")
            frame = av.VideoFrame.from_image(picture)
            frame.pts = index
            frame.time_base = Fraction(1, fps)
            for packet in video.encode(frame):
                container.mux(packet)
        for packet in video.encode():
            container.mux(packet)
        _write_tone(container, audio, seconds=seconds, tone=tone)
    return seconds


def _write_tone(
    container: Any,
    stream: Any,
    *,
    seconds: int,
    tone: float = 440.0,
    tones: list[float] | None = None,
    rate: int = 44100,
    level: float = 0.2,
) -> None:
    """Sine tones over ``seconds``: ``tones`` in turn, evenly split (default: ``tone``, then a fifth above it
    halfway, so a seek is audible too)."""
    import array

    import av

    samples_per_frame = 1024
    total = seconds * rate
    steps = tones or [tone, tone * 1.5]

    def one_second(frequency: int) -> bytes:
        return array.array("f", (level * math.sin(2 * math.pi * frequency * n / rate) for n in range(rate))).tobytes()

    # Whole-hertz tones repeat every second: compute one second of each and slice it.
    waves = [one_second(round(step)) for step in steps]
    start = 0
    while start < total:
        count = min(samples_per_frame, total - start, rate - start % rate)
        offset = (start % rate) * 4
        source = waves[min(len(waves) - 1, start * len(waves) // total)]
        wave = source[offset : offset + count * 4]
        frame = av.AudioFrame(format="flt", layout="mono", samples=count)
        frame.planes[0].update(wave)
        frame.sample_rate = rate
        frame.pts = start
        start += count
        for packet in stream.encode(frame):
            container.mux(packet)
    for packet in stream.encode(None):
        container.mux(packet)


def _wrap(text: str, width: int) -> list[str]:
    """Chinese text in lines of ``width`` characters (no spaces to break at)."""
    return [text[i : i + width] for i in range(0, len(text), width)]


def film_cards(film: Film) -> list[Image.Image]:
    """The four title cards of a film's 观影导赏: title, credits, synopsis, a question to discuss."""
    width, height = 480, 270

    def card(heading: str, lines: list[str], colour: tuple[int, int, int]) -> Image.Image:
        image = Image.new("RGB", (width, height), colour)
        draw = ImageDraw.Draw(image)
        draw.rectangle([0, 0, width, 30], fill=(12, 18, 38))
        draw.text((12, 7), "影视教育 · 观影导赏", fill=(200, 210, 235), font=_font(14))
        draw.text((width / 2, 46), heading, fill="white", font=_font(24), anchor="ma")
        for index, line in enumerate(lines[:7]):
            draw.text((width / 2, 92 + index * 24), line, fill=(230, 236, 250), font=_font(15), anchor="ma")
        return image

    title = f"《{film.title}》"
    return [
        card(title, ["", film.facts, "", "观看前，请先读一读下面的简介与讨论题"], (26, 54, 120)),
        card(
            title,
            [*(line for part in film.credits.split("；") for line in _wrap(part, 26)), "", film.facts],
            (30, 70, 90),
        ),
        card("内容简介", _wrap(film.synopsis, 26), (50, 46, 96)),
        card("观影讨论", [*_wrap(film.question, 26), "", "（本视频为导赏，不含影片正片）"], (88, 44, 60)),
    ]


def encode_film(path: str, film: Film, *, seconds: int = 60) -> int:
    """A one-minute 观影导赏 at one frame a second (title cards need no more), a keyframe per card, and a quiet
    16 kbit/s tone under each card: about 115 KB and 0.3–0.5 s to encode here (FFmpeg's default AAC coder took
    0.7 s of that alone; the "fast" one sounds the same on a sine), where the 10 fps clips take 13 KB a second."""
    import av

    cards = film_cards(film)
    per_card = seconds // len(cards)
    with av.open(path, mode="w", format="mp4", options={"movflags": "+faststart"}) as container:
        video = container.add_stream("libx264", rate=1)
        video.width, video.height, video.pix_fmt = 480, 270, "yuv420p"
        video.options = {"preset": "veryfast", "crf": "32", "g": "15"}
        audio = container.add_stream("aac", rate=22050)
        audio.layout = "mono"
        audio.bit_rate = 16000
        audio.options = {"aac_coder": "fast"}
        for second in range(seconds):
            picture = cards[min(len(cards) - 1, second // per_card)].copy()
            # A progress bar along the bottom, so the picture changes every second and a seek shows.
            ImageDraw.Draw(picture).rectangle([0, 264, round(480 * (second + 1) / seconds), 270], fill=(250, 204, 21))
            frame = av.VideoFrame.from_image(picture)
            frame.pts = second
            frame.time_base = Fraction(1, 1)
            for packet in video.encode(frame):
                container.mux(packet)
        for packet in video.encode():
            container.mux(packet)
        _write_tone(container, audio, seconds=seconds, tones=[262, 330, 392, 523], rate=22050, level=0.08)
    return seconds


def encode_m4a(path: str, *, seconds: int = 8, tone: float = 523.25) -> int:
    import av

    with av.open(path, mode="w", format="ipod") as container:
        audio = container.add_stream("aac", rate=44100)
        audio.layout = "mono"
        _write_tone(container, audio, seconds=seconds, tone=tone)
    return seconds


def poster_png(title: str, subtitle: str) -> bytes:
    out = io.BytesIO()
    test_pattern(title, subtitle).save(out, format="PNG", optimize=True)
    return out.getvalue()


def picture_png(title: str, colour: tuple[int, int, int]) -> bytes:
    image = Image.new("RGB", (640, 420), colour)
    draw = ImageDraw.Draw(image)
    for ring in range(8, 0, -1):
        shade = tuple(min(255, channel + ring * 12) for channel in colour)
        draw.ellipse([320 - ring * 26, 190 - ring * 20, 320 + ring * 26, 190 + ring * 20], fill=shade)
    draw.text((320, 360), title, fill="white", font=_font(30), anchor="ma")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def handout_pdf(title: str, paragraphs: list[str]) -> bytes:
    """A short printable handout (学案 / 作业设计 / e-book) in the bundled CJK font."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    from zhijiao.core.pdf import style

    register_fonts()
    out = io.BytesIO()
    document = SimpleDocTemplate(out, pagesize=A4, title=title, leftMargin=20 * mm, rightMargin=20 * mm)
    story: list[Any] = [Paragraph(title, style("title", size=18, bold=True)), Spacer(1, 6 * mm)]
    for text in paragraphs:
        story += [Paragraph(text, style("body", size=11)), Spacer(1, 3 * mm)]
    document.build(story)
    return out.getvalue()


def epub_bytes(title: str, author: str, chapters: list[tuple[str, str]], identifier: str) -> bytes:
    """A valid minimal EPUB 3: mimetype first and stored, container.xml, an OPF package, a nav and chapters."""
    from xml.sax.saxutils import escape

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        book.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        book.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
            '<rootfiles><rootfile full-path="OEBPS/package.opf" media-type="application/oebps-package+xml"/>'
            "</rootfiles></container>",
            compress_type=zipfile.ZIP_DEFLATED,
        )
        manifest = ['<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>']
        spine = []
        nav_items = []
        for number, (heading, text) in enumerate(chapters, start=1):
            name = f"chapter{number}.xhtml"
            body = "".join(f"<p>{escape(line)}</p>" for line in text.split("\n") if line.strip())
            book.writestr(
                f"OEBPS/{name}",
                '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
                '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="zh-CN" lang="zh-CN">'
                f"<head><title>{escape(heading)}</title></head><body><h1>{escape(heading)}</h1>{body}</body></html>",
                compress_type=zipfile.ZIP_DEFLATED,
            )
            manifest.append(f'<item id="c{number}" href="{name}" media-type="application/xhtml+xml"/>')
            spine.append(f'<itemref idref="c{number}"/>')
            nav_items.append(f'<li><a href="{name}">{escape(heading)}</a></li>')
        book.writestr(
            "OEBPS/nav.xhtml",
            '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
            '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="zh-CN">'
            f'<head><title>{escape(title)}</title></head><body><nav epub:type="toc"><h1>目录</h1>'
            f"<ol>{''.join(nav_items)}</ol></nav></body></html>",
            compress_type=zipfile.ZIP_DEFLATED,
        )
        book.writestr(
            "OEBPS/package.opf",
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" xml:lang="zh-CN">'
            '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f'<dc:identifier id="uid">urn:uuid:{identifier}</dc:identifier><dc:title>{escape(title)}</dc:title>'
            f"<dc:creator>{escape(author)}</dc:creator><dc:language>zh-CN</dc:language>"
            '<meta property="dcterms:modified">2026-01-01T00:00:00Z</meta></metadata>'
            f"<manifest>{''.join(manifest)}</manifest><spine>{''.join(spine)}</spine></package>",
            compress_type=zipfile.ZIP_DEFLATED,
        )
    return out.getvalue()


@dataclass
class MediaFile:
    name: str
    size: int
    mime: str
    duration: int = 0
    poster: str = ""


def _store(name: str, data: bytes) -> str:
    path = f"{MEDIA_DIR}/{name}"
    if default_storage.exists(path):
        default_storage.delete(path)
    return default_storage.save(path, ContentFile(data))


VIDEOS = {
    "math": ("数学 · 教师讲解", "人教版 · 同步课堂", 440.0),
    "chinese": ("语文 · 名师朗读", "统编版 · 同步课堂", 392.0),
    "english": ("英语 · 情景对话", "人教版 · 同步课堂", 493.9),
    "lesson": ("同步课堂 · 教师讲解", "与教材同步", 415.3),
    "science": ("科普教育 · 实验室", "课后服务", 349.2),
    "sports": ("体育锻炼 · 跟练", "课后服务", 311.1),
    "arts": ("文化艺术 · 欣赏", "课后服务", 370.0),
    "travel": ("研学实践 · 行前课", "课后服务", 293.7),
    "family": ("家庭教育 · 家长课堂", "家庭教育指导", 369.9),
}


def _media() -> dict[str, MediaFile]:
    import tempfile
    from pathlib import Path

    made: dict[str, MediaFile] = {}
    with tempfile.TemporaryDirectory(prefix="zhijiao-k12-") as folder:
        for key, (title, subtitle, tone) in VIDEOS.items():
            path = str(Path(folder) / f"{key}.mp4")
            seconds = encode_mp4(path, title=title, subtitle=subtitle, tone=tone)
            data = Path(path).read_bytes()
            poster = _store(f"{key}-poster.png", poster_png(title, subtitle))
            made[key] = MediaFile(_store(f"{key}.mp4", data), len(data), "video/mp4", seconds, poster)
        for index, film in enumerate(FILMS):
            path = str(Path(folder) / f"film-{index}.mp4")
            seconds = encode_film(path, film)
            data = Path(path).read_bytes()
            poster = _store(f"film-{index}-poster.png", poster_png(f"《{film.title}》", film.facts))
            made[f"film{index}"] = MediaFile(_store(f"film-{index}.mp4", data), len(data), "video/mp4", seconds, poster)
        path = str(Path(folder) / "listening.m4a")
        seconds = encode_m4a(path)
        data = Path(path).read_bytes()
        made["listening"] = MediaFile(_store("listening.m4a", data), len(data), "audio/mp4", seconds)
    handout = handout_pdf(
        "课时学案",
        [
            "【学习目标】理解本课的核心概念，能用自己的话说明其意义。",
            "【课前预习】观看教师讲解视频，记录不懂的地方。",
            "【课堂练习】完成教材中的练习题，与同学交流解题思路。",
            "【课后反思】本课我学会了什么？还有哪些疑问？",
        ],
    )
    made["handout"] = MediaFile(_store("handout.pdf", handout), len(handout), "application/pdf")
    homework = handout_pdf(
        "分层作业设计示例",
        [
            "基础性作业：巩固本课基本知识，约 10 分钟。",
            "拓展性作业：联系生活实际，完成一个小调查或小制作。",
            "探究性作业：以小组为单位，提出问题并尝试解决，下节课分享。",
            "设计说明：作业总量符合“双减”要求，兼顾不同层次学生。",
        ],
    )
    made["homework"] = MediaFile(_store("homework.pdf", homework), len(homework), "application/pdf")
    for index, (title, author, chapters) in enumerate(CLASSICS):
        data = epub_bytes(title, author, chapters, identifier=f"6f1c1e2a-0000-4000-8000-{index:012d}")
        made[f"epub{index}"] = MediaFile(_store(f"classic-{index}.epub", data), len(data), "application/epub+zip")
        if index >= 2:
            continue
        pdf = handout_pdf(title, [f"{heading}：{text}" for heading, text in chapters])
        made[f"bookpdf{index}"] = MediaFile(_store(f"classic-{index}.pdf", pdf), len(pdf), "application/pdf")
    for index, (title, colour) in enumerate(
        [
            ("青花瓷纹样", (30, 64, 175)),
            ("剪纸艺术", (185, 28, 28)),
            ("水墨山水", (55, 65, 81)),
            ("敦煌色彩", (180, 83, 9)),
        ]
    ):
        data = picture_png(title, colour)
        made[f"image{index}"] = MediaFile(_store(f"art-{index}.png", data), len(data), "image/png")
    return made


# --- Resources ------------------------------------------------------------------------------------------------

TEACHERS = ["王芳", "李静", "张磊", "陈晓燕", "刘志强", "赵敏", "周婷", "孙浩"]
SCHOOLS = ["北京市海淀区实验小学", "北京市第四中学", "上海市实验学校", "南京市琅琊路小学", "杭州市学军中学"]


def _resource(media: MediaFile | None, **fields: Any) -> Resource:
    resource = Resource(status=Resource.Status.PUBLISHED, **fields)
    if media is not None:
        resource.file.name = media.name
        resource.size_bytes = media.size
        resource.mime_type = media.mime
        resource.duration_seconds = media.duration
        if media.poster:
            resource.poster.name = media.poster
    return resource


def _lesson_fields(book: Book, lesson: Lesson, **fields: Any) -> dict[str, Any]:
    """The fields every resource of a lesson has: where it sits in the book, and ``fields`` (who made it)."""
    return {"subject": book.subject, "grade": book.grade, "book": book, "unit": lesson.unit, "lesson": lesson, **fields}


def _video_for(subject: str) -> str:
    return {"数学": "math", "语文": "chinese", "英语": "english"}.get(subject, "lesson")


def _featured() -> dict[str, Book]:
    """The books the demo logins use: 人教版 数学 四年级上册 (the demo student) and 七年级上册."""
    books = Book.objects.select_related("subject", "edition").filter(edition__name="人教版", volume=Volume.UPPER)
    return {
        "math4": books.get(subject__stage=Stage.PRIMARY, subject__name="数学", grade=4),
        "math7": books.get(subject__stage=Stage.JUNIOR, subject__name="数学", grade=7),
    }


def featured_books() -> list[Book]:
    """The books people open first: the first book on every edition's shelf of every subject (what a subject page
    lists first), and the books the demo logins use. Every lesson and knowledge point of these has resources."""
    demo = list(_featured().values())
    first: dict[tuple[int, int], Book] = {}
    for book in Book.objects.select_related("subject", "edition").order_by(
        "subject_id", "edition__position", "edition_id", "grade", "position", "id"
    ):
        first.setdefault((book.subject_id, book.edition_id), book)
    return demo + [book for book in first.values() if book not in demo]


def _lesson_resources(
    rng: random.Random, media: dict[str, MediaFile], when: Any, demo_books: set[int]
) -> Iterator[tuple[Resource, list[int]]]:
    """Every lesson of the featured books: the teacher's explanation and a 学案, both tied to the lesson's points;
    in the demo logins' books each point also has its own 微课."""
    lessons = (
        Lesson.objects.filter(unit__book__in=featured_books())
        .select_related("unit__book__subject", "unit__book__edition")
        .prefetch_related("points")
        .order_by("unit__book_id", "unit__position", "position")
    )
    for lesson in lessons:
        book = lesson.unit.book
        name, school = rng.choice(TEACHERS), rng.choice(SCHOOLS)
        common = _lesson_fields(book, lesson, teacher_name=name, school_name=school)
        points = [point.pk for point in lesson.points.all()]
        own_videos = book.pk in demo_books
        yield (
            _resource(
                media[_video_for(book.subject.name)],
                kind=Resource.Kind.VIDEO,
                title=f"{lesson.title}（教师讲解）",
                description=f"{name}老师讲解{book.subject.name}{book.label}《{lesson.title}》的重点与难点。",
                tags="同步课堂,教师讲解",
                is_explanation=True,
                published_at=next(when),
                **common,
            ),
            [] if own_videos else points,
        )
        yield (
            _resource(
                media["handout"],
                kind=Resource.Kind.DOCUMENT,
                title=f"{lesson.title} 学案",
                description="课前预习与课后巩固用的学案，可在线预览或下载打印。",
                tags="学案",
                published_at=next(when),
                **common,
            ),
            points,
        )
        if own_videos:
            for point in lesson.points.all():
                video = _resource(
                    media[_video_for(book.subject.name)],
                    kind=Resource.Kind.VIDEO,
                    title=f"微课：{point.title}",
                    description=f"三分钟讲清“{point.title}”。",
                    tags="微课",
                    published_at=next(when),
                    **common,
                )
                yield video, [point.pk]


def _column_resources(media: dict[str, MediaFile], when: Any) -> Iterator[Resource]:
    """The after-school columns and family education: at least 12 items each (``k12_columns``)."""

    def videos(key: str, column: str, items: list[tuple[str, str]], tags: str) -> Iterator[Resource]:
        for title, description in items:
            yield _resource(media[key], kind=Resource.Kind.VIDEO, title=title, column=column,
                            description=description, tags=tags, published_at=next(when))  # fmt: skip

    yield from videos("science", Column.SCIENCE, SCIENCE, "科普")
    yield from videos("sports", Column.SPORTS, SPORTS, "体育锻炼")
    yield from videos("arts", Column.ARTS, ARTS, "文化艺术,传统文化")
    yield from videos("travel", Column.STUDY_TRAVEL, STUDY_TRAVEL, "研学实践")
    yield from videos("family", Column.FAMILY, FAMILY, "家庭教育")
    for index, film in enumerate(FILMS):
        description = (
            f"{film.facts}\n{film.credits}\n\n{film.synopsis}\n\n观影讨论：{film.question}\n\n"
            "本页视频为一分钟的观影导赏（片名、主创、简介与讨论题），不含影片正片；请通过正规渠道组织观看。"
        )
        yield _resource(
            media[f"film{index}"],
            kind=Resource.Kind.VIDEO,
            title=f"《{film.title}》观影导赏",
            column=Column.FILM,
            description=description,
            tags=f"影视教育,{film.genre}",
            published_at=next(when),
        )
    for index, (title, author, _chapters) in enumerate(CLASSICS):
        book = {"kind": Resource.Kind.EBOOK, "column": Column.READING, "teacher_name": author}
        book |= {"tags": "经典阅读,电子书", "licence": Resource.Licence.PUBLIC_DOMAIN}
        description = f"经典阅读：《{title}》，EPUB 电子书，可下载阅读。"
        yield _resource(media[f"epub{index}"], title=title, description=description, published_at=next(when), **book)
        if f"bookpdf{index}" in media:
            description = f"《{title}》PDF 版，可在线预览。"
            pdf = media[f"bookpdf{index}"]
            yield _resource(pdf, title=f"{title}（PDF 版）", description=description, published_at=next(when), **book)
    for title, url, column in SITES:
        yield Resource(
            kind=Resource.Kind.LINK,
            title=title,
            url=url,
            column=column,
            status=Resource.Status.PUBLISHED,
            description=f"线上参观：{title}。",
            tags="博物馆,展览",
            published_at=next(when),
        )


def _resources(rng: random.Random, media: dict[str, MediaFile], now: Any) -> tuple[list[Resource], dict[str, Book]]:
    featured = _featured()
    resources: list[Resource] = []
    points_of: list[tuple[Resource, list[int]]] = []
    when = iter(now - timedelta(hours=hours) for hours in range(1, 100_000))

    for resource, point_ids in _lesson_resources(rng, media, when, {book.pk for book in featured.values()}):
        resources.append(resource)
        if point_ids:
            points_of.append((resource, point_ids))
    # The first lesson of every other book gets an explanation video, so any book opened shows a player.
    first_lessons = (
        Lesson.objects.filter(position=1, unit__position=1)
        .exclude(unit__book__in=featured_books())
        .select_related("unit__book__subject")
    )
    for lesson in first_lessons:
        book = lesson.unit.book
        name, school = rng.choice(TEACHERS), rng.choice(SCHOOLS)
        common = _lesson_fields(book, lesson, teacher_name=name, school_name=school)
        key = _video_for(book.subject.name)
        resources.append(
            _resource(
                media[key],
                kind=Resource.Kind.VIDEO,
                title=f"{lesson.title}（教师讲解）",
                description=f"{book.subject.name}{book.label}《{lesson.title}》同步讲解。",
                tags="同步课堂",
                is_explanation=True,
                published_at=next(when),
                **common,
            )
        )
        if book.subject.name == "英语":
            resources.append(
                _resource(
                    media["listening"],
                    kind=Resource.Kind.AUDIO,
                    title=f"{lesson.title} 课文朗读",
                    description="课文标准朗读音频，跟读练习用。",
                    tags="听力,朗读",
                    published_at=next(when),
                    **common,
                )
            )
    resources.extend(_column_resources(media, when))
    art = Resource(
        kind=Resource.Kind.IMAGES, title="中国传统艺术图集", column=Column.ARTS, status=Resource.Status.PUBLISHED,
        description="青花、剪纸、水墨与敦煌色彩，四幅图片欣赏。", tags="美术,传统文化", published_at=next(when),
        size_bytes=sum(media[f"image{index}"].size for index in range(4)),
    )  # fmt: skip
    resources.append(art)
    for subject in Subject.objects.exclude(stage=Stage.SENIOR).filter(
        name__in=["语文", "数学", "英语", "科学", "物理"]
    ):
        grades = [
            grade for name, grades in STAGE_SUBJECTS[Stage(subject.stage)] if name == subject.name for grade in grades
        ]
        for grade in grades[::2]:
            resources.append(
                _resource(
                    media["homework"],
                    kind=Resource.Kind.DOCUMENT,
                    title=f"{subject.name}{_grade(grade)}分层作业设计",
                    column=Column.HOMEWORK,
                    subject=subject,
                    grade=grade,
                    teacher_name=rng.choice(TEACHERS),
                    school_name=rng.choice(SCHOOLS),
                    description="基础、拓展、探究三层作业设计示例，附设计说明。",
                    tags="作业设计,双减",
                    published_at=next(when),
                )
            )
    Resource.objects.bulk_create(resources, batch_size=1000)
    ResourceImage.objects.bulk_create(
        [
            ResourceImage(resource=art, position=index + 1, image=media[f"image{index}"].name, caption=caption)
            for index, caption in enumerate(["青花瓷纹样", "剪纸艺术", "水墨山水", "敦煌色彩"])
        ]
    )
    through = Resource.points.through
    through.objects.bulk_create(
        [
            through(resource_id=resource.pk, knowledgepoint_id=point_id)
            for resource, ids in points_of
            for point_id in ids
        ],
        batch_size=2000,
    )
    return resources, featured


def _grade(grade: int) -> str:
    from zhijiao.k12.models import grade_label

    return grade_label(grade)


# --- Codes, a collection, a class -----------------------------------------------------------------------------


def _codes(rng: random.Random, batch: CodeBatch, targets: list[Any], published: bool, now: Any) -> list[Code]:
    taken = set(Code.objects.values_list("code", flat=True))
    codes = []
    for target in targets:
        while (value := "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))) in taken:
            pass
        taken.add(value)
        codes.append(
            Code(
                code=value,
                batch=batch,
                status=Code.Status.PUBLISHED if published else Code.Status.DRAFT,
                published_at=now if published else None,
                lesson=target if isinstance(target, Lesson) else None,
                point=target if isinstance(target, KnowledgePoint) else None,
            )
        )
    Code.objects.bulk_create(codes)
    CodeTarget.objects.bulk_create(
        [CodeTarget(code=code, version=1, lesson=code.lesson, point=code.point) for code in codes]
    )
    return codes


def seed_k12(*, seed: int, today: date | None = None) -> dict[str, int]:
    """Load the K-12 demo data (inside the caller's transaction); the counts written."""
    rng = random.Random(seed + 12)
    now = timezone.now().replace(second=0, microsecond=0)
    today = today or timezone.localdate(now)
    if Subject.objects.exists():
        # The catalogue and its resources outlive a reload of the people (as in the seed tests): reuse them.
        counts: dict[str, int] = {}
        featured = _featured()
        resources = list(Resource.objects.filter(book__in=list(featured.values())).order_by("id"))
    else:
        counts = _catalogue()
        media = _media()
        counts["k12_media_files"] = len(media) + sum(1 for item in media.values() if item.poster)
        resources, featured = _resources(rng, media, now)
        counts["k12_resources"] = len(resources)

    school = Organization.objects.filter(name="北京市海淀区实验小学").first()
    district = Organization.objects.filter(name="北京市海淀区教育委员会").first()
    logins = {user.phone: user for user in User.objects.filter(phone__in=[f"138000000{n:02d}" for n in range(1, 13)])}
    teacher, student, staff = logins.get("13800000003"), logins.get("13800000001"), logins.get("13800000005")
    math4 = featured["math4"]
    lessons4 = list(Lesson.objects.filter(unit__book=math4).order_by("unit__position", "position"))
    batches = 0
    if district is not None:
        batch = CodeBatch.objects.create(title=f"{math4} 云码", book=math4, organization=district, created_by=staff)
        points = list(KnowledgePoint.objects.filter(lesson__in=lessons4[:2]).order_by("lesson__position", "position"))
        codes = _codes(rng, batch, [*lessons4, *points], published=True, now=now)
        draft = CodeBatch.objects.create(
            title=f"{featured['math7']} 云码（草稿）", book=featured["math7"], organization=district, created_by=staff
        )
        _codes(rng, draft, list(Lesson.objects.filter(unit__book=featured["math7"])), published=False, now=now)
        batches = 2
        stats = []
        regions = ["110108", "110108", "110105", "110102", ""]
        for offset in range(21):
            day = today - timedelta(days=offset)
            for code in codes[:8]:
                region = rng.choice(regions)
                stats.append(ScanStat(code=code, day=day, region=region, count=rng.randrange(1, 40)))
        ScanStat.objects.bulk_create(stats, ignore_conflicts=True)
        counts["k12_scan_stats"] = len(stats)
        collection = Collection.objects.create(
            title="海淀区四年级数学精选",
            description="区教研室从人教版四年级上册中精选的讲解视频和学案，按课时排列。",
            district=district,
            subject=math4.subject,
            created_by=staff,
            is_published=True,
        )
        picked = [res for res in resources if res.book_id == math4.pk and res.is_explanation][:8]
        CollectionItem.objects.bulk_create(
            [CollectionItem(collection=collection, resource=res, position=n) for n, res in enumerate(picked, 1)]
        )
    counts["k12_code_batches"] = batches
    if school is not None and teacher is not None:
        klass = SchoolClass.objects.create(
            school=school,
            name="四年级（2）班",
            grade=4,
            teacher=teacher,
            join_code="".join(rng.choice(CODE_ALPHABET) for _ in range(8)),
        )
        students = list(
            Membership.objects.filter(organization=school, role=Role.STUDENT, title__startswith="四年级")
            .exclude(user=student)
            .values_list("user_id", flat=True)[:6]
        )
        member_ids = ([student.pk] if student else []) + students
        ClassMember.objects.bulk_create([ClassMember(klass=klass, student_id=pk) for pk in member_ids])
        by_lesson: dict[int, list[Resource]] = {}
        for res in resources:
            if res.book_id == math4.pk and res.lesson_id:
                by_lesson.setdefault(res.lesson_id, []).append(res)
        assignments = []
        for number, (lesson, purpose, due) in enumerate(
            [(lessons4[0], Assignment.Purpose.REVIEW, -2), (lessons4[1], Assignment.Purpose.PREVIEW, 3)]
        ):
            assignment = Assignment.objects.create(
                klass=klass,
                title=f"{Assignment.Purpose(purpose).label}：{lesson.title}",
                purpose=purpose,
                due_date=today + timedelta(days=due),
                lesson=lesson,
                created_by=teacher,
                note="先看讲解视频，再完成学案。" if number else "",
            )
            items = [
                res for res in by_lesson.get(lesson.pk, []) if res.is_explanation or res.kind == Resource.Kind.DOCUMENT
            ]
            AssignmentItem.objects.bulk_create(
                [AssignmentItem(assignment=assignment, resource=res, position=n) for n, res in enumerate(items, 1)]
            )
            assignments.append((assignment, items))
        progress = []
        for index, pk in enumerate(member_ids):
            for res in assignments[0][1]:
                done = index % 3 != 2
                progress.append(
                    Progress(
                        student_id=pk,
                        resource=res,
                        position_seconds=res.duration_seconds if done else 2,
                        furthest_seconds=res.duration_seconds if done else 2,
                        seconds_spent=rng.randrange(60, 600),
                        completed_at=now - timedelta(days=1) if done else None,
                    )
                )
        if student is not None and assignments[1][1]:
            progress.append(
                Progress(student=student, resource=assignments[1][1][0], position_seconds=3, furthest_seconds=3,
                         seconds_spent=45)
            )  # fmt: skip
        Progress.objects.bulk_create(progress, ignore_conflicts=True)
        counts["k12_classes"] = 1
    return counts
