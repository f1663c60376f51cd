"""Service hall demo data for the exam services, written through the same services officers use.

- policies and notices for several provinces and two years, each with its attachments (a PDF, and an Excel
  table where a notice lists places or figures) added through ``exams.services.attachment_add``;
- two special-type candidate lists in their public-notice period: 强基计划 with the basic-discipline majors it
  admits to, 高水平运动队 with sports;
- released CET-4, CET-6, Putonghua and teacher-qualification sittings with a few thousand scores imported through
  ``exams.services.scores_import`` (every row checked, ID numbers sealed), and one CET-4 sitting not yet released;
- the demo graduate 13800000013 (陈思远) passed CET-4 in June of his first year at 清华大学 (``people.py``) with the
  ticket number ``demo_ticket(today)`` under his real name and ID number, so the score lookup and the certificate
  download can be tried at once.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from stdnum.cn import ric

from zhijiao.accounts.models import User
from zhijiao.hall.exams import services
from zhijiao.hall.exams.models import ExamNotice, ExamSitting, ExamType, SpecialList
from zhijiao.orgs.models import Region

from . import vocab
from .documents import text_pdf
from .people import chen_siyuan, demo_ticket

OFFICER_PHONE = "13800000011"
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
# 强基计划 admits to basic disciplines only (教育部《关于在部分高校开展基础学科招生改革试点工作的意见》, 2020).
STRONG_BASE_MAJORS = (
    "数学与应用数学",
    "信息与计算科学",
    "物理学",
    "化学",
    "生物科学",
    "历史学",
    "哲学",
    "汉语言文学",
    "古文字学",
    "基础医学",
    "核工程与核技术",
    "工程力学",
)
SPORTS = ("田径", "篮球", "足球", "排球", "游泳", "乒乓球", "羽毛球", "网球", "武术", "击剑")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEST_CENTRES = (
    ("清华大学", "北京市海淀区双清路30号"),
    ("北京大学", "北京市海淀区颐和园路5号"),
    ("北京师范大学", "北京市海淀区新街口外大街19号"),
    ("复旦大学", "上海市杨浦区邯郸路220号"),
    ("浙江大学", "浙江省杭州市西湖区余杭塘路866号"),
    ("武汉大学", "湖北省武汉市武昌区八一路299号"),
    ("四川大学", "四川省成都市一环路南一段24号"),
    ("中山大学", "广东省广州市新港西路135号"),
    ("华南师范大学", "广东省广州市中山大道西55号"),
)


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
    counts["hall_notice_attachments"] = _attachments(officer, made, rng)

    # Two special-type lists, in their notice period, imported the way officers do.
    lists = 0
    candidates = 0
    for program, title, size, majors in (
        (SpecialList.Program.STRONG_BASE, f"{today.year}年强基计划入围考生名单公示", 40, STRONG_BASE_MAJORS),
        (SpecialList.Program.SPORTS, f"{today.year}年高水平运动队测试合格考生名单公示", 30, SPORTS),
    ):
        rows = [
            [
                people.name(),
                rng.choice("男女"),
                people.id_number(rng.choice(["110108", "310115", "440106"])),
                rng.choice(SCHOOLS),
                names[rng.choice(provinces)] if provinces else "北京市",
                rng.choice(UNIVERSITIES),
                rng.choice(majors),
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
    # The latest June sitting whose results are out (CET results come in late August).
    june = today.year if today.month >= 9 else today.year - 1
    plan = (
        (ExamType.CET4, f"{june}年6月", date(june, 6, 13), "1101082612"),
        (ExamType.CET6, f"{june}年6月", date(june, 6, 13), "1101082622"),
        (ExamType.PUTONGHUA, f"{june}年5月", date(june, 5, 17), "PTH11010826"),
        (ExamType.TEACHER, f"{june}年上半年", date(june, 3, 8), "TQ1101082601"),
    )
    persona = chen_siyuan(today)
    graduate = User.objects.filter(phone=persona.phone).select_related("identity").first()
    identity = getattr(graduate, "identity", None) if graduate is not None else None
    scores = 0
    for exam_type, session, held_on, prefix in plan:
        sitting = ExamSitting.objects.create(
            exam_type=exam_type,
            session=session,
            held_on=held_on,
            release_at=timezone.make_aware(datetime.combine(held_on + timedelta(days=70), time(9))),
            created_by=officer,
        )
        rows = _score_rows(exam_type, ROWS[exam_type], people, rng, prefix)
        table = [(line, dict(zip(HEADERS[exam_type], map(str, row), strict=True))) for line, row in enumerate(rows, 2)]
        scores += services.scores_import(
            actor=officer, sitting=sitting, rows=[(line, _fields(raw)) for line, raw in table]
        ).created
    # A Putonghua test held ten days ago (held every month): scores imported, released in three weeks.
    held = today - timedelta(days=10)
    pending = ExamSitting.objects.create(
        exam_type=ExamType.PUTONGHUA,
        session=f"{held.year}年{held.month}月",
        held_on=held,
        release_at=now + timedelta(days=21),
        created_by=officer,
    )
    rows = _score_rows(ExamType.PUTONGHUA, 300, people, rng, f"PTH110108{held:%y%m}")
    table = [
        (line, dict(zip(HEADERS[ExamType.PUTONGHUA], map(str, row), strict=True))) for line, row in enumerate(rows, 2)
    ]
    scores += services.scores_import(
        actor=officer, sitting=pending, rows=[(line, _fields(raw)) for line, raw in table]
    ).created
    sittings = len(plan) + 1
    if identity is not None:
        # 陈思远's own sitting: June of his first year at university, with some of his classmates.
        sitting = ExamSitting.objects.create(
            exam_type=ExamType.CET4,
            session=f"{persona.cet4_year}年6月",
            held_on=date(persona.cet4_year, 6, 14),
            release_at=timezone.make_aware(datetime(persona.cet4_year, 8, 20, 9)),
            created_by=officer,
        )
        yy = f"{persona.cet4_year % 100:02d}"
        rows = _score_rows(ExamType.CET4, 200, people, rng, f"110108{yy}12")
        rows.append(
            [demo_ticket(today), identity.real_name, identity.id_number, persona.university, "568", "201", "196", "171"]
        )
        table = [
            (line, dict(zip(HEADERS[ExamType.CET4], map(str, row), strict=True))) for line, row in enumerate(rows, 2)
        ]
        scores += services.scores_import(
            actor=officer, sitting=sitting, rows=[(line, _fields(raw)) for line, raw in table]
        ).created
        sittings += 1
    counts["hall_sittings"] = sittings
    counts["hall_scores"] = scores
    return counts


def _fields(raw: dict[str, str]) -> dict[str, str]:
    """Chinese column names → the import's field names (what reading a file does)."""
    from zhijiao.hall.exams.imports import SCORE_HEADERS

    return {SCORE_HEADERS.get(key, key): value for key, value in raw.items()}


def _xlsx(title: str, header: list[str], rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "附件"
    sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _attachments(officer: User, notices: list[ExamNotice], rng: random.Random) -> int:
    """Every notice gets its full text as PDF; notices that list places or figures an Excel table too."""
    made = 0
    for notice in notices:
        region = notice.province.name if notice.province is not None else "全国"
        lines = [line for line in notice.body.split("\n") if line.strip()][1:]
        files = [
            (
                f"附件1：{notice.title}.pdf",
                text_pdf(notice.title, [*lines, "", f"发布单位：{region}教育考试机构（演示数据）"]),
                "application/pdf",
            )
        ]
        if "分数线" in notice.title:
            rows = [
                [batch, kind, rng.randrange(420, 560)]
                for batch in ("本科批", "特殊类型招生控制线")
                for kind in ("物理类", "历史类")
            ]
            files.append(("附件2：录取控制分数线.xlsx", _xlsx(notice.title, ["批次", "科类", "分数线"], rows), XLSX))
        elif "报名" in notice.title or "考试" in notice.title or "测试" in notice.title:
            centres = [c for c in TEST_CENTRES if c[1].startswith(region)] or list(TEST_CENTRES)
            rows = [[name, address, f"{rng.randrange(10000000, 99999999)}"] for name, address in centres]
            files.append(
                ("附件2：考点名单及咨询电话.xlsx", _xlsx(notice.title, ["考点", "地址", "咨询电话"], rows), XLSX)
            )
        for name, data, mime in files:
            upload = SimpleUploadedFile(name, data, content_type=mime)
            services.attachment_add(actor=officer, notice=notice, upload=upload)
            made += 1
    return made
