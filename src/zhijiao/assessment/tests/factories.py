"""Questions for tests: one of each type, written as a teacher would."""

from decimal import Decimal
from typing import Any

from zhijiao.accounts.models import User
from zhijiao.courses.models import Course

from ..models import Question, QuestionVersion
from ..services import question_create

SAMPLES: dict[str, dict[str, Any]] = {
    "single": {
        "stem": "<p>栈的特点是？</p>",
        "data": {"options": ["先进先出", "后进先出", "随机存取", "按优先级出"], "answer": 1},
        "points": "2",
    },
    "multiple": {
        "stem": "<p>下列属于线性结构的有？</p>",
        "data": {"options": ["栈", "队列", "二叉树", "线性表"], "answer": [0, 1, 3], "scoring": "share"},
        "points": "3",
    },
    "truefalse": {"stem": "<p>队列是先进先出的线性表。</p>", "data": {"answer": True}, "points": "1"},
    "fill": {
        "stem": "<p>栈的两种基本操作是 ____ 和 ____。</p>",
        "data": {"blanks": [["入栈", "push"], ["出栈", "pop"]], "any_order": True},
        "points": "2",
    },
    "short": {
        "stem": "<p>简述顺序表和链表的区别。</p>",
        "data": {
            "reference": "存储方式、插入删除效率、随机访问。",
            "rubric": [{"criterion": "存储方式", "points": "2"}, {"criterion": "效率比较", "points": "3"}],
            "grading": "manual",
        },
        "points": "5",
    },
    "essay": {
        "stem": "<p>论述哈希表在工程中的应用。</p>",
        "data": {"rubric": [{"criterion": "观点明确", "points": "10"}], "grading": "peer"},
        "points": "10",
    },
    "file": {
        "stem": "<p>上传你的实验报告。</p>",
        "data": {"formats": ["pdf", "docx"], "grading": "manual"},
        "points": "10",
    },
}


def make_question(
    *, actor: User, course: Course, type: str = "single", tags: Any = (), difficulty: Any = 3, **over: Any
) -> Question:
    sample = SAMPLES[type]
    fields = {
        "type": type,
        "stem": sample["stem"],
        "data": sample["data"],
        "points": Decimal(sample["points"]),
        "tags": tags,
        "difficulty": difficulty,
        **over,
    }
    return question_create(actor=actor, course=course, **fields)


def current(question: Question) -> QuestionVersion:
    """The question's current version (every stored question has one)."""
    assert question.current_version is not None
    return question.current_version
