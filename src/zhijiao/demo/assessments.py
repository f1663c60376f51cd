"""The demo's assessments: every course gets a unit quiz (测验) at the end of each chapter, a homework (作业) with a
short answer, an essay and a file question (文件题: a report to upload) in its first chapter (where peers review the
essay, it is alone in a second homework), and a final exam (考试) at its end, all drawn from its question bank; the
learners of the runs on now have graded attempts for the blocks they reached, so gradebooks and progress pages are
full, and each homework they handed in holds their report, a real one-page PDF made at load time under their name;
in the courses 杨帆 (13800000007) leads, the homework short answers, essays and reports wait in the teaching queue
(批阅); in the peer-reviewed homework of the courses in ``PEER_REVIEWED`` 互评 is in progress (done through the
review services).

Blocks are added to the draft before the first publish (so the published outline holds them); attempts, items,
scores and graded items are bulk inserts, and each run is regraded once at the end."""

from __future__ import annotations

import io
import random
import uuid
import zipfile
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db.models import Max
from django.utils import timezone
from django.utils.html import strip_tags

from zhijiao.accounts.models import User
from zhijiao.assessment.models import (
    Attempt,
    AttemptFile,
    AttemptItem,
    AttemptStatus,
    ItemStatus,
    Question,
    QuestionVersion,
    SubmittedBy,
    attempt_file_path,
)
from zhijiao.core.uploads import PDF, TXT, ZIP, Format, private_storage
from zhijiao.courses import services as course_services
from zhijiao.courses.models import Block, BlockProgress, Course, GradedItem, Node, NodeKind, Run, Score

from .documents import text_pdf

OBJECTIVE = ("single", "multiple", "truefalse", "fill")
KINDS = ("quiz", "homework", "exam")
CENT = Decimal("0.01")
# The courses whose current run has a peer-reviewed essay homework in progress (互评进行中).
PEER_REVIEWED = ("生物制药工艺学",)
PEER_REVIEWERS = 3
# Learners' essays for the peer-reviewed homework (the life sciences bank's essay on genetic engineering).
PEER_ESSAYS = (
    "以重组人胰岛素为例。基因工程制药的基本流程是：获取人胰岛素基因（人工合成A、B链或前胰岛素原的cDNA），"
    "构建表达载体并转入大肠杆菌或酵母，经筛选得到高表达的工程菌，发酵培养后分离纯化、复性和酶切，得到有活性的"
    "胰岛素。生物安全方面，工程菌须在封闭的发酵系统中培养，废液灭活后排放，防止重组菌扩散。伦理上，重组胰岛素"
    "取代了动物胰岛素，减少了免疫反应，也让更多患者用得起药，但专利与药价问题同样值得关注。",
    "乙肝疫苗是基因工程制药的经典实例。先克隆乙肝病毒表面抗原（HBsAg）基因，插入酵母表达载体，转化酿酒酵母，"
    "在发酵罐中表达出抗原颗粒，再经破碎、纯化、吸附佐剂制成疫苗。与血源疫苗相比，它不含病毒核酸，从源头上消除了"
    "感染风险，这是生物安全上的巨大进步。伦理方面，疫苗的临床试验必须知情同意，还要兼顾公平分配，让偏远地区的"
    "新生儿也能按时接种。",
    "基因工程制药的流程可以概括为“切、接、转、筛、表达、纯化”：用限制酶切取目的基因，用连接酶接入质粒，转化宿主"
    "细胞，用抗性标记筛选阳性克隆，优化条件高效表达，最后纯化得到药物。我以胰岛素为例说明了每一步。安全与伦理部分"
    "我认为主要是实验室生物安全等级的管理和转基因生物的环境释放问题，这部分我写得比较简略。",
    "重组人促红细胞生成素（EPO）需要糖基化，因此用CHO细胞表达而不是大肠杆菌：构建含EPO基因和筛选标记的载体，"
    "转染CHO细胞，经加压筛选获得高产细胞株，建立细胞库后在生物反应器中灌流培养，再经层析纯化。生物安全上要防止"
    "细胞库被病毒和支原体污染，每批都要做外源因子检测。伦理上，EPO曾被滥用为兴奋剂，说明新药上市后同样需要监管。",
    "我选择新冠mRNA疫苗作为例子。虽然它不是传统的“工程菌表达”，但同样依赖基因工程：设计编码刺突蛋白的序列，"
    "体外转录合成mRNA，用脂质纳米颗粒包裹。生产快、易于改造是它的优势。生物安全方面，mRNA不进入细胞核，"
    "不会整合到人体基因组。伦理方面，紧急使用授权下如何保证充分的知情同意、如何公平分配全球疫苗，都是值得讨论的问题。",
    "以干扰素为例：从人白细胞中提取的干扰素产量极低、价格昂贵，基因工程把干扰素基因导入大肠杆菌后，一吨发酵液"
    "就能得到大量产品。流程包括目的基因获取、载体构建、转化、筛选、发酵和纯化。安全上要关注内毒素残留，"
    "伦理上要考虑临床试验受试者的权益保护。整体来看，基因工程让许多稀缺药物变得可及。",
)


def _pick(question: Question) -> dict[str, Any]:
    assert question.current_version is not None
    return {"question": str(question.identifier), "version": question.current_version.number, "points": None}


def add_assessment_blocks(courses: list[Course]) -> int:
    """Quizzes, a homework and a final exam in every course's draft (its bank must exist); the blocks written."""
    units_by_course: dict[int, list[Node]] = defaultdict(list)
    for unit in (
        Node.objects.filter(course__in=courses, kind=NodeKind.UNIT)
        .select_related("parent")
        .order_by("course_id", "parent__parent__position", "parent__position", "position")
    ):
        units_by_course[unit.course_id].append(unit)
    questions: dict[int, list[Question]] = defaultdict(list)
    for question in Question.objects.filter(course__in=courses).select_related("current_version").order_by("id"):
        questions[question.course_id].append(question)
    last_position = dict(
        Block.objects.filter(course__in=courses)
        .values_list("unit_id")
        .annotate(n=Max("position"))
        .values_list("unit_id", "n")
    )
    blocks: list[Block] = []
    for course in courses:
        units = units_by_course.get(course.pk, [])
        bank = questions.get(course.pk, [])
        objective = [q for q in bank if q.type in OBJECTIVE]
        manual = [q for q in bank if q.type in ("short", "essay")]
        if not units or len(objective) < 4:
            continue
        chapter_last: dict[int, Node] = {}
        for unit in units:
            chapter_last[(unit.parent.parent_id if unit.parent else None) or unit.pk] = unit
        chapters = list(chapter_last.values())

        def add(unit: Node, kind: str, title: str, data: dict[str, Any]) -> None:
            position = last_position.get(unit.pk, -1) + 1
            last_position[unit.pk] = position
            blocks.append(
                Block(course_id=unit.course_id, unit=unit, type=kind, title=title, data=data, position=position)
            )

        for number, unit in enumerate(chapters):
            chosen = [objective[(number * 3 + i) % len(objective)] for i in range(3)]
            add(
                unit,
                "quiz",
                f"第{number + 1}章 单元测验",
                _rules("quiz", picks=[_pick(q) for q in chosen], attempts_allowed=2, shuffle_options=True),
            )
        shorts = [q for q in manual if q.type == "short"]
        essays = [q for q in manual if q.type == "essay"]
        peer_reviewed = course.title in PEER_REVIEWED and bool(essays)
        # The essay is in the first homework, or, where peers review it, alone in a second one.
        files = [q for q in bank if q.type == "file"]
        homework = [objective[0], *shorts[:1], *([] if peer_reviewed else essays[:1]), *files[:1]]
        add(
            chapters[0],
            "homework",
            "第一次作业",
            _rules(
                "homework", picks=[_pick(q) for q in homework], closes_after_days=60, late_days=3, late_penalty="10"
            ),
        )
        if peer_reviewed:
            add(
                chapters[0],
                "homework",
                "第二次作业：小论文（互评）",
                _rules(
                    "homework",
                    picks=[_pick(essays[0])],
                    closes_after_days=60,
                    peer_review={"reviewers": PEER_REVIEWERS, "review_days": 7},
                    instructions="提交后请按评分标准评阅三位同学的小论文，完成互评后即可查看自己的得分。",
                ),
            )
        exam = objective[:8]
        add(
            chapters[-1],
            "exam",
            "期末考试",
            _rules(
                "exam",
                picks=[_pick(q) for q in exam],
                time_limit_minutes=90,
                shuffle_questions=True,
                shuffle_options=True,
                show_answers="after_close",
            ),
        )
    Block.objects.bulk_create(blocks, batch_size=1000)
    Course.objects.filter(pk__in=[c.pk for c in courses]).update(revision=1)
    return len(blocks)


def _rules(kind: str, **rules: Any) -> dict[str, Any]:
    from zhijiao.assessment.rules import parse_rules

    return parse_rules(rules, kind=kind).as_json()


def _response(version: QuestionVersion, right: bool, rng: random.Random) -> Any:
    data = version.data
    if version.type == "single":
        return data["answer"] if right else (data["answer"] + 1) % len(data["options"])
    if version.type == "multiple":
        return list(data["answer"]) if right else list(data["answer"][:1])
    if version.type == "truefalse":
        return data["answer"] if right else not data["answer"]
    if version.type == "fill":
        return [blank[0] for blank in data["blanks"]] if right else ["" for _blank in data["blanks"]]
    if version.type == "short" and data.get("reference"):
        # A learner who knows it writes the reference in their own order; one who half knows it, its first part.
        reference = str(data["reference"])
        if right:
            return f"我的理解是：{reference}"
        return f"{reference.split('；')[0].rstrip('。')}。其他方面我还没有完全理解。"
    return rng.choice(
        [
            "本题我从概念、原理和应用三个方面作答：首先说明基本概念，其次分析其原理，最后结合实例说明应用。",
            "结合课程所学，我认为关键在于理解核心思想，并能在实际问题中灵活运用。",
        ]
    )


def seed_attempts(
    *,
    runs: list[Run],
    staff_queue_leads: set[int],
    rng: random.Random,
    own_essays: dict[int, str] | None = None,
) -> dict[str, int]:
    """Graded attempts of the runs' learners at the assessments their progress reached (homework essays of the
    courses led by ``staff_queue_leads`` wait for the teaching team, peer-reviewed essays wait for peers, the learners
    in ``own_essays`` with their own text); scores, graded items and a regrade per run."""
    if not runs:
        return {}
    by_run = {run.pk: run for run in runs}
    blocks: dict[tuple[int, str], dict[str, Any]] = {}
    course_runs: dict[int, list[Run]] = defaultdict(list)
    for run in runs:
        course_runs[run.course_id].append(run)
    for row in Block.objects.filter(course_id__in=list(course_runs), type__in=KINDS).values(
        "course_id", "content_id", "type", "title", "data"
    ):
        blocks[(row["course_id"], str(row["content_id"]))] = dict(row)
    version_keys = {
        (pick["question"], pick["version"]) for block in blocks.values() for pick in block["data"].get("picks", [])
    }
    versions: dict[tuple[str, int], QuestionVersion] = {}
    for version in QuestionVersion.objects.filter(
        question__identifier__in={key[0] for key in version_keys}
    ).select_related("question"):
        versions[(str(version.question.identifier), version.number)] = version
    reached = BlockProgress.objects.filter(
        run__in=runs,
        content_id__in=[uuid.UUID(key[1]) for key in blocks],
        completed_at__isnull=False,
    ).values_list("run_id", "user_id", "content_id", "completed_at")
    attempts: list[Attempt] = []
    planned: list[list[AttemptItem]] = []
    for run_id, user_id, content_id, completed_at in reached.order_by("run_id", "user_id", "content_id"):
        run = by_run[run_id]
        found = blocks.get((run.course_id, str(content_id)))
        if found is None or completed_at is None:
            continue
        block = found
        kind = block["type"]
        ability = 0.55 + rng.random() * 0.4
        staff_queue = kind == "homework" and run.course.created_by_id in staff_queue_leads
        peer = bool(block["data"].get("peer_review"))
        items: list[AttemptItem] = []
        for position, pick in enumerate(block["data"].get("picks", []), start=1):
            pinned = versions.get((pick["question"], pick["version"]))
            if pinned is None:
                continue
            version = pinned
            right = rng.random() < ability
            response = _response(version, right, rng)
            if peer and version.type == "essay":
                response = (own_essays or {}).get(user_id) or PEER_ESSAYS[user_id % len(PEER_ESSAYS)]
            if version.type == "file":
                response = None  # the uploaded report's id, once it is stored (``_answer_files``)
            item = AttemptItem(
                position=position, version=version, points=version.points, option_order=[], response=response
            )
            if version.type in OBJECTIVE:
                item.status, item.earned, item.graded_at = (
                    ItemStatus.GRADED,
                    version.points if right else Decimal("0.00"),
                    completed_at,
                )
                if version.type == "multiple" and not right:
                    item.earned = (version.points / len(version.data["answer"])).quantize(CENT)
            elif peer:
                item.status = ItemStatus.PEER
            elif staff_queue:
                item.status = ItemStatus.STAFF
            else:
                item.status, item.graded_at = ItemStatus.GRADED, completed_at
                item.earned = (version.points * Decimal(str(round(ability, 2)))).quantize(CENT)
            if version.type in ("single", "multiple"):
                item.option_order = list(range(len(version.data["options"])))
            items.append(item)
        if not items:
            continue
        pending = sum(1 for item in items if item.status in (ItemStatus.STAFF, ItemStatus.PEER))
        started = completed_at - timedelta(minutes=25)
        attempts.append(
            Attempt(
                run=run,
                user_id=user_id,
                content_id=content_id,
                kind=kind,
                title=block["title"],
                number=1,
                status=AttemptStatus.SUBMITTED if pending else AttemptStatus.GRADED,
                rules=block["data"],
                started_at=started,
                deadline_at=started + timedelta(minutes=90) if kind == "exam" else None,
                submitted_at=completed_at,
                submitted_by=SubmittedBy.LEARNER,
                earned=None if pending else sum((i.earned or Decimal("0")) for i in items),
                possible=sum(i.points for i in items),
                pending=pending,
                graded_at=None if pending else completed_at,
            )
        )
        planned.append(items)
    Attempt.objects.bulk_create(attempts, batch_size=1000)
    reports = _answer_files(attempts, planned, rng)
    rows: list[AttemptItem] = []
    for attempt, items in zip(attempts, planned, strict=True):
        for item in items:
            item.attempt = attempt
            rows.append(item)
    AttemptItem.objects.bulk_create(rows, batch_size=2000)
    # The run's grades: one graded item per assessment, one score per graded attempt, then a regrade per run.
    graded_items = [
        GradedItem(
            run=run,
            content_id=uuid.UUID(content_id),
            category=block["data"].get("category") or block["type"],
            title=block["title"],
            possible=sum(
                versions[(p["question"], p["version"])].points
                for p in block["data"].get("picks", [])
                if (p["question"], p["version"]) in versions
            ),
        )
        for run in runs
        for (course_id, content_id), block in blocks.items()
        if course_id == run.course_id
    ]
    GradedItem.objects.bulk_create(graded_items, batch_size=2000, ignore_conflicts=True)
    scores = [
        Score(
            run=attempt.run,
            user_id=attempt.user_id,
            content_id=attempt.content_id,
            category=attempt.rules.get("category") or attempt.kind,
            earned=attempt.earned,
            possible=attempt.possible,
            source=f"assessment.{attempt.kind}",
            source_earned=attempt.earned,
            graded_at=attempt.graded_at or attempt.started_at,
        )
        for attempt in attempts
        if attempt.status == AttemptStatus.GRADED and attempt.earned is not None
    ]
    Score.objects.bulk_create(scores, batch_size=2000)
    for run in runs:
        course_services.run_regrade(run=run)
    return {
        "assessment_attempts": len(attempts),
        "assessment_items": len(rows),
        "assessment_waiting": sum(1 for a in attempts if a.status == AttemptStatus.SUBMITTED),
        "assessment_files": reports,
    }


# What a learner's report says under each rubric criterion (the criterion leads the line).
REPORT_LINES = (
    "按要求完成，过程与结果记录如下，原始数据附在文末。",
    "结合课程讲授的方法逐项完成，并与教材中的结论作了对照。",
    "完成了主要部分，个别步骤的结果与预期有出入，原因分析见后。",
    "参考了课程讲义和两篇文献，按自己的理解整理成文。",
)
NUMERALS = "一二三四五六七八"


def _report(
    version: QuestionVersion, *, course: str, title: str, learner: str, handed_in: Any, rng: random.Random
) -> tuple[str, Format, bytes] | None:
    """A learner's answer to a file question: its file name, format and bytes, in the first of the formats the
    question takes that the demo writes (a one-page PDF, else the same text as TXT or zipped); None if none."""
    stem = strip_tags(version.stem).strip()
    criteria = [str(row["criterion"]) for row in (version.data or {}).get("rubric") or []]
    lines = [
        f"课程：《{course}》",
        f"作业：{title}",
        f"姓名：{learner}",
        f"提交日期：{handed_in:%Y年%m月%d日}",
        "",
        "题目：",
        *[stem[i : i + 40] for i in range(0, min(len(stem), 120), 40)],
        "",
        *[f"{NUMERALS[n % 8]}、{criterion}：{rng.choice(REPORT_LINES)}" for n, criterion in enumerate(criteria)],
        "",
        "（演示数据）",
    ]
    heading = f"{title} · {learner}"
    formats = (version.data or {}).get("formats") or []
    if "pdf" in formats:
        return f"{title}-{learner}.pdf", PDF, text_pdf(heading, lines)
    text = "\n".join([heading, "", *lines]).encode()
    if "txt" in formats:
        return f"{title}-{learner}.txt", TXT, text
    if "zip" in formats:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"{title}-{learner}.txt", text)
        return f"{title}-{learner}.zip", ZIP, buffer.getvalue()
    return None


def _answer_files(attempts: list[Attempt], planned: list[list[AttemptItem]], rng: random.Random) -> int:
    """Each handed-in file question's answer: the learner's report stored privately (as an upload would be, one
    file per answer, so deleting one never takes another's) and named in the item's response; the files written.
    About 2 ms a file."""
    wanted = [
        (attempt, item)
        for attempt, items in zip(attempts, planned, strict=True)
        for item in items
        if item.version.type == "file"
    ]
    if not wanted:
        return 0
    names = dict(
        User.objects.filter(pk__in={attempt.user_id for attempt, _item in wanted}).values_list("pk", "display_name")
    )
    storage = private_storage()
    stored: list[AttemptFile] = []
    answered: list[AttemptItem] = []
    for attempt, item in wanted:
        handed_in = attempt.submitted_at or attempt.started_at
        made = _report(
            item.version,
            course=attempt.run.course.title,
            title=attempt.title,
            learner=names.get(attempt.user_id) or "学习者",
            handed_in=timezone.localtime(handed_in),
            rng=rng,
        )
        if made is None:
            continue
        name, fmt, data = made
        row = AttemptFile(
            attempt=attempt,
            position=item.position,
            original_name=name,
            size=len(data),
            mime=fmt.mime,
            uploaded_by_id=attempt.user_id,
        )
        row.file.name = storage.save(attempt_file_path(row, name), ContentFile(data))
        stored.append(row)
        answered.append(item)
    AttemptFile.objects.bulk_create(stored, batch_size=1000)
    for row, item in zip(stored, answered, strict=True):
        item.response = row.pk
        row.created_at = (row.attempt.submitted_at or row.attempt.started_at) - timedelta(minutes=5)
    AttemptFile.objects.bulk_update(stored, ["created_at"], batch_size=1000)  # uploaded before the hand-in
    return len(stored)


# The demo learner's own essay (陈思远), written for nobody else, so the answers he reviews are never his own words.
DEMO_LEARNER_ESSAY = (
    "我以重组人胰岛素的生产为例。第一步是获得目的基因：按人胰岛素原的氨基酸序列设计并合成cDNA，"
    "两端加上限制酶切位点。第二步构建表达载体：把基因连接到带强启动子和抗性标记的质粒上。第三步转化宿主："
    "导入大肠杆菌（或毕赤酵母），在含抗生素的培养基上筛选阳性克隆，并用测序确认序列无误。第四步发酵表达："
    "在发酵罐中高密度培养、诱导表达，胰岛素原以包涵体形式积累。第五步分离纯化：破碎细胞、包涵体洗涤溶解、"
    "复性，用胰蛋白酶和羧肽酶B切去C肽，再经离子交换和反相色谱得到高纯度胰岛素，按GMP要求检验后制剂。\n"
    "生物安全方面，工程菌应在相应生物安全等级的车间和密闭发酵系统中操作，发酵废液和菌体须灭活处理，"
    "防止带抗性基因的重组菌进入环境；产品中宿主蛋白、内毒素和DNA残留必须严格控制。\n"
    "伦理方面，重组胰岛素替代了从猪、牛胰腺中提取的胰岛素，既减少了过敏反应，也不再依赖动物来源，"
    "这本身就是伦理上的进步；但胰岛素类似物价格较高，如何通过集中带量采购等政策让患者用得起，同样是制药人"
    "应当关心的问题。"
)

PEER_COMMENTS = (
    "流程写得完整清楚，实例选得好；安全与伦理部分可以再展开一些。",
    "论述有条理，胰岛素的例子很贴切，建议补充对工程菌泄漏的防控措施。",
    "伦理分析很有见地，但表达系统的选择理由没有说清楚。",
    "整体不错，如果能结合课程里讲的GMP要求谈谈质量控制会更好。",
    "基本流程有遗漏（缺少筛选和纯化步骤），实例部分写得较好。",
    "结构清晰、语言流畅，安全与伦理两方面都谈到了，值得学习。",
)


def _review_scores(item: AttemptItem, rng: random.Random) -> list[str]:
    """A reviewer's criterion scores: between 60 % and all of each criterion's points, in halves."""
    scores = []
    for row in (item.version.data or {}).get("rubric") or []:
        most = Decimal(row["points"])
        halves = int(most * 2)
        scores.append(str(Decimal(rng.randint(int(halves * 0.6), halves)) / 2))
    return scores


def seed_peer_reviews(*, runs: list[Run], learner: User | None, rng: random.Random) -> dict[str, int]:
    """Peer review in progress in the runs' peer-reviewed homework, through the review services (so assignments,
    steps and the answers graded by their trimmed mean are what learners would have made): the first half of the
    other learners have done their reviews, the next quarter have done one and have the next open, the rest have not
    begun; the demo learner ``learner`` has done one and has the next open, so signing in shows a review to do."""
    from zhijiao.assessment import services

    done = assigned = 0
    for run in runs:
        content_ids = (
            Attempt.objects.filter(run=run, items__status=ItemStatus.PEER)
            .values_list("content_id", flat=True)
            .distinct()
            .order_by("content_id")
        )
        for content_id in list(content_ids):
            authors = [
                user
                for user in User.objects.filter(attempts__run=run, attempts__content_id=content_id)
                .distinct()
                .order_by("id")
                if learner is None or user.pk != learner.pk
            ]
            plan = [(user, 3) for user in authors[: len(authors) // 2]]
            plan += [(user, 1) for user in authors[len(authors) // 2 : len(authors) * 3 // 4]]
            if learner is not None and Attempt.objects.filter(run=run, user=learner, content_id=content_id).exists():
                plan.append((learner, 1))
            for user, count in plan:
                for _number in range(count):
                    review = services.review_next(actor=user, run=run, content_id=content_id)
                    if review is None:
                        break
                    services.review_submit(
                        actor=user,
                        review=review,
                        scores=_review_scores(review.item, rng),
                        comment=rng.choice(PEER_COMMENTS),
                    )
                    done += 1
                if count < PEER_REVIEWERS and services.review_next(actor=user, run=run, content_id=content_id):
                    assigned += 1
    return {"peer_reviews_done": done, "peer_reviews_open": assigned}
