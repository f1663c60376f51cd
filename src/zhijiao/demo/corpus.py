"""A large GENERATED search corpus for ``zhijiao bench search``: realistic-looking, deterministic, fast to load.

Titles and bodies are composed from vocabularies (places from the demo's GB/T 2260 regions, the education
terms of the search dictionary, subjects, grades, majors, courses, industries, companies) with templates per
platform. The documents go straight into the search index tables through the same tokenizer and the same bulk
writer as a real reindex; no articles or organisations are created. Nothing here is real content.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

from zhijiao.search.dictionary import DICTIONARY_PATH
from zhijiao.search.registry import PUBLIC, STAFF, Document

from .seed import DATA_DIR
from .vocab import COMPANY_BRANDS, COMPANY_INDUSTRIES, COURSES, MAJORS, SUBJECTS

CORPUS_SEED = 20260
GRADES = [
    "一年级",
    "二年级",
    "三年级",
    "四年级",
    "五年级",
    "六年级",
    "七年级",
    "八年级",
    "九年级",
    "高一",
    "高二",
    "高三",
]
SEASONS = ["春季", "秋季", "夏季", "冬季", "年度"]
INDUSTRIES = [
    "生物制药", "人工智能", "集成电路", "新能源汽车", "现代农业", "智能制造", "跨境电商", "航空航天", "数字经济",
    "文化旅游", "医疗健康", "金融科技", "节能环保", "新材料", "物联网", "轨道交通", "现代物流", "大数据",
]  # fmt: skip
EVENTS = ["工作推进会", "经验交流会", "培训班", "研讨会", "现场会", "启动仪式", "成果展示", "专项检查", "调研座谈会"]
ACTIONS = ["召开", "举行", "开展", "启动", "完成", "部署", "推进", "印发", "发布"]
PLATFORMS = ["portal", "k12", "vocational", "higher", "employment", "hall"]
KINDS = {  # platform → (kind, type label)
    "portal": ("portal.article", "文章"),
    "k12": ("portal.article", "文章"),
    "vocational": ("portal.article", "文章"),
    "higher": ("portal.article", "文章"),
    "employment": ("orgs.organization", "用人单位"),
    "hall": ("portal.topic", "专题"),
}
SENTENCES = [
    "{place}教育部门{action}{term}相关工作，要求各校结合实际制定方案。",
    "本次活动围绕{term}和{term2}展开，{grade}学生和教师代表参加。",
    "{company}等{industry}企业提供岗位，涉及{major}等专业方向。",
    "会议强调，要把{term}作为重点任务，持续推进{term2}。",
    "课程包括{course}与{subject}相关内容，配有在线练习和答疑。",
    "{place}共有学校参与{term}试点，覆盖城乡各学段。",
    "相关材料可在平台下载，咨询电话以当地教育部门公布为准。",
    "专家指出，{industry}领域对{major}人才需求旺盛。",
    "{grade}{subject}教学中，教师运用{term}提升课堂效率。",
]
TITLES = {
    "portal": ["{place}{action}{term}{event}", "关于做好{year}年{term}工作的通知", "{term}：{place}的实践与探索"],
    "k12": ["{grade}{subject}：{term}专题复习", "{place}{school}开展{term}主题活动", "{place}推进{term}提质增效"],
    "vocational": ["{place}职业院校{major}专业{event}", "{major}{term}建设成果发布", "{place}{term}{event}"],
    "higher": ["{course}在线课程上线", "{place}高校{term}{event}", "{year}年{term}工作安排"],
    "employment": [
        "{place}{company}{industry}{season}招聘",
        "{place}{industry}企业{season}双选会",
        "{company}{major}岗位招聘",
    ],
    "hall": ["{term}办理指南", "{place}{term}服务专题", "{term}常见问题解答"],
}


def _terms() -> list[str]:
    terms = []
    for line in DICTIONARY_PATH.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            terms.append(line.split()[0])
    return terms


def _regions() -> list[tuple[str, str, list[str]]]:
    """(code, name, [code and its ancestors]) of the demo's regions."""
    with (DATA_DIR / "regions.csv").open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(line for line in handle if not line.startswith("#"))]
    parent = {row["code"]: row["parent"] for row in rows}
    result = []
    for row in rows:
        chain, code = [], row["code"]
        while code:
            chain.append(code)
            code = parent.get(code, "")
        result.append((row["code"], row["name"], chain))
    return result


def documents(count: int, *, seed: int = CORPUS_SEED) -> Iterator[Document]:
    """``count`` generated documents, the same ones for the same seed."""
    rng = random.Random(seed)
    terms, regions = _terms(), _regions()
    base = datetime(2026, 1, 1, tzinfo=UTC)
    for number in range(count):
        platform = PLATFORMS[number % len(PLATFORMS)]
        kind, label = KINDS[platform]
        _code, place, chain = rng.choice(regions)
        slots = {
            "place": place,
            "term": rng.choice(terms),
            "term2": rng.choice(terms),
            "grade": rng.choice(GRADES),
            "subject": rng.choice(SUBJECTS),
            "major": rng.choice(MAJORS),
            "course": rng.choice(COURSES),
            "industry": rng.choice(INDUSTRIES),
            "company": rng.choice(COMPANY_BRANDS) + rng.choice(COMPANY_INDUSTRIES)[0] + "有限公司",
            "school": rng.choice(["实验小学", "第一中学", "育才学校", "外国语学校", "职业高中"]),
            "event": rng.choice(EVENTS),
            "action": rng.choice(ACTIONS),
            "season": rng.choice(SEASONS),
            "year": str(rng.choice([2024, 2025, 2026])),
        }
        title = rng.choice(TITLES[platform]).format(**slots)
        body = "".join(rng.choice(SENTENCES).format(**slots) for _ in range(rng.randint(3, 5)))
        yield Document(
            kind=f"corpus.{kind}",
            object_id=str(number),
            title=title,
            body=body,
            platform=platform,
            type_label=label,
            url=f"/corpus/{number}",
            filters={"region": chain, "subject": slots["subject"]},
            date=base - timedelta(minutes=number * 7 % 500_000),
            popularity=float(rng.randint(0, 10_000)),
            visibility=PUBLIC if number % 20 else [STAFF],
        )


def load(count: int, *, batch_size: int = 2000, progress: Callable[[int], None] | None = None) -> int:
    """Write ``count`` generated documents into the (empty) index in batches; returns how many were written."""
    from zhijiao.search.services import documents_write

    written = 0
    batch: list[Document] = []
    for document in documents(count):
        batch.append(document)
        if len(batch) >= batch_size:
            written += documents_write(documents=batch, replace=False)
            batch = []
            if progress is not None:
                progress(batch_size)
    if batch:
        written += documents_write(documents=batch, replace=False)
        if progress is not None:
            progress(len(batch))
    return written
