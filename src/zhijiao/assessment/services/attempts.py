"""Taking an assessment (测验、作业、考试): start or resume an attempt, save answers as they are given, submit.

The paper is fixed when the attempt starts (picked questions at their pinned versions, drawn questions at their
current versions with a seed per attempt, this learner's shuffles), so a question edited during a live exam changes
no running attempt. Saving an answer is ONE insert of an :class:`AttemptStep` after one read that locks the attempt
row (so no acknowledged save misses the submission); the server's clock decides whether it is still taken.
Submitting copies each position's latest answer into the items, grades the objective ones at once, sends the others
to the teaching team (or to peer review), and hands the total to :func:`.scoring.attempt_rescore`. An attempt past
its deadline is submitted as it stands (``timeout``): lazily when it is read or written, and by the worker's
periodic sweep (:func:`attempts_expire_due`).
"""

from __future__ import annotations

import random
import uuid
from contextlib import suppress
from datetime import datetime, timedelta
from pathlib import PurePosixPath
from typing import Any, NoReturn

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijiao.accounts.models import User
from zhijiao.core.actors import Actor, signed_in
from zhijiao.core.errors import DomainError, NotFound
from zhijiao.core.prepared import Prepared, PreparedInsert
from zhijiao.core.uploads import check_upload
from zhijiao.courses import selectors as course_selectors
from zhijiao.courses import services as course_services
from zhijiao.courses.models import Run

from ..models import (
    Attempt,
    AttemptFile,
    AttemptItem,
    AttemptStatus,
    AttemptStep,
    ItemStatus,
    QuestionVersion,
    StepAction,
    SubmittedBy,
)
from ..question_types import FileAnswer
from ..question_types import get_type as question_type
from ..rules import KINDS, Rules, parse_rules
from .scoring import attempt_rescore

# Question types whose response is an option index (or a list of them): shuffled per learner.
CHOICE_TYPES = ("single", "multiple")
FILE_TYPE = FileAnswer.name


def assessment_block(*, run: Run, content_id: str) -> dict[str, Any]:
    """The assessment block (quiz, homework or exam) of the run's published course; NotFound otherwise."""
    try:
        key = str(uuid.UUID(str(content_id)))
    except ValueError:
        raise NotFound from None
    block = course_selectors.find_block(course_selectors.published_outline(course=run.course), key)
    if block is None or block.get("type") not in KINDS:
        raise NotFound
    return block


def _rules(block: dict[str, Any]) -> Rules:
    try:
        return parse_rules(block.get("data") or {}, kind=block["type"])
    except ValidationError:
        raise DomainError("bad_rules", _("这个测评的设置有误，请联系任课教师"), status=409) from None


def _paper(run: Run, rules: Rules, seed: str) -> list[tuple[QuestionVersion, Any]]:
    """The attempt's questions in the teacher's order: the picks at their pinned versions, then the draws."""
    course = run.course
    paper: list[tuple[QuestionVersion, Any]] = []
    if rules.picks:
        wanted = {(pick.question, pick.version) for pick in rules.picks}
        versions = QuestionVersion.objects.filter(
            question__course=course, question__identifier__in=[pick.question for pick in rules.picks]
        ).select_related("question")
        found = {
            (str(v.question.identifier), v.number): v
            for v in versions
            if (str(v.question.identifier), v.number) in wanted
        }
        for pick in rules.picks:
            version = found.get((pick.question, pick.version))
            if version is None:
                raise DomainError(
                    "missing_question",
                    _("测评中的一道题已不在题库中（%(id)s），请联系任课教师") % {"id": pick.question[:8]},
                    status=409,
                )
            paper.append((version, pick.points))
    taken = {version.question_id for version, _points in paper}
    from .. import selectors as bank  # the bank's random draw

    for index, draw in enumerate(rules.draws):
        drawn = bank.questions_draw(
            course=course,
            count=draw.count,
            seed=f"{seed}:{index}",
            tag=draw.tags[0] if draw.tags else "",
            difficulty=draw.difficulty,
            type=draw.type,
        )
        for question in drawn:
            if question.pk in taken or question.current_version is None:
                continue
            taken.add(question.pk)
            paper.append((question.current_version, draw.points))
    if not paper:
        raise DomainError("empty", _("这个测评还没有题目"), status=409)
    return paper


def _deadline(run: Run, rules: Rules, started: datetime) -> datetime:
    deadline = rules.late_until(run)
    if rules.time_limit_minutes:
        deadline = min(deadline, started + timedelta(minutes=rules.time_limit_minutes))
    return deadline


def _open_attempt(run: Run, user_id: int, content_id: str) -> Attempt | None:
    return (
        Attempt.objects.select_related("run__course", "user")
        .filter(run=run, user_id=user_id, content_id=content_id, status=AttemptStatus.IN_PROGRESS)
        .first()
    )


def attempt_start(*, actor: Actor, run: Run, content_id: str) -> Attempt:
    """An enrolled learner starts the assessment, or resumes the attempt they have open (the same questions, the
    answers they saved, the time that is left). Refused before it opens, after it closes, while the run's unlock
    rules hold it back, and when every allowed attempt is used."""
    if not signed_in(actor) or not course_selectors.is_enrolled(actor, run):
        raise PermissionDenied(_("选课的学习者才能作答"))
    block = assessment_block(run=run, content_id=content_id)
    key = block["content_id"]
    current = _open_attempt(run, actor.pk, key)
    if current is not None:
        current = attempt_expire(attempt=current)
        if current.status == AttemptStatus.IN_PROGRESS:
            return current
    rules = _rules(block)
    now = timezone.now()
    if now < rules.opens_at(run):
        raise DomainError("not_open", _("这个测评尚未开放"), status=409)
    if now >= rules.late_until(run):
        raise DomainError("closed", _("这个测评已经截止"), status=409)
    if not course_selectors.assessment_unlocked(run=run, user_id=actor.pk, content_id=key, category=rules.category):
        raise DomainError("locked", _("完成前面的学习要求后才能参加这个测评"), status=409)
    used = Attempt.objects.filter(run=run, user_id=actor.pk, content_id=key).aggregate(n=Max("number"))["n"] or 0
    if rules.attempts_allowed and used >= rules.attempts_allowed:
        raise DomainError("no_attempts_left", _("作答次数已用完"), status=409)
    number = used + 1
    seed = f"{run.pk}:{actor.pk}:{key}:{number}"
    paper = _paper(run, rules, seed)
    shuffler = random.Random(seed)
    if rules.shuffle_questions:
        shuffler.shuffle(paper)
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                run=run,
                user=actor,
                content_id=key,
                kind=rules.kind,
                title=str(block.get("title") or "")[:120],
                number=number,
                rules=rules.as_json(),
                started_at=now,
                deadline_at=_deadline(run, rules, now),
            )
            items = []
            for position, (version, points) in enumerate(paper, start=1):
                order: list[int] = []
                if version.type in CHOICE_TYPES:
                    order = list(range(len(version.data.get("options") or [])))
                    if rules.shuffle_options:
                        shuffler.shuffle(order)
                items.append(
                    AttemptItem(
                        attempt=attempt,
                        position=position,
                        version=version,
                        points=points if points is not None else version.points,
                        option_order=order,
                    )
                )
            AttemptItem.objects.bulk_create(items)
    except IntegrityError:
        # A second tab started the same attempt at the same moment: resume that one.
        current = _open_attempt(run, actor.pk, key)
        if current is None:
            raise
        return current
    attempt.run = run
    return attempt


def _to_stored(item: AttemptItem, response: Any) -> Any:
    """A response given against the learner's shuffled options, in the stored options' indices."""
    order = item.option_order
    if not order or item.version.type not in CHOICE_TYPES:
        return response

    def back(shown: Any) -> Any:
        if isinstance(shown, int) and not isinstance(shown, bool) and 0 <= shown < len(order):
            return order[shown]
        return -1  # the type's check refuses it

    if isinstance(response, list):
        return [back(shown) for shown in response]
    return back(response)


# Every save of an exam's answers starts here: the SQL is built once (core.prepared).
_LOCKED_ITEM = Prepared(
    lambda attempt_id, position: AttemptItem.objects.select_related("attempt", "version")
    .select_for_update(of=("attempt",), no_key=True)
    .only(
        "id", "position", "option_order", "version__type", "version__data",
        "attempt__id", "attempt__user_id", "attempt__status", "attempt__deadline_at",
    )
    .filter(attempt_id=attempt_id, position=position)
    .order_by()[:1]
)  # fmt: skip

# A saved answer is one insert of an append-only step: its statement is built once per connection.
_STEP = PreparedInsert(AttemptStep)


def _answerable_item(actor: Actor, attempt_id: int, position: int) -> tuple[User, AttemptItem, bool]:
    """Inside a transaction: the item at ``position`` of the actor's own running attempt, with the attempt row locked
    (FOR NO KEY UPDATE OF the attempt on PostgreSQL; SQLite's IMMEDIATE transaction holds the write lock already)
    in one read, and whether its time is up. Refused for anyone else's attempt (NotFound) and a submitted one.

    :func:`_submit` locks the same row while it reads the answers: a save the learner was told succeeded is always
    in the submitted paper, and a save that arrives after the submission is refused, never silently dropped."""
    if not signed_in(actor):
        raise NotFound
    item = _LOCKED_ITEM.first(attempt_id, position)
    if item is None:
        if Attempt.objects.filter(pk=attempt_id, user=actor).exists():
            raise ValidationError({"position": [_("本次作答中没有这道题")]})
        raise NotFound
    attempt = item.attempt
    if attempt.user_id != actor.pk:
        raise NotFound
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise DomainError("submitted", _("本次作答已经提交，答案不能再修改"), status=409)
    return actor, item, attempt.deadline_at is not None and timezone.now() >= attempt.deadline_at


def _time_up(attempt_id: int) -> NoReturn:
    """Outside the answer's transaction: submit the attempt as it stood at its deadline, and refuse the answer."""
    attempt_expire(attempt=Attempt.objects.select_related("run__course", "user").get(pk=attempt_id))
    raise DomainError("time_up", _("作答时间已到，这个答案没有保存；试卷已按到时的答案提交"), status=409)


def answer_save(*, actor: Actor, attempt_id: int, position: int, response: Any) -> AttemptStep:
    """The learner saves (or clears, with ``None``) their answer to one question of their running attempt: one read
    under the attempt's lock and one insert. Saving the same answer again is harmless (the latest save is the
    answer). A file question's answer is the id of a file uploaded to that question of this attempt
    (:func:`answer_upload`)."""
    with transaction.atomic():
        user, item, late = _answerable_item(actor, attempt_id, position)
        if not late:
            if response is None or response == "" or response == []:
                value = None
            else:
                kind = question_type(item.version.type)
                if kind is None:
                    raise ValidationError({"response": [_("这道题的题型已不可用")]})
                value = kind.normalise_response(item.version.data, _to_stored(item, response))
                if (
                    item.version.type == FILE_TYPE
                    and not AttemptFile.objects.filter(
                        pk=value, attempt_id=item.attempt.pk, position=item.position
                    ).exists()
                ):
                    raise ValidationError({"response": [_("文件编号无效")]})
            if value is None and item.version.type == FILE_TYPE:
                # Clearing a file answer removes the file too (from storage after the commit: signals.py).
                AttemptFile.objects.filter(attempt_id=item.attempt.pk, position=item.position).delete()
            return _STEP.create(
                attempt=item.attempt,
                position=item.position,
                action=StepAction.SAVE,
                data={"response": value},
                actor=user,
            )
    _time_up(attempt_id)


def answer_upload(*, actor: Actor, attempt_id: int, position: int, upload: UploadedFile) -> AttemptFile:
    """The learner uploads their answer to a file question of their running attempt: the file is checked by its
    content against the question's formats and the size limit, stored privately, and saved as the answer (the
    latest upload is the answer: the file it replaces is deleted after the commit); the stored file, with its
    attempt. Refused like :func:`answer_save`; a wrong file stores nothing.

    The file is written before its row: when this transaction fails, the file is deleted at once; when an outer
    transaction rolls it back later (or the process dies before the commit), :func:`answer_files_sweep` removes
    it."""
    stored: AttemptFile | None = None
    try:
        with transaction.atomic():
            user, item, late = _answerable_item(actor, attempt_id, position)
            if not late:
                if item.version.type != FILE_TYPE:
                    raise ValidationError({"file": [_("这道题不是文件题")]})
                allowed = FileAnswer().upload_formats(item.version.data or {})
                if not allowed:
                    raise ValidationError({"file": [_("这道题不接受上传文件，请联系任课教师")]})
                found = check_upload(upload, allowed=allowed, max_bytes=FileAnswer.max_bytes(), field="file")
                name = PurePosixPath(str(upload.name or "")).name[-200:] or "file"
                stored = AttemptFile(
                    attempt_id=item.attempt.pk,
                    position=item.position,
                    original_name=name,
                    size=upload.size or 0,
                    mime=found.mime,
                    uploaded_by=user,
                )
                stored.file.save(name, upload, save=False)
                stored.save()
                # The latest upload is the answer: the one it replaces goes, and its file after the commit.
                AttemptFile.objects.filter(attempt_id=item.attempt.pk, position=item.position).exclude(
                    pk=stored.pk
                ).delete()
                AttemptStep.objects.create(
                    attempt=item.attempt,
                    position=item.position,
                    action=StepAction.SAVE,
                    data={"response": stored.pk},
                    actor=user,
                )
                stored.attempt = item.attempt
                return stored
    except BaseException:
        if stored is not None and stored.file.name:
            with suppress(OSError):
                stored.file.storage.delete(stored.file.name)
        raise
    _time_up(attempt_id)


def answer_files_sweep(*, older_than: timedelta = timedelta(hours=1)) -> int:
    """Delete answer files in storage that no row names and that are older than ``older_than``: files of uploads
    whose transaction was rolled back by a caller or cut short by a dying process. How many were deleted."""
    storage = AttemptFile._meta.get_field("file").storage
    cutoff = timezone.now() - older_than
    deleted = 0

    def walk(directory: str) -> None:
        nonlocal deleted
        try:
            folders, files = storage.listdir(directory)
        except (FileNotFoundError, NotADirectoryError):
            return
        for folder in sorted(folders):
            walk(f"{directory}/{folder}")
        names = {f"{directory}/{name}" for name in files}
        if not names:
            return
        known = set(AttemptFile.objects.filter(file__in=names).values_list("file", flat=True))
        for name in sorted(names - known):
            with suppress(OSError):
                if storage.get_modified_time(name) < cutoff:
                    storage.delete(name)
                    deleted += 1

    walk("assessment")
    return deleted


def latest_answers(attempt: Attempt) -> dict[int, Any]:
    """Each position's latest saved answer (stored option indices), from the attempt's steps."""
    answers: dict[int, Any] = {}
    for position, data in (
        AttemptStep.objects.filter(attempt=attempt, action=StepAction.SAVE)
        .order_by("id")
        .values_list("position", "data")
    ):
        if position is not None:
            answers[position] = (data or {}).get("response")
    return answers


def _grade(item: AttemptItem, response: Any, *, peer: bool, now: datetime) -> None:
    item.response = response
    kind = question_type(item.version.type)
    if response is None or kind is None:
        item.status, item.earned, item.graded_at = ItemStatus.GRADED, item.points * 0, now
        return
    if kind.manual:
        item.status, item.earned = (ItemStatus.PEER if peer else ItemStatus.STAFF), None
        return
    try:
        earned = kind.grade(item.version.data, response, points=item.points)
    except ValidationError:
        earned = None
    item.status, item.earned, item.graded_at = ItemStatus.GRADED, earned if earned is not None else item.points * 0, now


def _submit(attempt_id: int, *, by: str, actor: Actor | None) -> tuple[Attempt, bool]:
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().select_related("run__course", "user").get(pk=attempt_id)
        if attempt.status != AttemptStatus.IN_PROGRESS:
            return attempt, False
        now = timezone.now()
        submitted_at = now
        if by == SubmittedBy.TIMEOUT and attempt.deadline_at is not None:
            submitted_at = min(now, attempt.deadline_at)
        rules = parse_rules(attempt.rules, kind=attempt.kind)
        answers = latest_answers(attempt)
        items = list(AttemptItem.objects.filter(attempt=attempt).select_related("version").order_by("position"))
        for item in items:
            _grade(item, answers.get(item.position), peer=rules.peer_review is not None, now=now)
        AttemptItem.objects.bulk_update(items, ["response", "status", "earned", "graded_at"])
        AttemptStep.objects.create(
            attempt=attempt, action=StepAction.SUBMIT, data={"by": by}, actor=actor if signed_in(actor) else None
        )
        attempt.status = AttemptStatus.SUBMITTED
        attempt.submitted_at = submitted_at
        attempt.submitted_by = by
        attempt.late = submitted_at > rules.closes_at(attempt.run)
        attempt.save(update_fields=["status", "submitted_at", "submitted_by", "late", "updated_at"])
        attempt_rescore(attempt)
    return attempt, True


def _complete(attempt: Attempt) -> None:
    """The block is done for the learner once an attempt is submitted (their progress and the run's completion)."""
    # No longer enrolled, or the block left the published course: the attempt stands, progress has no row.
    with suppress(PermissionDenied, ValidationError, DomainError):
        course_services.progress_record(
            actor=attempt.user, run=attempt.run, content_id=str(attempt.content_id), opened=True, complete=True
        )


def attempt_submit(*, actor: Actor, attempt_id: int) -> Attempt:
    """The learner hands in their attempt; submitting twice is harmless (the second returns the submitted
    attempt). Past the deadline the attempt is submitted as it stood at time-out."""
    if not signed_in(actor):
        raise NotFound
    owner = Attempt.objects.filter(pk=attempt_id).values_list("user_id", "deadline_at").first()
    if owner is None or owner[0] != actor.pk:
        raise NotFound
    deadline = owner[1]
    timed_out = deadline is not None and timezone.now() >= deadline
    attempt, changed = _submit(
        attempt_id, by=SubmittedBy.TIMEOUT if timed_out else SubmittedBy.LEARNER, actor=None if timed_out else actor
    )
    if changed:
        _complete(attempt)
    return attempt


def attempt_expire(*, attempt: Attempt) -> Attempt:
    """An attempt past its deadline, submitted as it stands (``timeout``); any other attempt unchanged."""
    if (
        attempt.status != AttemptStatus.IN_PROGRESS
        or attempt.deadline_at is None
        or timezone.now() < attempt.deadline_at
    ):
        return attempt
    submitted, changed = _submit(attempt.pk, by=SubmittedBy.TIMEOUT, actor=None)
    if changed:
        _complete(submitted)
    return submitted


def attempts_expire_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """The worker's sweep: submit every running attempt whose deadline has passed; how many it submitted."""
    moment = now or timezone.now()
    ids = list(
        Attempt.objects.filter(status=AttemptStatus.IN_PROGRESS, deadline_at__lte=moment)
        .order_by("deadline_at")
        .values_list("id", flat=True)[:limit]
    )
    done = 0
    for attempt_id in ids:
        attempt, changed = _submit(attempt_id, by=SubmittedBy.TIMEOUT, actor=None)
        if changed:
            _complete(attempt)
            done += 1
    return done


__all__ = [
    "CHOICE_TYPES",
    "answer_save",
    "answer_upload",
    "assessment_block",
    "attempt_expire",
    "attempt_start",
    "attempt_submit",
    "attempts_expire_due",
    "latest_answers",
]
