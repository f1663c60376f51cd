"""What a learner reads of their assessments: their attempts at a block, one attempt's paper (without answer keys
while it runs), the time left by the server's clock, and — once submitted — their answers, the right answers and
explanations when the block's show-answers rule allows, and their score unless peer review still hides it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijiao.core.actors import Actor, signed_in
from zhijiao.core.errors import NotFound
from zhijiao.core.uploads import size_label
from zhijiao.courses import selectors as course_selectors
from zhijiao.courses.models import Run

from ..models import Attempt, AttemptFile, AttemptItem, AttemptStatus, AttemptStep, PeerReview, StepAction
from ..question_types import FileAnswer
from ..question_types import get_type as question_type
from ..rules import KINDS, ShowAnswers, parse_rules
from .review import may_grade, score_visible

CHOICE_TYPES = ("single", "multiple")


def assessment_of(*, actor: Actor | None, content_id: str) -> tuple[Run | None, dict[str, Any] | None]:
    """The run in which the actor takes an assessment block, and the block: of their enrolments, the most recently
    studied whose course's published version holds it. (None, None) when there is none."""
    from zhijiao.courses.models import Enrolment

    if not signed_in(actor):
        return None, None
    enrolments = (
        Enrolment.objects.filter(user=actor, run__course__published_version__isnull=False)
        .select_related("run__course")
        .order_by(F("last_studied_at").desc(nulls_last=True), "-created_at")[:20]
    )
    for enrolment in enrolments:
        block = course_selectors.find_block(course_selectors.published_outline(course=enrolment.run.course), content_id)
        if block is not None and block.get("type") in KINDS:
            return enrolment.run, block
    return None, None


def attempts_of(*, user_id: int, run: Run, content_id: str) -> list[Attempt]:
    """A learner's attempts at one assessment of a run, first first."""
    return list(Attempt.objects.filter(run=run, user_id=user_id, content_id=content_id).order_by("number"))


def access_attempt(*, actor: Actor | None, attempt_id: int) -> Attempt:
    """The actor's own attempt; NotFound for anyone else's (a teacher reads attempts through the grading queue)."""
    if not signed_in(actor):
        raise NotFound
    attempt = Attempt.objects.select_related("run__course").filter(pk=attempt_id, user_id=actor.pk).first()
    if attempt is None:
        raise NotFound
    return attempt


def seconds_left(attempt: Attempt, *, now: datetime | None = None) -> int | None:
    """Whole seconds until the server stops taking answers (None: no deadline; 0 once it passed or submitted)."""
    if attempt.deadline_at is None:
        return None
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return 0
    return max(0, int((attempt.deadline_at - (now or timezone.now())).total_seconds()))


def answers_shown(attempt: Attempt, *, now: datetime | None = None) -> bool:
    """Whether the learner sees the right answers and explanations of this attempt (its block's rule)."""
    if attempt.status == AttemptStatus.IN_PROGRESS:
        return False
    rule = attempt.rules.get("show_answers", ShowAnswers.AFTER_SUBMIT)
    if rule == ShowAnswers.AFTER_SUBMIT:
        return True
    if rule == ShowAnswers.AFTER_CLOSE:
        rules = parse_rules(attempt.rules, kind=attempt.kind)
        return (now or timezone.now()) >= rules.late_until(attempt.run)
    return False


def _to_shown(order: list[int], value: Any) -> Any:
    """Stored option indices as the learner's shuffled positions."""
    if not order or value is None:
        return value
    if isinstance(value, list):
        return sorted(order.index(v) for v in value if v in order)
    return order.index(value) if value in order else None


@dataclass
class PaperItem:
    position: int
    type: str
    type_label: str
    stem: str
    points: Any
    options: list[str] = field(default_factory=list)
    blanks: int = 0
    response: Any = None
    # After submission:
    status: str = ""
    earned: Any = None
    feedback: str = ""
    answer: Any = None
    explanation: str = ""
    reference: str = ""
    # A file question's uploaded answer (the file its response names), if any.
    file: AttemptFile | None = None
    formats: list[str] = field(default_factory=list)

    @property
    def formats_label(self) -> str:
        """A file question's formats for people: "PDF、DOCX"."""
        return "、".join(name.upper() for name in self.formats)

    @property
    def max_size_label(self) -> str:
        """The largest answer file taken, for people: "20 MB"."""
        return size_label(FileAnswer.max_bytes())

    @property
    def accept(self) -> str:
        """A file question's formats for the file picker's ``accept``."""
        return ",".join(f".{name}" for name in self.formats)

    @property
    def blank_fields(self) -> list[tuple[int, str]]:
        """A fill-in question's blanks with the answer given to each (for the form)."""
        given = self.response if isinstance(self.response, list) else []
        return [(i, str(given[i]) if i < len(given) and given[i] is not None else "") for i in range(self.blanks)]

    @property
    def answer_list(self) -> list[str]:
        """A choice question's right options as letters (A, B …) in the learner's shown order."""
        answer = self.answer if isinstance(self.answer, list) else [self.answer]
        return ["ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i] for i in answer if isinstance(i, int) and not isinstance(i, bool)]

    @property
    def chosen(self) -> list[int]:
        """The options chosen (shown positions), for a choice question's form."""
        if isinstance(self.response, list):
            return [v for v in self.response if isinstance(v, int)]
        return [self.response] if isinstance(self.response, int) and not isinstance(self.response, bool) else []


@dataclass
class Paper:
    attempt: Attempt
    items: list[PaperItem]
    seconds_left: int | None
    answers_shown: bool
    score_visible: bool


def attempt_paper(*, attempt: Attempt, now: datetime | None = None) -> Paper:
    """The attempt as its learner sees it: the questions in their order with the options in their shuffled order,
    their answers (the latest saved while it runs), and, after submission, grades and — when the rules say so — the
    right answers. Answer keys never leave while the attempt runs. Three queries."""
    moment = now or timezone.now()
    running = attempt.status == AttemptStatus.IN_PROGRESS
    items = list(AttemptItem.objects.filter(attempt=attempt).select_related("version").order_by("position"))
    saved: dict[int, Any] = {}
    if running:
        for position, data in (
            AttemptStep.objects.filter(attempt=attempt, action=StepAction.SAVE)
            .order_by("id")
            .values_list("position", "data")
        ):
            if position is not None:
                saved[position] = (data or {}).get("response")
    shown = answers_shown(attempt, now=moment)
    visible = not running and score_visible(attempt=attempt)
    files = answer_files(attempt=attempt, responses=saved if running else {i.position: i.response for i in items})
    paper = []
    for item in items:
        version = item.version
        kind = question_type(version.type)
        data = version.data or {}
        order = list(item.option_order or [])
        options = [data["options"][i] for i in order] if order else list(data.get("options") or [])
        entry = PaperItem(
            position=item.position,
            type=version.type,
            type_label=str(kind.label) if kind else version.type,
            stem=version.stem,
            points=item.points,
            options=options,
            blanks=len(data.get("blanks") or []),
            response=_to_shown(order, saved.get(item.position) if running else item.response),
            file=files.get(item.position) if version.type == "file" else None,
            formats=[str(name) for name in data.get("formats") or []] if version.type == "file" else [],
        )
        if not running:
            entry.status = item.status
            entry.earned = item.earned if visible else None
            entry.feedback = item.feedback if visible else ""
        if shown:
            entry.answer = _to_shown(order, data.get("answer")) if "answer" in data else data.get("blanks")
            entry.explanation = version.explanation
            entry.reference = str(data.get("reference") or "")
        paper.append(entry)
    return Paper(
        attempt=attempt,
        items=paper,
        seconds_left=seconds_left(attempt, now=moment),
        answers_shown=shown,
        score_visible=visible,
    )


def answer_files(*, attempt: Attempt | int, responses: dict[int, Any]) -> dict[int, AttemptFile]:
    """The uploaded file each file answer names, by position (responses: position → response); one query."""
    ids = {
        position: value
        for position, value in responses.items()
        if isinstance(value, int) and not isinstance(value, bool) and value > 0
    }
    if not ids:
        return {}
    attempt_id = attempt if isinstance(attempt, int) else attempt.pk
    found = {f.pk: f for f in AttemptFile.objects.filter(attempt_id=attempt_id, pk__in=set(ids.values()))}
    return {position: found[pk] for position, pk in ids.items() if pk in found and found[pk].position == position}


def peer_file_name(stored: AttemptFile) -> str:
    """The name a peer reviewer sees for an answer file: never the learner's own file name (it may name them)."""
    extension = PurePosixPath(stored.original_name).suffix.lower()[:8]
    return _("第%(n)d题答案%(ext)s") % {"n": stored.position, "ext": extension}


def with_files(items: list[AttemptItem], *, anonymous: bool = False) -> list[AttemptItem]:
    """Items (of the grading queue or peer review) with ``answer_file`` set on their file answers; one query.
    ``anonymous`` (peer review): the file's shown name does not repeat the learner's own file name."""
    wanted = {
        item.response: item
        for item in items
        if item.version.type == "file" and isinstance(item.response, int) and not isinstance(item.response, bool)
    }
    for item in items:
        item.answer_file = None  # type: ignore[attr-defined]
    if wanted:
        for stored in AttemptFile.objects.filter(pk__in=list(wanted)):
            item = wanted[stored.pk]
            if stored.attempt_id == item.attempt_id and stored.position == item.position:
                stored.shown_name = peer_file_name(stored) if anonymous else stored.original_name  # type: ignore[attr-defined]
                item.answer_file = stored  # type: ignore[attr-defined]
    return items


def access_attempt_file(*, actor: Actor | None, file_id: int) -> AttemptFile:
    """An uploaded answer file the actor may download: the attempt's learner, the run's teaching team (who grade
    it), or a learner assigned to review that answer. NotFound for everyone else, and for no such file."""
    if not signed_in(actor):
        raise NotFound
    stored = AttemptFile.objects.select_related("attempt__run__course").filter(pk=file_id).first()
    if stored is None:
        raise NotFound
    attempt = stored.attempt
    stored.shown_name = stored.original_name  # type: ignore[attr-defined]
    if attempt.user_id == actor.pk:
        return stored
    if attempt.status != AttemptStatus.IN_PROGRESS:
        if may_grade(actor, attempt.run):
            return stored
        if PeerReview.objects.filter(
            reviewer=actor, item__attempt_id=attempt.pk, item__position=stored.position
        ).exists():
            stored.shown_name = peer_file_name(stored)  # type: ignore[attr-defined]
            return stored
    raise NotFound
