"""The demo case library: 320 accepted cases over 20 professional-degree categories, every type, made through the
same intake service as an accepted submission (``cases.intake.accept_case_submission``).

Each text case gets its own small PDF (three pages in reportlab's built-in CID font: a millisecond or two each) and
a one-page teaching note; video and short-video cases share two generated MP4s (a few seconds each, encoded once), so
the load stays quick. Most demo universities are library members; 深圳大学 and 南方科技大学 are not, so their
students see abstracts only.
"""

from __future__ import annotations

import io
import random
import tempfile
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

from django.utils import timezone
from reportlab.lib.pagesizes import A4

from zhijiao.accounts.models import User
from zhijiao.cases import services as case_services
from zhijiao.cases.intake import accept_case_submission
from zhijiao.cases.models import Case, CaseType
from zhijiao.orgs.models import Membership, Organization, Role

NON_MEMBERS = ("深圳大学", "南方科技大学")
CASES_PER_CATEGORY = 16

# category code → (fields, subjects of titles, applicable courses, knowledge points)
CATALOGUE: dict[str, tuple[list[str], list[str], list[str], list[str]]] = {
    "0251": (
        ["商业银行", "证券投资", "金融科技"],
        ["某城商行小微贷款风控转型", "科创板企业上市定价", "数字人民币试点推广", "绿色债券发行实践"],
        ["金融风险管理", "投资学"],
        ["信用风险", "资产定价"],
    ),
    "0252": (
        ["市场调查", "生物统计"],
        ["电商平台用户流失预测", "区域居民消费抽样调查", "临床试验样本量设计"],
        ["抽样调查", "统计建模"],
        ["回归分析", "抽样设计"],
    ),
    "0351": (
        ["民商法", "刑事诉讼"],
        ["网络平台格式条款纠纷", "认罪认罚从宽案件办理", "个人信息保护公益诉讼"],
        ["民法专题", "刑事诉讼法"],
        ["合同效力", "证据规则"],
    ),
    "0352": (
        ["社区服务", "儿童保护"],
        ["老旧小区适老化改造中的社工介入", "留守儿童成长陪伴计划", "社区矫正对象帮扶"],
        ["社会工作实务", "社区工作"],
        ["个案管理", "优势视角"],
    ),
    "0451": (
        ["学科教学（数学）", "教育管理"],
        ["初中数学单元整体教学设计", "县域高中集团化办学", "“双减”后课后服务体系建设"],
        ["课程与教学论", "教育管理学"],
        ["教学设计", "学校治理"],
    ),
    "0452": (
        ["体育教学", "运动训练"],
        ["校园足球特色学校建设", "青少年体能训练周期安排"],
        ["体育教学论", "运动训练学"],
        ["周期训练", "体育课程"],
    ),
    "0453": (
        ["国际中文教学"],
        ["海外孔子课堂线上线下融合教学", "来华留学生汉字教学"],
        ["汉语作为第二语言教学", "跨文化交际"],
        ["汉字教学", "课堂管理"],
    ),
    "0551": (
        ["笔译", "口译"],
        ["进博会同声传译组织", "科技文献机器翻译译后编辑"],
        ["翻译实务", "口译理论与实践"],
        ["译后编辑", "术语管理"],
    ),
    "0552": (
        ["融合新闻", "舆情管理"],
        ["县级融媒体中心改革", "突发公共事件信息发布"],
        ["新闻采访与写作", "新媒体运营"],
        ["议程设置", "融媒体生产"],
    ),
    "0854": (
        ["人工智能", "集成电路"],
        ["工业视觉缺陷检测系统研发", "国产芯片验证平台建设", "智慧港口 5G 专网部署"],
        ["机器学习", "嵌入式系统"],
        ["卷积神经网络", "系统集成"],
    ),
    "0855": (
        ["智能制造", "机械设计"],
        ["汽车焊装线数字孪生改造", "风电齿轮箱故障诊断"],
        ["先进制造技术", "机械故障诊断"],
        ["数字孪生", "振动分析"],
    ),
    "1051": (
        ["内科学", "全科医学"],
        ["社区高血压患者规范化管理", "急性胸痛中心建设与流程优化"],
        ["临床思维", "内科学"],
        ["诊疗路径", "循证医学"],
    ),
    "1053": (
        ["流行病学", "卫生管理"],
        ["突发传染病现场流行病学调查", "慢病综合防控示范区建设"],
        ["现场流行病学", "卫生政策"],
        ["暴发调查", "健康促进"],
    ),
    "1054": (
        ["临床护理"],
        ["ICU 患者谵妄的护理干预", "延续性护理服务模式探索"],
        ["高级护理实践", "护理管理"],
        ["护理评估", "延续护理"],
    ),
    "1251": (
        ["战略管理", "市场营销", "人力资源"],
        ["老字号品牌年轻化", "制造企业数字化转型", "新能源车企出海战略", "家族企业传承"],
        ["战略管理", "市场营销"],
        ["竞争优势", "组织变革"],
    ),
    "1252": (
        ["政府治理", "应急管理"],
        ["“一网通办”政务服务改革", "城市内涝应急联动机制", "乡村振兴中的驻村第一书记"],
        ["公共政策分析", "公共管理学"],
        ["政策执行", "协同治理"],
    ),
    "1253": (
        ["财务会计", "管理会计"],
        ["上市公司收入确认的审计争议", "业财融合下的全面预算管理"],
        ["财务会计理论与实务", "管理会计"],
        ["收入确认", "预算管理"],
    ),
    "1254": (
        ["文旅融合"],
        ["古镇旅游的社区参与", "研学旅行产品设计"],
        ["旅游目的地管理", "旅游规划"],
        ["目的地营销", "社区参与"],
    ),
    "1256": (
        ["项目管理"],
        ["大型场馆建设项目进度管理", "EPC 总承包合同风险控制"],
        ["工程项目管理", "工程合同管理"],
        ["关键路径", "风险分担"],
    ),
    "1357": (
        ["视觉传达", "产品设计"],
        ["非遗纹样的文创产品转化", "城市导视系统设计"],
        ["设计管理", "设计方法论"],
        ["用户研究", "品牌视觉"],
    ),
}
TYPES = [CaseType.TEXT] * 8 + [CaseType.VIDEO] * 3 + [CaseType.MICRO] * 3 + [CaseType.SHORT_VIDEO] * 2
SUFFIX = {CaseType.TEXT: "", CaseType.VIDEO: "（视频）", CaseType.MICRO: "", CaseType.SHORT_VIDEO: "：一分钟看懂"}


def case_pdf(title: str, paragraphs: list[str], *, pages: int = 3, heading: str = "案例正文") -> bytes:
    """A case text of ``pages`` pages in reportlab's built-in CID font (nothing embedded: small and quick)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    canvas.setTitle(title)
    for number in range(1, pages + 1):
        canvas.setFont("STSong-Light", 15)
        canvas.drawCentredString(A4[0] / 2, A4[1] - 72, title[:36])
        canvas.setFont("STSong-Light", 11)
        canvas.drawString(60, A4[1] - 100, f"{heading} · 第 {number} 页")
        y = A4[1] - 130
        for paragraph in paragraphs:
            for start in range(0, len(paragraph), 40):
                canvas.drawString(60, y, paragraph[start : start + 40])
                y -= 18
            y -= 8
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _videos() -> dict[str, bytes]:
    from .k12 import encode_mp4

    made = {}
    with tempfile.TemporaryDirectory(prefix="zhijiao-cases-") as folder:
        for key, (title, subtitle, width, height) in {
            "video": ("视频案例", "专业学位案例库", 480, 270),
            "short_video": ("短视频案例", "一分钟看懂", 270, 480),  # portrait, as phones record them
        }.items():
            path = Path(folder) / f"{key}.mp4"
            encode_mp4(str(path), title=title, subtitle=subtitle, seconds=4, width=width, height=height)
            made[key] = path.read_bytes()
    return made


def _attachment(role: str, data: bytes, name: str) -> SimpleNamespace:
    return SimpleNamespace(role=role, file=case_services.as_file(data, name), original_name=name)


def seed_cases(*, rng: random.Random) -> dict[str, int]:
    """The demo library: members, then 320 cases accepted through the intake service."""
    universities = list(Organization.objects.filter(kind=Organization.Kind.UNIVERSITY).order_by("id"))
    if not universities:
        return {}
    for university in universities:
        if university.name not in NON_MEMBERS:
            case_services.library_member_add(organization=university)
    faculty: dict[int, list[User]] = {}
    for membership in Membership.objects.filter(
        organization__in=universities, role=Role.UNIVERSITY_FACULTY
    ).select_related("user"):
        faculty.setdefault(membership.organization_id, []).append(membership.user)
    videos = _videos()
    now = timezone.now()
    total = len(CATALOGUE) * CASES_PER_CATEGORY
    # Acceptance dates over two years, handed out in a shuffled order so the newest cases mix categories; the
    # 入库编号's serial follows the date, as a library numbers what it accepts.
    moments = sorted(now - timedelta(days=rng.randrange(730), minutes=rng.randrange(1440)) for _ in range(total))
    order = list(range(total))
    rng.shuffle(order)
    made = 0
    for index, (code, (fields, subjects, courses, points)) in enumerate(CATALOGUE.items()):
        for n in range(CASES_PER_CATEGORY):
            case_type = TYPES[(n + index) % len(TYPES)]
            subject = subjects[n % len(subjects)]
            field = fields[n % len(fields)]
            university = universities[(index * 3 + n) % len(universities)]
            people = faculty.get(university.pk) or []
            author_users = rng.sample(people, k=min(len(people), rng.choice((1, 2, 3))))
            title = f"{subject}{SUFFIX[case_type]}"
            if n >= len(subjects):
                title = f"{title}——{field}视角（{n // len(subjects) + 1}）"
            abstract = (
                f"本案例以{university.name}团队在{field}领域的调研为基础，描述了“{subject}”的背景、关键决策与实施过程，"
                f"引导学生运用{courses[0]}中的{points[0]}等知识分析问题、比较方案，讨论可推广的经验与局限。"
            )
            paragraphs = [
                f"【案例背景】{abstract}",
                f"【关键问题】在{field}实践中，决策者面临资源约束与多方利益协调，需要在有限时间内作出选择。",
                f"【思考题】1. 结合{points[-1]}，你如何评价案例中的方案？2. 如果你是负责人，会如何改进？",
            ]
            attachments = []
            body = ""
            if case_type == CaseType.TEXT:
                attachments.append(_attachment("full_text", case_pdf(title, paragraphs), "案例正文.pdf"))
                attachments.append(
                    _attachment(
                        "teaching_note",
                        case_pdf(title, paragraphs[2:], pages=1, heading="教学指导手册"),
                        "教学指导手册.pdf",
                    )
                )
            elif case_type == CaseType.MICRO:
                body = "\n\n".join(paragraphs)
            else:
                attachments.append(_attachment("video", videos[str(case_type)], "案例视频.mp4"))
            accepted = moments[order[made]]
            submission = SimpleNamespace(
                title=title,
                abstract=abstract,
                metadata={
                    "category": code,
                    "case_type": str(case_type),
                    "field": field,
                    "keywords": [field, *points],
                    "applicable_courses": courses,
                    "knowledge_points": points,
                    "year": accepted.year - made % 2,  # written the year it was accepted, or the one before
                    "body": body,
                },
                applicant=author_users[0] if author_users else None,
                organization=university,
                authors=[SimpleNamespace(name=user.display_name, organization=university) for user in author_users]
                or [SimpleNamespace(name="案例编写组", organization=university)],
                attachments=attachments,
                accepted_at=accepted,
            )
            accept_case_submission(submission=submission, accession_no=f"{accepted.year}{code}{order[made] + 1:04d}")
            made += 1
    _usage(rng)
    return {"cases": made}


def _usage(rng: random.Random) -> None:
    """Downloads and adoptions over the last 60 days, so hot cases and usage charts have something to show."""
    from zhijiao.cases.models import CaseUsageDay

    today = timezone.localdate()
    rows = []
    totals: dict[int, tuple[int, int]] = {}
    for case_id in Case.objects.values_list("id", flat=True):
        weight = rng.random() ** 3
        for offset in range(60):
            downloads = int(rng.random() * 6 * weight)
            adoptions = 1 if rng.random() < weight * 0.08 else 0
            if downloads or adoptions:
                rows.append(
                    CaseUsageDay(
                        case_id=case_id,
                        day=today - timedelta(days=offset + 1),
                        downloads=downloads,
                        adoptions=adoptions,
                    )
                )
                d, a = totals.get(case_id, (0, 0))
                totals[case_id] = (d + downloads, a + adoptions)
    CaseUsageDay.objects.bulk_create(rows)
    cases = Case.objects.in_bulk(list(totals))
    for case_id, (d, a) in totals.items():
        cases[case_id].download_count, cases[case_id].adoption_count = d, a
    Case.objects.bulk_update(list(cases.values()), ["download_count", "adoption_count"])


def seed_case_views(*, rng: random.Random, end: date, days: int = 60) -> dict[str, int]:
    """Page views of the cases over the last ``days`` days, in analytics' daily rollups (after the demo's page-view
    history, which rewrites those tables): popular cases far more than others, as downloads already are."""
    from zhijiao.analytics.models import DailyObjectStat

    rows = []
    for case_id, downloads in Case.objects.order_by("id").values_list("id", "download_count"):
        level = 2 + downloads / 4 + rng.random() * 6
        for offset in range(days):
            pv = int(level * (0.4 + rng.random()))
            if pv:
                day = end - timedelta(days=offset)
                rows.append(
                    DailyObjectStat(day=day, object_type="cases.case", object_id=case_id, platform="higher", pv=pv)
                )
    DailyObjectStat.objects.bulk_create(rows, batch_size=5000)
    return {"case_view_rows": len(rows)}
