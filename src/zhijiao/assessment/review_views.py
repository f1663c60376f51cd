"""Grading pages under a run (/courses/<id>/runs/<run>/…): the teaching team's grading queue (批阅) and one page per
answer with the question, the rubric's score boxes, the learner's answer and 下一份; the learner's 互评 page (what they
owe, the review form, their done reviews, and the reviews of their own answers once they may see them). Mobile
first, no JavaScript needed; the same selectors and services as the API."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from zhijiao.core.actors import MemberRequest
from zhijiao.core.errors import NotFound
from zhijiao.core.views import service_errors
from zhijiao.courses import selectors as courses
from zhijiao.courses.models import Run

from . import selectors, services
from .models import ItemStatus
from .review_forms import STATUS_LABELS, QueueFilterForm, ScoreForm

PAGE_SIZE = 30


def _grading_run(request: MemberRequest, course_id: int, run_id: int) -> Run:
    return selectors.access_grading_run(actor=request.user, course_id=course_id, run_id=run_id)


def _filters(request: MemberRequest, run: Run) -> tuple[QueueFilterForm, selectors.QueueFilter, str]:
    form = QueueFilterForm(request.GET or None, assessments=selectors.queue_assessments(run=run))
    filters = selectors.QueueFilter()
    if form.is_valid():
        content_id = form.cleaned_data["content_id"]
        filters = selectors.QueueFilter(
            content_id=uuid.UUID(content_id) if content_id else None, status=form.cleaned_data["status"] or "waiting"
        )
    query = {key: request.GET[key] for key in ("content_id", "status") if request.GET.get(key)}
    return form, filters, urlencode(query)


def _page(request: MemberRequest, template: str, run: Run, status: int = 200, **context: Any) -> HttpResponse:
    context.update(run=run, course=run.course, section="marking", may_change=courses.may_teach_run(request.user, run))
    return render(request, f"assessment/review/{template}", context, status=status)


@require_safe
@login_required
def queue(request: MemberRequest, course_id: int, run_id: int) -> HttpResponse:
    """批阅: the run's answers waiting for the teaching team, oldest first, filtered by assessment and status."""
    run = _grading_run(request, course_id, run_id)
    form, filters, query = _filters(request, run)
    page = Paginator(selectors.grading_queue(run=run, filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return _page(request, "queue.html", run, form=form, page=page, query=query, filters=filters, labels=STATUS_LABELS)


@require_http_methods(["GET", "POST"])
@login_required
def grade(request: MemberRequest, course_id: int, run_id: int, item_id: int) -> HttpResponse:
    """One answer to grade: the question and its reference, the learner's answer, a score box per rubric criterion
    and feedback; saving goes on to the next answer waiting (下一份)."""
    run = _grading_run(request, course_id, run_id)
    item = selectors.access_gradable_item(actor=request.user, item_id=item_id, run=run)
    selectors.with_files([item])
    _form, filters, query = _filters(request, run)
    initial: dict[str, Any] = {"feedback": item.feedback}
    for index, value in enumerate(item.rubric_scores or []):
        initial[f"scores.{index}"] = value
    if item.earned is not None and not selectors.rubric_of(item):
        initial["score"] = item.earned
    form = ScoreForm(request.POST or None, item=item, initial=initial)
    if request.method == "POST" and form.is_valid():
        with service_errors(form) as outcome:
            services.item_grade(actor=request.user, item=item, **form.service_values())
        if outcome.ok:
            messages.success(request, _("已评分：%(learner)s，%(title)s 第 %(n)d 题") % {
                "learner": item.attempt.user, "title": item.attempt.title, "n": item.position,
            })  # fmt: skip
            following = selectors.next_in_queue(run=run, filters=filters, after=item)
            base = reverse("assessment_review:queue", args=[run.course_id, run.pk])
            if following is not None:
                base = reverse("assessment_review:grade", args=[run.course_id, run.pk, following.pk])
            return redirect(f"{base}?{query}" if query else base)
    following = selectors.next_in_queue(run=run, filters=filters, after=item)
    return _page(
        request,
        "grade.html",
        run,
        status=422 if form.errors else 200,
        item=item,
        form=form,
        following=following,
        query=query,
        steps=selectors.item_steps(item=item),
        reference=(item.version.data or {}).get("reference", ""),
    )


# --- Peer review (the learner's side) ------------------------------------------------------------------------------


def _learner_run(request: MemberRequest, course_id: int, run_id: int) -> Run:
    run = courses.access_run(actor=request.user, run_id=run_id)
    if run.course_id != course_id:
        raise NotFound
    return run


@require_safe
@login_required
def peer(request: MemberRequest, course_id: int, run_id: int) -> HttpResponse:
    """互评: for each peer-reviewed homework the learner submitted, the reviews they owe and the button for the next
    one, their reviews in progress and done, and the reviews of their own answers once they may see their score."""
    run = _learner_run(request, course_id, run_id)
    tasks = selectors.peer_tasks(actor=request.user, run=run)
    received = {task.content_id: selectors.reviews_received(attempt=task.attempt) for task in tasks}
    context = {
        "run": run,
        "course": run.course,
        "rows": [{"task": task, "received": received[task.content_id]} for task in tasks],
        "reviews": list(selectors.reviews_by(actor=request.user, run=run)),
    }
    return render(request, "assessment/review/peer.html", context)


@require_POST
@login_required
def peer_next(request: MemberRequest, course_id: int, run_id: int, content_id: uuid.UUID) -> HttpResponse:
    run = _learner_run(request, course_id, run_id)
    review = services.review_next(actor=request.user, run=run, content_id=content_id)
    if review is None:
        messages.info(request, _("您已完成应做的互评，或暂时没有可评的同学答案，请稍后再来。"))
        return redirect("assessment_review:peer", course_id=run.course_id, run_id=run.pk)
    return redirect("assessment_review:review", course_id=run.course_id, run_id=run.pk, review_id=review.pk)


@require_http_methods(["GET", "POST"])
@login_required
def review(request: MemberRequest, course_id: int, run_id: int, review_id: int) -> HttpResponse:
    """One peer answer to review, without its author's name: the question, the answer, the rubric's score boxes and
    a comment; a done review is shown as it was given."""
    run = _learner_run(request, course_id, run_id)
    found = selectors.access_review(actor=request.user, review_id=review_id)
    if found.item.attempt.run_id != run.pk:
        raise NotFound
    selectors.with_files([found.item], anonymous=True)
    initial = {f"scores.{index}": value for index, value in enumerate(found.rubric_scores or [])}
    form = ScoreForm(request.POST or None, item=found.item, comment_field="comment", initial=initial)
    if request.method == "POST" and form.is_valid():
        with service_errors(form) as outcome:
            services.review_submit(actor=request.user, review=found, **form.service_values())
        if outcome.ok:
            messages.success(request, _("互评已提交，谢谢！"))
            return redirect("assessment_review:peer", course_id=run.course_id, run_id=run.pk)
    context = {
        "run": run,
        "course": run.course,
        "review": found,
        "item": found.item,
        "form": form,
        "done": found.submitted_at is not None,
        "status_graded": ItemStatus.GRADED,
    }
    return render(request, "assessment/review/review.html", context, status=422 if form.errors else 200)
