"""The assessment block types: unit quiz (测验), homework (作业) and exam (考试).

A block's ``data`` is its rules (:mod:`..rules`): the questions it picks (each pinned to a version of the course's
bank), random draws, the window as days after the run's start, the time limit, attempts, shuffling, when answers
are shown, the late policy and peer review. The teachers' block form offers the course's bank as a list to choose
from; saving the form pins each chosen question at its current version.

Like the 课堂讨论 prompt, the engine renders the block without knowing the reader or the run: the block's template
shows the rules and loads the reader's attempts and the start button from this app (``assessment:block``), which
finds the run through the reader's enrolment. Completion is the service's: submitting an attempt completes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijiao.courses.blocks import BlockType, Data

from .question_types import get_type as question_type
from .rules import ShowAnswers, parse_rules

DIFFICULTIES = [("", gettext_lazy("不限难度"))] + [(str(n), str(n)) for n in range(1, 6)]


class PickField(forms.MultipleChoiceField):
    """The bank's questions to choose from; the value a valid form gives is ``identifier:version`` for each chosen
    question, pinned at its current version (``versions`` maps identifier → current version number)."""

    def __init__(self, *, versions: Mapping[str, int], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.versions = dict(versions)

    def clean(self, value: Any) -> list[str]:
        chosen = super().clean(value)
        return [f"{identifier}:{self.versions[identifier]}" for identifier in chosen]


def bank_choices(course: Any) -> tuple[list[tuple[str, str]], dict[str, int]]:
    """The course's active questions as choices (type and summary) and their current version numbers."""
    from .models import Question

    if course is None or getattr(course, "pk", None) is None:
        return [], {}
    rows = (
        Question.objects.filter(course=course, archived_at__isnull=True, current_version__isnull=False)
        .order_by("id")
        .values_list("identifier", "type", "summary", "current_version__number")[:1000]
    )
    choices, versions = [], {}
    for identifier, type_name, summary, number in rows:
        kind = question_type(type_name)
        label = f"[{kind.label if kind else type_name}] {strip_tags(summary)[:80]}"
        choices.append((str(identifier), label))
        versions[str(identifier)] = number
    return choices, versions


class AssessmentBlock(BlockType):
    """What the three kinds share; each sets its name, label and which rules its form offers."""

    template = "assessment/blocks/assessment.html"
    completion_label = gettext_lazy("提交即完成")
    completed_by_service = True
    timed: bool = False
    late_policy: bool = False
    peer: bool = False

    def form_fields(self, *, course: Any) -> dict[str, forms.Field]:
        choices, versions = bank_choices(course)
        fields: dict[str, forms.Field] = {
            "questions": PickField(
                label=_("题目"),
                choices=choices,
                versions=versions,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("从本课程题库中选择；保存时固定为题目的当前版本，之后修改题目不影响本测评"),
            ),
            "draw_count": forms.IntegerField(label=_("随机抽题数量"), min_value=0, max_value=100, required=False),
            "draw_tag": forms.CharField(label=_("抽题标签"), max_length=30, required=False),
            "draw_difficulty": forms.TypedChoiceField(
                label=_("抽题难度"), choices=DIFFICULTIES, required=False, coerce=int, empty_value=None
            ),
            "opens_after_days": forms.IntegerField(
                label=_("开课后第几天开放"), min_value=0, max_value=3650, initial=0, required=False
            ),
            "closes_after_days": forms.IntegerField(
                label=_("开课后第几天截止"),
                min_value=0,
                max_value=3650,
                required=False,
                help_text=_("当天 23:59 截止；不填则到开课结束"),
            ),
        }
        if self.timed or self.name == "quiz":
            fields["time_limit_minutes"] = forms.IntegerField(
                label=_("限时（分钟）"), min_value=1, max_value=1440, required=self.timed
            )
        fields["attempts_allowed"] = forms.IntegerField(
            label=_("可作答次数"), min_value=0, max_value=100, initial=1, help_text=_("0 表示不限")
        )
        fields["shuffle_questions"] = forms.BooleanField(label=_("打乱题目顺序"), required=False)
        fields["shuffle_options"] = forms.BooleanField(label=_("打乱选项顺序"), required=False)
        fields["show_answers"] = forms.ChoiceField(
            label=_("何时公布答案"),
            choices=[
                (ShowAnswers.AFTER_SUBMIT, _("提交后")),
                (ShowAnswers.AFTER_CLOSE, _("截止后")),
                (ShowAnswers.NEVER, _("不公布")),
            ],
            initial=ShowAnswers.AFTER_SUBMIT,
        )
        if self.late_policy:
            fields["late_days"] = forms.IntegerField(
                label=_("可逾期天数"), min_value=0, max_value=365, required=False, initial=0
            )
            fields["late_penalty"] = forms.DecimalField(
                label=_("逾期每天扣分（%）"), min_value=0, max_value=100, decimal_places=2, required=False
            )
        if self.peer:
            fields["peer_reviewers"] = forms.IntegerField(
                label=_("互评人数"),
                min_value=0,
                max_value=10,
                required=False,
                help_text=_("主观题由几位同学互评；0 或不填表示由教学团队批阅"),
            )
        fields["instructions"] = forms.CharField(
            label=_("说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
        )
        return fields

    def form_initial(self, data: Mapping[str, Any]) -> Data:
        initial: Data = {
            key: data.get(key)
            for key in (
                "opens_after_days",
                "closes_after_days",
                "time_limit_minutes",
                "attempts_allowed",
                "shuffle_questions",
                "shuffle_options",
                "show_answers",
                "late_days",
                "late_penalty",
                "instructions",
            )
            if key in data
        }
        initial["questions"] = [pick.get("question") for pick in data.get("picks") or [] if isinstance(pick, dict)]
        draws = data.get("draws") or []
        if draws and isinstance(draws[0], dict):
            initial["draw_count"] = draws[0].get("count")
            initial["draw_tag"] = (draws[0].get("tags") or [""])[0]
            initial["draw_difficulty"] = draws[0].get("difficulty")
        peer = data.get("peer_review")
        if isinstance(peer, dict):
            initial["peer_reviewers"] = peer.get("reviewers")
        return initial

    def form_data(self, cleaned: Mapping[str, Any]) -> Data:
        picks = []
        for value in cleaned.get("questions") or []:
            identifier, _sep, number = str(value).partition(":")
            picks.append({"question": identifier, "version": int(number)})
        draws = []
        if cleaned.get("draw_count"):
            tag = (cleaned.get("draw_tag") or "").strip()
            draws.append(
                {
                    "count": cleaned["draw_count"],
                    "tags": [tag] if tag else [],
                    "difficulty": cleaned.get("draw_difficulty"),
                }
            )
        data: Data = {
            "picks": picks,
            "draws": draws,
            "opens_after_days": cleaned.get("opens_after_days") or 0,
            "closes_after_days": cleaned.get("closes_after_days"),
            "time_limit_minutes": cleaned.get("time_limit_minutes"),
            "attempts_allowed": cleaned.get("attempts_allowed") if cleaned.get("attempts_allowed") is not None else 1,
            "shuffle_questions": bool(cleaned.get("shuffle_questions")),
            "shuffle_options": bool(cleaned.get("shuffle_options")),
            "show_answers": cleaned.get("show_answers") or ShowAnswers.AFTER_SUBMIT,
            "late_days": cleaned.get("late_days") or 0,
            "late_penalty": str(cleaned.get("late_penalty") or 0),
            "instructions": cleaned.get("instructions") or "",
        }
        if cleaned.get("peer_reviewers"):
            data["peer_review"] = {"reviewers": cleaned["peer_reviewers"]}
        return data

    def clean(self, data: Mapping[str, Any]) -> Data:
        return parse_rules(data, kind=self.name).as_json()


class QuizBlock(AssessmentBlock):
    name = "quiz"
    label = gettext_lazy("测验")


class HomeworkBlock(AssessmentBlock):
    name = "homework"
    label = gettext_lazy("作业")
    late_policy = True
    peer = True


class ExamBlock(AssessmentBlock):
    name = "exam"
    label = gettext_lazy("考试")
    timed = True


def register_block_types() -> None:
    from zhijiao.courses.blocks import register

    for block_type in (QuizBlock(), HomeworkBlock(), ExamBlock()):
        register(block_type)
