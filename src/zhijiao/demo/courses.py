"""Higher-education demo data: MOOCs of real universities on the course engine, their runs and their learners.

Sixty-odd published courses across more than ten first-level disciplines (real 2022 catalogue codes) from more than
twenty real universities: the three the portal names (《大学生心理健康》《走近冬奥会》《院士带你认识“新冠肺炎”》),
the 思政 courses every undergraduate takes, and a spread of others, each with chapters, sections where the course has
them, units and blocks (video with poster and subtitles, PDF handout and reading, rich text), its about fields and a
published version. Each course has a run that is on now; a few have a run that ended last term, whose learners who
met its rule are waiting for their certificates, and their runs on now have other learners; 《教育心理学》 also has a
SPOC of 北京师范大学 with its own students. University students study at different progress (every ``BlockProgress``
row, ``Enrolment.completion`` and ``last_unit`` agree), rate what they studied, and the kept counts (enrolments,
ratings) match the rows.

Two demo logins have a part here (their facts are in ``people.py``): 杨帆 (13800000007, 北京师范大学) leads two
courses, and 陈思远 (13800000013), the 生物技术 graduate about to join a 生物制药 company, studies several:
one finished with a certificate due, two in progress, one just begun.

Media are generated once with the K-12 generator (four short H.264 videos, posters, a WebVTT file, two PDFs) and
shared by every course's asset rows, so the whole slice adds about a second to the demo's load.
"""

from __future__ import annotations

import json
import random
import tempfile
import uuid
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.html import escape

from zhijiao.accounts.models import User
from zhijiao.core.platforms import Platform
from zhijiao.courses import selectors
from zhijiao.courses import services as course_services
from zhijiao.courses.blocks import sanitise_html
from zhijiao.courses.disciplines import discipline_sync
from zhijiao.courses.grading import default_policy
from zhijiao.courses.models import (
    Announcement,
    Asset,
    Block,
    BlockProgress,
    Course,
    CourseLevel,
    CourseStaff,
    CourseVersion,
    Discipline,
    Enrolment,
    GradedItem,
    Node,
    NodeKind,
    Rating,
    Run,
    RunRelease,
    RunStaff,
    Score,
    TeamRole,
)
from zhijiao.orgs.models import Membership, Organization, Region, Role

from .assessments import DEMO_LEARNER_ESSAY, PEER_REVIEWED, add_assessment_blocks, seed_attempts, seed_peer_reviews
from .k12 import encode_mp4, handout_pdf, poster_png
from .people import chen_siyuan
from .questions import demo_question_bank

MEDIA_DIR = "courses/demo"
TEACHER_PHONE = "13800000007"

MENTAL_HEALTH = "大学生心理健康"
WINTER_OLYMPICS = "走近冬奥会"
COVID = "院士带你认识“新冠肺炎”"
NAMED = (MENTAL_HEALTH, WINTER_OLYMPICS, COVID)
IDEOLOGY = (
    "思想道德与法治",
    "中国近现代史纲要",
    "马克思主义基本原理",
    "毛泽东思想和中国特色社会主义理论体系概论",
    "习近平新时代中国特色社会主义思想概论",
    "形势与政策",
)
# 杨帆 of 北京师范大学 leads these two.
TEACHER_COURSES = (MENTAL_HEALTH, "教育心理学")
# The fewest learners a run on now of a course that also ran last term has (a twenty-sixth of the students at a larger
# scale, about what the other runs on now get), and the most a SPOC class has.
LIVE_LEARNERS = 12
SPOC_CLASS = 40
# 陈思远: (course, the share of its blocks done); the first is the finished run with a certificate due.
CHEN_STUDIES = ((COVID, 1.0), ("生物制药工艺学", 0.6), ("药事管理与法规", 0.3), ("职业生涯规划与就业指导", 0.0))

# Universities the demo's other data does not have yet: (region code, name, short name, website).
EXTRA_UNIVERSITIES = [
    ("110108", "中国农业大学", "中国农大", "https://www.cau.edu.cn/"),
    ("110108", "北京理工大学", "北理工", "https://www.bit.edu.cn/"),
    ("110105", "中国传媒大学", "中传", "https://www.cuc.edu.cn/"),
    ("420000", "华中科技大学", "华科", "https://www.hust.edu.cn/"),
    ("420000", "武汉大学", "武大", "https://www.whu.edu.cn/"),
    ("320000", "南京大学", "南大", "https://www.nju.edu.cn/"),
    ("610000", "西安交通大学", "西交", "https://www.xjtu.edu.cn/"),
    ("340000", "中国科学技术大学", "中国科大", "https://www.ustc.edu.cn/"),
    ("310112", "华东师范大学", "华东师大", "https://www.ecnu.edu.cn/"),
    ("320000", "中国药科大学", "中国药大", "https://www.cpu.edu.cn/"),
    ("120000", "南开大学", "南开", "https://www.nankai.edu.cn/"),
    ("350000", "厦门大学", "厦大", "https://www.xmu.edu.cn/"),
]


@dataclass(frozen=True)
class CourseSpec:
    title: str
    university: str
    discipline: str  # 一级学科 code (disciplines.FIRST_LEVEL)
    chapters: tuple[str, ...]
    first_class: int | None = None  # the year it was named a 国家级一流本科课程
    tags: tuple[str, ...] = ()
    level: str = CourseLevel.UNDERGRADUATE
    hours: int = 32
    credits: str = "2.0"


def _catalogue() -> list[CourseSpec]:
    """The courses (``courses.json``): title, university, 一级学科 code, 国家级一流 year, tags, chapter titles.
    Six chapters or more make a 48-hour, 3-credit course; fewer, 32 hours and 2 credits."""
    rows = json.loads((Path(__file__).resolve().parent / "courses.json").read_text(encoding="utf-8"))
    return [
        CourseSpec(
            title=row["title"],
            university=row["university"],
            discipline=row["discipline"],
            chapters=tuple(row["chapters"]),
            first_class=row["first_class"],
            tags=tuple(row["tags"]),
            hours=48 if len(row["chapters"]) >= 6 else 32,
            credits="3.0" if len(row["chapters"]) >= 6 else "2.0",
        )
        for row in rows
    ]


COURSES = _catalogue()

_SUB_PREFIX = "一二三四五六七八九十"
# Each chapter's units: an introduction, the lecture with its handout, a reading with a question to discuss.
UNIT_PATTERN = ("学习导引", "重点讲解", "拓展阅读与讨论")
SECTION_PATTERN = ("基本概念与原理", "方法与应用")

VIDEOS = {
    "social": ("智慧高教 · 人文社科", "课程讲解", 392.0),
    "science": ("智慧高教 · 理学", "课程讲解", 440.0),
    "engineering": ("智慧高教 · 工学", "课程讲解", 493.9),
    "life": ("智慧高教 · 医学与生命科学", "课程讲解", 349.2),
}
VIDEO_SECONDS = 6


def _video_key(code: str) -> str:
    if code[:2] in {"07"} and code not in {"0710"}:
        return "science"
    if code[:2] in {"08", "14"}:
        return "engineering" if code != "0836" else "life"
    if code[:2] in {"09", "10"} or code == "0710":
        return "life"
    return "social"


VTT = (
    "WEBVTT\n\n00:00:00.000 --> 00:00:03.000\n欢迎学习本课程\n\n"
    "00:00:03.000 --> 00:00:06.000\n请结合讲义完成本单元的学习\n"
)


@dataclass
class _File:
    name: str
    size: int
    mime: str
    duration: int = 0


def _store(name: str, data: bytes) -> _File:
    path = f"{MEDIA_DIR}/{name}"
    if default_storage.exists(path):
        default_storage.delete(path)
    return _File(default_storage.save(path, ContentFile(data)), len(data), "")


def _media() -> dict[str, _File]:
    """The generated files every course shares: a video and poster per discipline group, subtitles, two PDFs."""
    made: dict[str, _File] = {}
    with tempfile.TemporaryDirectory(prefix="zhijiao-courses-") as folder:
        for key, (title, subtitle, tone) in VIDEOS.items():
            path = Path(folder) / f"{key}.mp4"
            seconds = encode_mp4(str(path), title=title, subtitle=subtitle, seconds=VIDEO_SECONDS, tone=tone)
            video = _store(f"{key}.mp4", path.read_bytes())
            video.mime, video.duration = "video/mp4", seconds
            made[key] = video
            poster = _store(f"{key}-poster.png", poster_png(title, subtitle))
            poster.mime = "image/png"
            made[f"{key}-poster"] = poster
    subtitles = _store("subtitles.vtt", VTT.encode())
    subtitles.mime = "text/vtt"
    made["subtitles"] = subtitles
    slides = handout_pdf(
        "课程讲义",
        [
            "【本章学习目标】理解本章的核心概念，能够运用所学分析实际问题。",
            "【重点与难点】结合教学视频梳理本章知识结构，标出不理解的地方，在讨论区提问。",
            "【阅读建议】精读教材相应章节，完成课后思考题。",
            "【学习提示】每个单元学完后请及时完成单元测验，检验学习效果。",
        ],
    )
    made["slides"] = _store("slides.pdf", slides)
    made["slides"].mime = "application/pdf"
    reading = handout_pdf(
        "拓展阅读材料",
        [
            "本材料选编与本章内容相关的经典文献和最新研究进展，供有兴趣的同学深入学习。",
            "阅读时请思考：本章的理论在现实中有哪些应用？还存在哪些尚未解决的问题？",
            "建议以小组为单位，选择一个感兴趣的问题，查阅资料并在课程讨论区分享。",
        ],
    )
    made["reading"] = _store("reading.pdf", reading)
    made["reading"].mime = "application/pdf"
    return made


def _universities(now: Any) -> dict[str, Organization]:
    """Every university the courses name: the demo's own, and the real ones it lacked (added here)."""
    existing = {org.name: org for org in Organization.objects.filter(kind=Organization.Kind.UNIVERSITY)}
    regions = set(Region.objects.filter(code__in=[row[0] for row in EXTRA_UNIVERSITIES]).values_list("code", flat=True))
    missing = [
        Organization(
            kind=Organization.Kind.UNIVERSITY,
            name=name,
            short_name=short,
            website=website,
            region_id=code,
            is_verified=True,
        )
        for code, name, short, website in EXTRA_UNIVERSITIES
        if name not in existing and code in regions
    ]
    Organization.objects.bulk_create(missing)
    return {**existing, **{org.name: org for org in missing}}


FEMALE_LEADS = {"李晓华", "刘慧敏", "杨丽娟", "黄晓燕", "吴海燕", "孙雅琴"}
LEAD_NAMES = [
    "王建国",
    "李晓华",
    "张明远",
    "刘慧敏",
    "陈志刚",
    "杨丽娟",
    "赵卫东",
    "黄晓燕",
    "周立新",
    "吴海燕",
    "徐志强",
    "孙雅琴",
]


def _faculty_for_new(universities: dict[str, Organization], faculty: dict[int, list[User]], now: Any) -> None:
    """A course lead, with a real-name identity as everyone in the demo has, at each university the rest of the
    demo has no teachers at (they do not sign in: no password)."""
    from datetime import date

    from django.contrib.auth.hashers import make_password
    from stdnum.cn import ric

    from zhijiao.accounts.models import Identity
    from zhijiao.core.crypto import blind_index
    from zhijiao.core.masking import mask_id_number

    bare = [org for org in universities.values() if org.pk not in faculty]
    users: list[User] = []
    identities: list[Identity] = []
    for n, _org in enumerate(bare):
        name = LEAD_NAMES[n % len(LEAD_NAMES)]
        gender = "F" if name in FEMALE_LEADS else "M"
        birth = date(1966 + n % 12, 1 + n % 12, 3 + n)
        # A sequence number the demo's other people (0–999, drawn at random) never reach in this birth month: 9xx.
        body = f"110108{birth:%Y%m%d}{900 + 2 * n + (1 if gender == 'M' else 0):03d}"
        number = body + ric.calc_check_digit(body + "0")
        user = User(phone=f"1391000{n:04d}", display_name=name, password=make_password(None), date_joined=now)
        users.append(user)
        identities.append(
            Identity(
                user=user,
                real_name=name,
                id_number=number,
                id_number_index=blind_index(number, context="id_number"),
                id_number_masked=mask_id_number(number),
                birth_date=birth,
                gender=gender,
            )
        )
    User.objects.bulk_create(users)
    Identity.objects.bulk_create(identities)
    Membership.objects.bulk_create(
        [
            Membership(user=user, organization=org, role=Role.UNIVERSITY_FACULTY, title="教授 · 课程负责人")
            for user, org in zip(users, bare, strict=True)
        ]
    )
    for user, org in zip(users, bare, strict=True):
        faculty[org.pk] = [user]


def _syllabus(spec: CourseSpec) -> str:
    items = "".join(f"<li>第{n}章 {escape(title)}</li>" for n, title in enumerate(spec.chapters, start=1))
    return sanitise_html(
        f"<h3>课程目标</h3><p>通过本课程的学习，学生能够系统掌握{escape(spec.title)}的基本概念、基本理论和基本方法，"
        "培养分析和解决实际问题的能力，提升科学素养与人文素养。</p>"
        f"<h3>教学内容</h3><ol>{items}</ol>"
        "<h3>考核方式</h3><p>平时学习（视频观看、讲义阅读）占 40%，单元测验占 20%，期末考试占 40%。</p>"
    )


def _summary(spec: CourseSpec, university: str) -> str:
    first, last = spec.chapters[0], spec.chapters[-1]
    return (
        f"《{spec.title}》由{university}教学团队主讲，共 {len(spec.chapters)} 章，从“{first}”讲到“{last}”。"
        "课程以短视频讲解为主，配有讲义和拓展阅读，适合高校学生和社会学习者系统学习。"
    )


def _unit_blocks(kind: str, chapter: str, assets: dict[str, int]) -> list[tuple[str, str, dict[str, Any]]]:
    """(type, title, data) of a unit's blocks, by the unit's place in its chapter."""
    if kind == "学习导引":
        html = (
            f"<h3>本章学习目标</h3><ul><li>了解“{escape(chapter)}”的主要内容</li>"
            "<li>掌握本章的核心概念</li><li>能够联系实际分析问题</li></ul>"
            "<p>建议学习时间：约 90 分钟。请先观看视频，再阅读讲义。</p>"
        )
        return [
            (
                "video",
                f"{chapter}：导学视频",
                {"file": assets["video"], "poster": assets["poster"], "subtitles": assets["subtitles"]},
            ),
            ("richtext", "学习目标", {"html": sanitise_html(html)}),
        ]
    if kind == "重点讲解":
        return [
            ("video", f"{chapter}：重点讲解", {"file": assets["video"], "poster": assets["poster"]}),
            ("document", "本章讲义", {"file": assets["slides"], "downloadable": True}),
        ]
    return [
        ("document", "拓展阅读材料", {"file": assets["reading"], "downloadable": True}),
        # A 课堂讨论 prompt (the discussion app's block type): learners answer it in the unit.
        ("discussion", "思考与讨论", {"prompt": f"结合本章所学，谈谈你对“{chapter}”的理解，并举一个身边的例子。"}),
    ]


def _insert_trees(plans: list[tuple[Course, CourseSpec, dict[str, int]]]) -> int:
    """Chapters, sections, units and blocks of every course: one bulk insert per level."""
    chapters: list[Node] = []
    chapter_plans: list[tuple[Node, Course, CourseSpec, dict[str, int], int]] = []
    for index, (course, spec, assets) in enumerate(plans):
        for number, title in enumerate(spec.chapters, start=1):
            node = Node(course=course, kind=NodeKind.CHAPTER, title=f"第{number}章 {title}", position=number - 1)
            chapters.append(node)
            chapter_plans.append((node, course, spec, assets, index))
    Node.objects.bulk_create(chapters)
    sections: list[Node] = []
    unit_parents: list[tuple[Node, Course, str, int, dict[str, int], bool]] = []
    for chapter, course, spec, assets, index in chapter_plans:
        number = chapter.position + 1
        plain = spec.chapters[chapter.position]
        # Every other course has sections (节) in its chapters; the rest keep units straight under chapters.
        if index % 2 == 0:
            for s, title in enumerate(SECTION_PATTERN):
                section = Node(
                    course=course,
                    parent=chapter,
                    kind=NodeKind.SECTION,
                    title=f"第{_SUB_PREFIX[s]}节 {title}",
                    position=s,
                )
                sections.append(section)
                unit_parents.append((section, course, plain, number, assets, s == 0))
        else:
            unit_parents.append((chapter, course, plain, number, assets, True))
    Node.objects.bulk_create(sections)
    units: list[Node] = []
    unit_blocks: list[tuple[Node, list[tuple[str, str, dict[str, Any]]]]] = []
    for parent, course, plain, number, assets, first in unit_parents:
        kinds: tuple[str, ...]
        if parent.kind == NodeKind.SECTION:
            kinds = UNIT_PATTERN[:2] if first else UNIT_PATTERN[2:]
            offset = 0 if first else 2
        else:
            kinds, offset = UNIT_PATTERN, 0
        for position, kind in enumerate(kinds):
            unit = Node(
                course=course,
                parent=parent,
                kind=NodeKind.UNIT,
                title=f"{number}.{offset + position + 1} {kind}",
                position=position,
            )
            units.append(unit)
            unit_blocks.append((unit, _unit_blocks(kind, plain, assets)))
    Node.objects.bulk_create(units)
    blocks = [
        Block(course_id=unit.course_id, unit=unit, type=kind, title=title, position=position, data=data)
        for unit, items in unit_blocks
        for position, (kind, title, data) in enumerate(items)
    ]
    Block.objects.bulk_create(blocks, batch_size=1000)
    return len(blocks)


@dataclass
class _Published:
    course: Course
    units: list[str]  # content ids of units, in order
    blocks: list[tuple[str, str, str, int]]  # (content id, type, unit content id, media seconds), in order
    chapters: list[str]  # the chapter content id of each block


def _publish(course: Course, lead: User | None, when: Any) -> _Published:
    outline = selectors.draft_outline(course=course)
    outline["title"], outline["summary"] = course.title, course.summary
    version = CourseVersion.objects.create(
        course=course,
        number=1,
        revision=course.revision,
        outline=outline,
        block_count=selectors.block_count(outline),
        note="首次发布",
        published_by=lead,
    )
    CourseVersion.objects.filter(pk=version.pk).update(published_at=when)
    course.published_version = version
    units: list[str] = []
    blocks: list[tuple[str, str, str, int]] = []
    chapters: list[str] = []
    for chapter in outline["nodes"]:
        for node in selectors.walk([chapter]):
            if node["kind"] != NodeKind.UNIT:
                continue
            units.append(node["content_id"])
            for block in node["blocks"]:
                blocks.append((block["content_id"], block["type"], node["content_id"], VIDEO_SECONDS))
                chapters.append(chapter["content_id"])
    return _Published(course, units, blocks, chapters)


def _progress_rows(
    user: User, run: Run, published: _Published, share: float, rng: random.Random, now: Any, *, available: int
) -> tuple[list[BlockProgress], Decimal, str | None, Any]:
    """A learner who did the first ``share`` of a course's blocks, in order, within the first ``available`` (the
    chapters released so far), the next one half done when it is a video: the progress rows, the completion they add
    up to, the last unit studied and when."""
    total = len(published.blocks)
    done = min(available, round(total * share))
    studied = now - timedelta(
        days=rng.randrange(0, 6) if share < 1 else rng.randrange(12, 30), hours=rng.randrange(1, 12)
    )
    rows: list[BlockProgress] = []
    last: str | None = None
    for index, (content_id, kind, unit, seconds) in enumerate(published.blocks[: min(done + 1, available)]):
        complete = index < done
        if not complete and kind != "video":
            break
        last = unit
        at = studied - timedelta(minutes=(done - index) * 7)
        rows.append(
            BlockProgress(
                user=user,
                content_id=uuid.UUID(content_id),
                run=run,
                position_seconds=seconds if complete else seconds // 2,
                watched=Decimal("1.000")
                if complete and kind == "video"
                else Decimal("0.500")
                if kind == "video"
                else Decimal("0"),
                opened=True,
                completed_at=at if complete else None,
            )
        )
    completion = (Decimal(done) / Decimal(total)).quantize(Decimal("0.001")) if total else Decimal("0")
    return rows, completion, last, studied if rows else None


COMMENTS = {
    5: [
        "老师讲得非常清楚，视频短小精悍，讲义很实用。",
        "内容系统全面，收获很大，推荐！",
        "案例丰富，理论联系实际，受益匪浅。",
    ],
    4: ["整体很好，希望能增加一些练习题。", "讲解细致，个别章节节奏稍快。", "课程质量很高，期待更多拓展内容。"],
    3: ["内容不错，但视频有点短，希望讲得更深入些。", "适合入门，进阶内容偏少。"],
}


# What the finished runs graded (category, title, full marks), under the default policy.
FINISHED_ASSESSMENTS = [
    *(("quiz", f"第{n}单元测验", Decimal("10")) for n in range(1, 5)),
    ("homework", "第一次作业", Decimal("100")),
    ("homework", "第二次作业", Decimal("100")),
    ("discussion", "课堂讨论参与", Decimal("10")),
    ("exam", "期末考试", Decimal("100")),
]


def _finished_grades(runs: list[Run], enrolments: list[Enrolment], chen: User | None) -> int:
    """The finished runs graded unit quizzes, homework, discussion and a final exam: two learners in five did
    excellently (优秀), two passed (合格), one in five failed (so completing the course was not enough for them);
    陈思远 did excellently. Their grades are then computed as a regrade would; the number of scores written."""
    rng = random.Random(20261)  # its own stream: the rest of the demo draws the same numbers as before
    items: list[GradedItem] = []
    scores: list[Score] = []
    for run in runs:
        ids = [
            uuid.uuid5(uuid.NAMESPACE_URL, f"zhijiao-demo/{run.pk}/{title}") for _c, title, _p in FINISHED_ASSESSMENTS
        ]
        items += [
            GradedItem(run=run, content_id=content_id, category=category, title=title, possible=possible)
            for content_id, (category, title, possible) in zip(ids, FINISHED_ASSESSMENTS, strict=True)
        ]
        learners = [e for e in enrolments if e.run.pk == run.pk]
        for number, enrolment in enumerate(learners):
            if chen is not None and enrolment.user.pk == chen.pk:
                ability = 0.93
            else:
                ability = {0: 0.93, 3: 0.93, 4: 0.5}.get(number % 5, 0.74)
            for step, (content_id, (category, _title, possible)) in enumerate(
                zip(ids, FINISHED_ASSESSMENTS, strict=True)
            ):
                share = min(1.0, max(0.0, ability + rng.uniform(-0.06, 0.06)))
                earned = (possible * Decimal(str(round(share, 2)))).quantize(Decimal("0.01"))
                scores.append(
                    Score(
                        run=run,
                        user=enrolment.user,
                        content_id=content_id,
                        category=category,
                        earned=earned,
                        possible=possible,
                        source=category,
                        source_earned=earned,
                        graded_at=run.starts_at + timedelta(days=12 * (step + 1)),
                    )
                )
    GradedItem.objects.bulk_create(items)
    Score.objects.bulk_create(scores, batch_size=2000)
    for run in runs:
        course_services.run_regrade(run=run)
    return len(scores)


def seed_courses(*, rng: random.Random) -> dict[str, int]:
    """Load the MOOC demo (inside the caller's transaction); the counts written."""
    if Course.objects.filter(platform=Platform.HIGHER, published_version__isnull=False).exists():
        return {}
    if not Discipline.objects.exists():
        discipline_sync(Discipline)
    now = timezone.now().replace(second=0, microsecond=0)
    today = timezone.localdate(now)
    disciplines = {d.code: d for d in Discipline.objects.filter(parent__isnull=False)}
    universities = _universities(now)
    faculty: dict[int, list[User]] = {}
    for membership in Membership.objects.filter(
        role=Role.UNIVERSITY_FACULTY, organization__kind=Organization.Kind.UNIVERSITY
    ).select_related("user"):
        faculty.setdefault(membership.organization_id, []).append(membership.user)
    teacher = User.objects.filter(phone=TEACHER_PHONE).first()
    _faculty_for_new(universities, faculty, now)
    fallback = User.objects.filter(is_superuser=True).first()
    files = _media()

    courses: list[Course] = []
    leads: list[User | None] = []
    for index, spec in enumerate(COURSES):
        university = universities[spec.university]
        if spec.title in TEACHER_COURSES and teacher is not None:
            lead: User | None = teacher
        else:
            pool = faculty.get(university.pk) or []
            lead = pool[index % len(pool)] if pool else fallback
        published_at = now - timedelta(days=400 - index * 5, hours=index % 7)
        courses.append(
            Course(
                title=spec.title,
                summary=_summary(spec, university.name),
                university=university,
                created_by=lead,
                revision=1,
                platform=Platform.HIGHER,
                discipline=disciplines[spec.discipline],
                level=spec.level,
                credit_hours=spec.hours,
                credits=Decimal(spec.credits),
                syllabus=_syllabus(spec),
                prerequisites="无" if "通识" in spec.tags or "公共必修" in spec.tags else "建议先修相关专业基础课程",
                tags=list(spec.tags),
                first_class_year=spec.first_class,
                published_at=published_at,
            )
        )
        leads.append(lead)
    Course.objects.bulk_create(courses)
    staff = [
        CourseStaff(course=c, user=lead, role=TeamRole.LEAD) for c, lead in zip(courses, leads, strict=True) if lead
    ]
    for course in courses:
        pool = faculty.get(course.university_id or 0) or []
        helpers = [user for user in pool if user.pk != (course.created_by_id or 0)][:2]
        staff += [CourseStaff(course=course, user=user, role=TeamRole.TEACHER) for user in helpers[:1]]
        staff += [CourseStaff(course=course, user=user, role=TeamRole.ASSISTANT) for user in helpers[1:2]]
    CourseStaff.objects.bulk_create(staff)

    # Asset rows per course (the files themselves are shared): a teacher editing a block keeps the course's own.
    kinds = ("video", "poster", "subtitles", "slides", "reading")
    asset_rows: list[tuple[Course, str, Asset]] = []
    for course, spec in zip(courses, COURSES, strict=True):
        key = _video_key(spec.discipline)
        for kind in kinds:
            stored = files[{"video": key, "poster": f"{key}-poster"}.get(kind, kind)]
            name = {"video": f"{spec.title[:20]}-讲解.mp4", "poster": "封面.png", "subtitles": "字幕.vtt"}.get(
                kind, {"slides": "讲义.pdf", "reading": "拓展阅读.pdf"}.get(kind, kind)
            )
            asset = Asset(
                course=course,
                name=name,
                mime_type=stored.mime,
                size_bytes=stored.size,
                duration_seconds=stored.duration,
                uploaded_by=course.created_by,
            )
            asset.file.name = stored.name
            asset_rows.append((course, kind, asset))
    Asset.objects.bulk_create([asset for _, _, asset in asset_rows])
    assets: dict[int, dict[str, int]] = {}
    for course, kind, asset in asset_rows:
        assets.setdefault(course.pk, {})[kind] = asset.pk
    block_total = _insert_trees(
        [(course, spec, assets[course.pk]) for course, spec in zip(courses, COURSES, strict=True)]
    )
    # Every course's question bank (21 questions of every type in its subject), and its quizzes, homework and
    # final exam drawn from it (in the draft, so the first publish holds them).
    question_total = sum(demo_question_bank(course) for course in courses)
    block_total += add_assessment_blocks(courses)
    published = [_publish(course, lead, course.published_at) for course, lead in zip(courses, leads, strict=True)]
    Course.objects.bulk_update(courses, ["published_version"])
    by_title = {p.course.title: p for p in published}

    # Runs: every course has one on now (enrolment open); a few had one last term that has ended.
    runs: list[Run] = []
    current: dict[int, Run] = {}
    finished: dict[int, Run] = {}
    finished_titles = {COVID, MENTAL_HEALTH, "数据结构", "思想道德与法治", "高等数学（上）"}
    term = "春季学期" if today.month < 8 else "秋季学期"
    policy = default_policy().as_json()
    for index, course in enumerate(courses):
        starts = now - timedelta(days=20 + index % 40)
        run = Run(
            course=course,
            title=f"{today.year} {term}",
            enrol_opens_at=starts - timedelta(days=14),
            enrol_closes_at=starts + timedelta(days=100),
            starts_at=starts,
            ends_at=starts + timedelta(days=112),
            certificate_completion=Decimal("0.800"),
            grading_policy=policy,
        )
        runs.append(run)
        current[course.pk] = run
        if course.title in finished_titles:
            ended = now - timedelta(days=3 + index % 5)
            last_term = f"{today.year - 1} 秋季学期" if today.month < 8 else f"{today.year} 春季学期"
            old = Run(
                course=course,
                title=last_term,
                enrol_opens_at=ended - timedelta(days=140),
                enrol_closes_at=ended - timedelta(days=30),
                starts_at=ended - timedelta(days=120),
                ends_at=ended,
                certificate_completion=Decimal("0.800"),
                grading_policy=policy,
            )
            runs.append(old)
            finished[course.pk] = old
    # One SPOC: 杨帆's 教育心理学 for 北京师范大学 students, with a join code.
    spoc_course = next(c for c in courses if c.title == "教育心理学")
    bnu = universities["北京师范大学"]
    spoc = Run(
        course=spoc_course,
        title=f"{today.year} {term}（本校）",
        kind=Run.Kind.SPOC,
        university=bnu,
        join_code="BNU2026",
        enrol_opens_at=now - timedelta(days=30),
        enrol_closes_at=now + timedelta(days=30),
        starts_at=now - timedelta(days=21),
        ends_at=now + timedelta(days=90),
        grading_policy=policy,
    )
    runs.append(spoc)
    Run.objects.bulk_create(runs)
    run_staff = [
        RunStaff(run=run, user_id=lead.pk, role=TeamRole.LEAD)
        for run in runs
        for course, lead in zip(courses, leads, strict=True)
        if run.course_id == course.pk and lead is not None
    ]
    RunStaff.objects.bulk_create(run_staff)
    # The runs on now (every course's, and the SPOC) open their later chapters week by week (章节发布计划); the
    # first chapters are open.
    live = [*current.values(), spoc]
    releases: list[RunRelease] = []
    opening: dict[int, dict[str, Any]] = {}
    for run in live:
        chapters = [node["content_id"] for node in selectors.published_outline(course=run.course)["nodes"]]
        for number, content_id in enumerate(chapters):
            if number == 0:
                continue
            opens_at = run.starts_at + timedelta(days=7 * number)
            releases.append(RunRelease(run=run, content_id=uuid.UUID(content_id), opens_at=opens_at))
            opening.setdefault(run.pk, {})[content_id] = opens_at
    RunRelease.objects.bulk_create(releases)

    # Learners: the universities' students (each studies a few courses), and 陈思远.
    memberships = [
        m
        for m in Membership.objects.filter(role=Role.STUDENT, organization__kind=Organization.Kind.UNIVERSITY)
        .select_related("user")
        .order_by("id")
        if not (m.user.phone or "").startswith("1380000")
    ]
    students = [m.user for m in memberships]
    enrolments: list[Enrolment] = []
    progress: list[BlockProgress] = []
    ratings: list[Rating] = []
    shares = [0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1.0]
    open_courses = [c for c in courses if c.title not in finished_titles]
    chen = User.objects.filter(phone=chen_siyuan(today).phone).first()
    taken: set[tuple[int, int]] = set()

    def enrol(user: User, run: Run, share: float, *, rated: bool) -> None:
        p = by_title.get(run.course.title)
        if p is None or (user.pk, run.course_id) in taken:
            return
        taken.add((user.pk, run.course_id))
        opens = opening.get(run.pk, {})
        available = next(
            (i for i, chapter in enumerate(p.chapters) if opens.get(chapter, run.starts_at) > now), len(p.chapters)
        )
        rows, completion, last, studied = _progress_rows(user, run, p, share, rng, now, available=available)
        progress.extend(rows)
        enrolment = Enrolment(
            run=run,
            user=user,
            completion=completion,
            last_unit=uuid.UUID(last) if last else None,
            last_studied_at=studied,
        )
        enrolments.append(enrolment)
        if rated and completion >= Decimal("0.3"):
            stars = rng.choice([5, 5, 5, 4, 4, 3])
            ratings.append(Rating(course=run.course, user=user, stars=stars, comment=rng.choice(COMMENTS[stars])))

    for number, student in enumerate(students):
        picks = rng.sample(open_courses, k=2 if number % 3 else 3)
        for course in picks:
            enrol(student, current[course.pk], rng.choice(shares), rated=rng.random() < 0.6)
    # The finished runs: most learners met the 80 % rule, some did not.
    finished_learners = students[: max(12, len(students) // 10)]
    for run in finished.values():
        for number, student in enumerate(finished_learners):
            share = 1.0 if number % 4 else rng.choice([0.2, 0.5, 0.7])
            if number % 3 == 0:
                share = 0.85
            enrol(student, run, share, rated=True)
    if chen is not None:
        for title, share in CHEN_STUDIES:
            course = by_title[title].course
            run = finished[course.pk] if title == COVID else current[course.pk]
            enrol(chen, run, share, rated=title == COVID)
    # The runs on now of the courses that also ran last term have learners as the others do, at every stage of
    # progress: other students than last term's (the engine would let one enrol in both runs; the story keeps them
    # apart); a SPOC, its own university's students who do not study the course's open run. Drawn last, so
    # everything above draws the numbers it drew before.
    newcomers = students[len(finished_learners) :]
    for course in courses:
        if course.pk in finished:
            chosen = rng.sample(newcomers, k=min(len(newcomers), max(LIVE_LEARNERS, len(students) // 26)))
            for number, student in enumerate(chosen):
                enrol(student, current[course.pk], shares[number % len(shares)], rated=rng.random() < 0.6)
    for run in live:
        if run.kind == Run.Kind.SPOC and run.university_id is not None:
            own = [m.user for m in memberships if m.organization_id == run.university_id]
            own = [user for user in own if (user.pk, run.course_id) not in taken][:SPOC_CLASS]
            for number, student in enumerate(own):
                enrol(student, run, shares[(number + 3) % len(shares)], rated=rng.random() < 0.6)
    Enrolment.objects.bulk_create(enrolments, batch_size=2000)
    for run in runs:  # they joined when the run began, not when the demo was loaded
        Enrolment.objects.filter(run=run).update(created_at=run.starts_at)
    BlockProgress.objects.bulk_create(progress, batch_size=2000)
    Rating.objects.bulk_create(ratings, batch_size=2000)
    scores = _finished_grades(list(finished.values()), enrolments, chen)
    # Graded attempts at the quizzes, homework and exams the current runs' learners reached; 杨帆's courses have
    # homework essays waiting in the teaching queue.
    attempt_counts = seed_attempts(
        runs=live,
        staff_queue_leads={teacher.pk} if teacher else set(),
        rng=random.Random(20262),
        own_essays={chen.pk: DEMO_LEARNER_ESSAY} if chen else None,
    )
    # 互评 in progress in the peer-reviewed homework: some reviews done, some open (陈思远 has one to do).
    attempt_counts.update(
        seed_peer_reviews(
            runs=[current[c.pk] for c in courses if c.title in PEER_REVIEWED], learner=chen, rng=random.Random(20263)
        )
    )

    # The kept counts, from the rows just written.
    run_counts: dict[int, int] = {}
    course_counts: dict[int, int] = {}
    for enrolment in enrolments:
        run_counts[enrolment.run.pk] = run_counts.get(enrolment.run.pk, 0) + 1
        course_counts[enrolment.run.course_id] = course_counts.get(enrolment.run.course_id, 0) + 1
    for run in runs:
        run.enrolment_count = run_counts.get(run.pk, 0)
    Run.objects.bulk_update(runs, ["enrolment_count"])
    for course in courses:
        course.enrolment_count = course_counts.get(course.pk, 0)
        mine = [r for r in ratings if r.course_id == course.pk]
        course.rating_count = len(mine)
        course.rating_sum = sum(r.stars for r in mine)
    Course.objects.bulk_update(courses, ["enrolment_count", "rating_count", "rating_sum"])

    announcements = []
    for title in (MENTAL_HEALTH, WINTER_OLYMPICS, COVID, "思想道德与法治", "数据结构"):
        course = by_title[title].course
        run = current[course.pk]
        author = next((lead for c, lead in zip(courses, leads, strict=True) if c.pk == course.pk), None)
        announcements += [
            Announcement(
                run=run,
                title="欢迎选修本课程",
                body=f"同学们好！欢迎选修《{course.title}》。本学期课程按周发布章节，请按时观看视频、阅读讲义，"
                "遇到问题可在讨论区提问，教学团队会及时答复。",
                author=author,
            ),
            Announcement(
                run=run,
                title="第二章已开放",
                body="第二章的视频和讲义已经开放，请大家在两周内完成学习。",
                author=author,
            ),
        ]
    Announcement.objects.bulk_create(announcements)
    return {
        "courses": len(courses),
        "course_blocks": block_total,
        "course_questions": question_total,
        "course_runs": len(runs),
        "course_enrolments": len(enrolments),
        "course_progress": len(progress),
        "course_ratings": len(ratings),
        "course_scores": scores,
        "course_media_files": len(files),
        **attempt_counts,
    }
