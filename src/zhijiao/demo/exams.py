"""Service hall demo data for the exam services, written through the same services officers use.

- policies and notices for several provinces and two years;
- two special-type candidate lists (强基计划, 高水平运动队) in their public-notice period;
- released CET-4, CET-6, Putonghua and teacher-qualification sittings with a few thousand scores imported through
  ``exams.services.scores_import`` (every row checked, ID numbers sealed), and one CET-4 sitting not yet released;
- the demo graduate 13800000013 (陈思远) passed CET-4 with ticket number ``DEMO_TICKET`` under his real name and
  ID number, so the score lookup and the certificate download can be tried at once.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from stdnum.cn import ric

from zhijiao.accounts.models import User
from zhijiao.hall.exams import services
from zhijiao.hall.exams.models import ExamNotice, ExamSitting, ExamType, SpecialList
from zhijiao.orgs.models import Region

from . import vocab

OFFICER_PHONE = "13800000011"
GRADUATE_PHONE = "13800000013"
DEMO_TICKET = "110108261290013"  # 陈思远's CET-4 ticket number in the demo (准考证号)
ROWS = {ExamType.CET4: 1500, ExamType.CET6: 800, ExamType.PUTONGHUA: 500, ExamType.TEACHER: 400}
PROVINCES = ("110000", "310000", "440000", "510000", "330000", "420000")
NOTICE_TITLES = (
    ("policy", "{year}年{province}普通高校招生工作规定"),
    ("policy", "{year}年{province}普通高考考试安排及报名须知"),
    ("admission", "{year}年{province}高校招生录取控制分数线公告"),
    ("notice", "{year}年{province}全国大学英语四、六级考试报名通知"),
)
NATIONAL = (
    ("policy", "{year}年普通高校招生工作规定"),
    ("notice", "{year}年上半年中小学教师资格考试（笔试）公告"),
    ("notice", "{year}年普通话水平测试工作安排"),
)
SCHOOLS = (
    "北京市第四中学",
    "中国人民大学附属中学",
    "上海中学",
    "华南师范大学附属中学",
    "成都七中",
    "杭州二中",
    "华中师大一附中",
)
UNIVERSITIES = ("清华大学", "北京大学", "北京师范大学", "复旦大学", "浙江大学", "武汉大学", "四川大学")
SUBJECTS = ("综合素质", "教育知识与能力", "学科知识与教学能力")


class _People:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        surnames, weights = zip(*vocab.SURNAMES, strict=True)
        self.surnames, self.weights = list(surnames), list(weights)
        self.numbers: set[str] = set()

    def name(self) -> str:
        pool = self.rng.choice((vocab.GIVEN_MALE, vocab.GIVEN_FEMALE))
        given = self.rng.choice(pool) + (self.rng.choice(vocab.GIVEN_EITHER + pool) if self.rng.random() < 0.7 else "")
        return self.rng.choices(self.surnames, self.weights)[0] + given

    def id_number(self, place: str = "110108") -> str:
        while True:
            birth = date(1998, 1, 1) + timedelta(days=self.rng.randrange(8 * 365))
            body = f"{place}{birth:%Y%m%d}{self.rng.randrange(1000):03d}"
            number = body + ric.calc_check_digit(body + "0")
            if number not in self.numbers:
                self.numbers.add(number)
                return number


def _csv(header: list[str], rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def _score_rows(exam_type: str, count: int, people: _People, rng: random.Random, prefix: str) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for n in range(count):
        ticket = f"{prefix}{n + 1:05d}"
        name, number = people.name(), people.id_number()
        if exam_type in (ExamType.CET4, ExamType.CET6):
            total = max(220, min(680, int(rng.gauss(455, 70))))
            listening = min(248, total * rng.randrange(34, 37) // 100)
            reading = min(248, total * 35 // 100)
            reading = min(248, reading + max(0, total - listening - reading - 213))
            rows.append(
                [ticket, name, number, rng.choice(UNIVERSITIES), total, listening, reading, total - listening - reading]
            )
        elif exam_type == ExamType.PUTONGHUA:
            score = round(rng.uniform(62, 99), 1)
            rows.append([ticket, name, number, score])
        else:
            passed = rng.sample(SUBJECTS, rng.randrange(0, 4))
            rows.append([ticket, name, number, "、".join(passed), "是" if len(passed) == 3 else "否"])
    return rows


HEADERS = {
    ExamType.CET4: ["准考证号", "姓名", "身份证号", "学校", "总分", "听力", "阅读", "写作和翻译"],
    ExamType.CET6: ["准考证号", "姓名", "身份证号", "学校", "总分", "听力", "阅读", "写作和翻译"],
    ExamType.PUTONGHUA: ["准考证号", "姓名", "身份证号", "成绩"],
    ExamType.TEACHER: ["准考证号", "姓名", "身份证号", "合格科目", "是否合格"],
}


def seed_exams(*, rng: random.Random) -> dict[str, int]:
    officer = User.objects.filter(phone=OFFICER_PHONE).first()
    if officer is None:
        return {}
    now = timezone.now()
    today = timezone.localdate()
    counts: dict[str, int] = {}
    people = _People(rng)
    names = dict(Region.objects.filter(code__in=PROVINCES).values_list("code", "name"))
    provinces = [code for code in PROVINCES if code in names]

    # Notices: a few per province and year, and nationwide ones; published over the past months.
    notices: list[tuple[str, str, str | None, int]] = []
    for year in (today.year - 1, today.year):
        for province in provinces:
            for kind, title in NOTICE_TITLES:
                notices.append((kind, title.format(year=year, province=names[province]), province, year))
        for kind, title in NATIONAL:
            notices.append((kind, title.format(year=year), None, year))
    made = []
    for index, (kind, title, where, year) in enumerate(notices):
        body = (
            f"{title}\n\n一、适用范围：{names.get(where or '', '全国')}各级教育考试机构及考生。\n"
            "二、报名、考试与成绩发布时间以各省级教育考试院公告为准。\n三、考生可在服务大厅查询成绩并下载电子证书。"
        )
        made.append(
            ExamNotice(
                title=title,
                kind=kind,
                province_id=where,
                year=year,
                body=body,
                status=ExamNotice.Status.PUBLISHED,
                published_at=now - timedelta(days=3 + index * 4),
                author=officer,
            )
        )
    ExamNotice.objects.bulk_create(made)
    counts["hall_notices"] = len(made)

    # Two special-type lists, in their notice period, imported the way officers do.
    lists = 0
    candidates = 0
    for program, title, size in (
        (SpecialList.Program.STRONG_BASE, f"{today.year}年强基计划入围考生名单公示", 40),
        (SpecialList.Program.SPORTS, f"{today.year}年高水平运动队测试合格考生名单公示", 30),
    ):
        rows = [
            [
                people.name(),
                rng.choice("男女"),
                people.id_number(rng.choice(["110108", "310115", "440106"])),
                rng.choice(SCHOOLS),
                names[rng.choice(provinces)] if provinces else "北京市",
                rng.choice(UNIVERSITIES),
                rng.choice(("数学与应用数学", "物理学", "化学", "田径", "篮球", "足球")),
            ]
            for _ in range(size)
        ]
        services.special_list_import(
            actor=officer,
            title=title,
            program=program,
            year=today.year,
            notice_start=now - timedelta(days=2),
            notice_end=now + timedelta(days=12),
            data=_csv(["姓名", "性别", "身份证号", "中学", "省份", "高校", "项目"], rows),
            filename="demo.csv",
        )
        lists += 1
        candidates += size
    counts["hall_special_lists"] = lists
    counts["hall_special_candidates"] = candidates

    # Sittings and scores through the import service.
    june = today.year if today.month >= 8 else today.year - 1
    plan = (
        (ExamType.CET4, f"{june}年6月", date(june, 6, 13), "1101082612"),
        (ExamType.CET6, f"{june}年6月", date(june, 6, 13), "1101082622"),
        (ExamType.PUTONGHUA, f"{june}年5月", date(june, 5, 17), "PTH11010826"),
        (ExamType.TEACHER, f"{june}年上半年", date(june, 3, 8), "TQ1101082601"),
    )
    graduate = User.objects.filter(phone=GRADUATE_PHONE).select_related("identity").first()
    identity = getattr(graduate, "identity", None) if graduate is not None else None
    scores = 0
    for exam_type, session, held_on, prefix in plan:
        sitting = ExamSitting.objects.create(
            exam_type=exam_type,
            session=session,
            held_on=held_on,
            release_at=now - timedelta(days=30),
            created_by=officer,
        )
        rows = _score_rows(exam_type, ROWS[exam_type], people, rng, prefix)
        if exam_type == ExamType.CET4 and identity is not None:
            rows.append([DEMO_TICKET, identity.real_name, identity.id_number, "清华大学", "568", "201", "196", "171"])
        table = [(line, dict(zip(HEADERS[exam_type], map(str, row), strict=True))) for line, row in enumerate(rows, 2)]
        scores += services.scores_import(
            actor=officer, sitting=sitting, rows=[(line, _fields(raw)) for line, raw in table]
        ).created
    pending = ExamSitting.objects.create(
        exam_type=ExamType.CET4,
        session=f"{june}年12月",
        held_on=date(june, 12, 19),
        release_at=now + timedelta(days=60),
        created_by=officer,
    )
    rows = _score_rows(ExamType.CET4, 300, people, rng, "1101082692")
    table = [(line, dict(zip(HEADERS[ExamType.CET4], map(str, row), strict=True))) for line, row in enumerate(rows, 2)]
    scores += services.scores_import(
        actor=officer, sitting=pending, rows=[(line, _fields(raw)) for line, raw in table]
    ).created
    counts["hall_sittings"] = len(plan) + 1
    counts["hall_scores"] = scores
    return counts


def _fields(raw: dict[str, str]) -> dict[str, str]:
    """Chinese column names → the import's field names (what reading a file does)."""
    from zhijiao.hall.exams.imports import SCORE_HEADERS

    return {SCORE_HEADERS.get(key, key): value for key, value in raw.items()}
