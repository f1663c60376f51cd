"""Writes of the learners' side: the counts an enrolment keeps, where a learner is in a course, and ratings.

Counts are kept with one ``F()`` update each (never a recount), so the catalogue sorts 27,000 courses by them.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijiao.accounts.models import User
from zhijiao.core.actors import Actor, signed_in
from zhijiao.core.errors import DomainError

from ..models import BlockProgress, Course, Enrolment, Rating, Run
from ..selectors import learning as learning_selectors


def enrolment_counted(*, run: Run) -> None:
    """One more learner in the run and its course (called inside the enrolment's transaction)."""
    Run.objects.filter(pk=run.pk).update(enrolment_count=F("enrolment_count") + 1)
    Course.objects.filter(pk=run.course_id).update(enrolment_count=F("enrolment_count") + 1)


def progress_gate(*, actor: Actor, run: Run, content_id: str) -> str:
    """The unit holding a block the learner reports on; refused while its chapter is not yet released."""
    index = learning_selectors.learning_index(course=run.course)
    unit_id = index.unit_of_block.get(content_id)
    if unit_id is None:
        raise ValidationError({"content_id": [_("本课程中没有这一内容")]})
    unit = index.unit(unit_id)
    assert unit is not None
    if not learning_selectors.chapter_is_open(run, unit.chapter) and not learning_selectors.can_view_draft(
        actor, run.course
    ):
        raise DomainError("chapter_closed", _("这一章尚未开放"), status=403)
    return unit_id


def enrolment_progressed(*, actor: User, run: Run, unit_id: str, newly_completed: bool) -> None:
    """Keep the learner's enrolment current: the unit last studied, when, and (when a block was just completed)
    the share of the published version's blocks completed."""
    changes: dict[str, object] = {"last_unit": uuid.UUID(unit_id), "last_studied_at": timezone.now()}
    if newly_completed:
        index = learning_selectors.learning_index(course=run.course)
        completed = BlockProgress.objects.filter(
            user=actor, content_id__in=index.block_ids, completed_at__isnull=False
        ).count()
        changes["completion"] = learning_selectors.completion_share(completed, index.total)
    Enrolment.objects.filter(run=run, user=actor).update(**changes)


def enrolment_visit(*, enrolment: Enrolment, unit_id: str) -> None:
    """The learner opened a unit: "continue where I left off" goes back to it."""
    if enrolment.last_unit is not None and str(enrolment.last_unit) == unit_id:
        return
    now = timezone.now()
    Enrolment.objects.filter(pk=enrolment.pk).update(last_unit=uuid.UUID(unit_id), last_studied_at=now)
    enrolment.last_unit, enrolment.last_studied_at = uuid.UUID(unit_id), now


@transaction.atomic
def rating_save(*, actor: Actor, course: Course, stars: int, comment: str = "") -> Rating:
    """A learner rates the course (1–5 stars with a comment) once they have made some progress; rating again
    changes their rating. The course's rating count and sum change with it."""
    if not signed_in(actor):
        raise PermissionDenied(_("请先登录"))
    if not learning_selectors.has_progress_in(actor=actor, course=course):
        raise DomainError("no_progress", _("学完至少一项内容后才能评价"), status=403)
    if isinstance(stars, bool) or not isinstance(stars, int) or not 1 <= stars <= 5:
        raise ValidationError({"stars": [_("请选择 1 至 5 星")]})
    comment = (comment or "").strip()
    if len(comment) > 1000:
        raise ValidationError({"comment": [_("评语不能超过 1000 字")]})
    rating = Rating.objects.select_for_update().filter(course=course, user=actor).first()
    if rating is None:
        rating = Rating(course=course, user=actor, stars=stars, comment=comment)
        rating.full_clean()
        rating.save()
        Course.objects.filter(pk=course.pk).update(
            rating_count=F("rating_count") + 1, rating_sum=F("rating_sum") + stars
        )
    else:
        change = stars - rating.stars
        rating.stars, rating.comment = stars, comment
        rating.full_clean()
        rating.save()
        if change:
            Course.objects.filter(pk=course.pk).update(rating_sum=F("rating_sum") + change)
    return rating
