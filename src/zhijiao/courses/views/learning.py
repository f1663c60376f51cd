"""The learners' pages: the course page (about, syllabus, teachers, runs, ratings), enrolling, the learning page
(outline with completion per unit, continue, previous/next, chapters opening later), 我的课程 and rating."""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from zhijiao.analytics.services import mark_viewed
from zhijiao.core.actors import MemberRequest
from zhijiao.core.errors import NotFound

from .. import selectors, services
from ..blocks import render_published_block
from ..selectors import learning


@require_safe
def course_page(request: HttpRequest, course_id: int) -> HttpResponse:
    """A course's page for learners and visitors: about, syllabus, teachers, runs to join, ratings."""
    course = selectors.access_course(actor=request.user, course_id=course_id)
    mark_viewed(request, course)  # a view of the course for its platform's hot list (analytics)
    enrolments = learning.enrolments_in(actor=request.user, course=course)
    enrolment = enrolments[0] if enrolments else None
    enrolled_runs = {item.run_id for item in enrolments}
    runs = learning.visible_runs(actor=request.user, course=course, enrolled=enrolled_runs)
    rows = [
        {
            "run": run,
            "state": learning.run_state(run),
            "can_enrol": selectors.enrolment_is_open(run) and run.pk not in enrolled_runs,
            "enrolled": run.pk in enrolled_runs,
        }
        for run in runs
    ]
    intro = course.intro_video if course.intro_video_id else None
    context: dict[str, Any] = {
        "course": course,
        "runs": rows,
        "enrolment": enrolment,
        "teachers": learning.teachers_of(course=course),
        "ratings": learning.recent_ratings(course=course),
        "my_rating": learning.rating_of(actor=request.user, course=course),
        "may_rate": enrolment is not None and learning.has_progress_in(actor=request.user, course=course),
        "intro": intro,
        "percent": int(enrolment.completion * 100) if enrolment else 0,
    }
    return render(request, "courses/learning/course.html", context)


@require_POST
@login_required
def enrol(request: MemberRequest, course_id: int) -> HttpResponse:
    """Join one of the course's runs (a SPOC's join code typed in the form), then start learning."""
    course = selectors.access_course(actor=request.user, course_id=course_id)
    try:
        run_id = int(request.POST.get("run", ""))
    except ValueError:
        raise NotFound from None
    run = next((item for item in learning.visible_runs(actor=request.user, course=course) if item.pk == run_id), None)
    if run is None:
        # A SPOC of another university is not offered, and is refused the same way when posted to directly.
        run = selectors.access_run(actor=request.user, run_id=run_id)
        if run.course_id != course.pk:
            raise NotFound
        run.course = course
    services.enrolment_create(actor=request.user, run=run, join_code=request.POST.get("join_code", ""))
    messages.success(request, _("选课成功，开始学习吧"))
    return redirect("courses:learn", course_id=course.pk)


def outline_html(*, course_id: int, view: learning.LearningView) -> SafeString:
    """The learning page's outline: chapters (with their opening time while closed), sections, and units with the
    learner's completion, linked while their chapter is open.

    Built here rather than in a template: the 250 units of a 1,000-block course cost ~40 ms a page through the
    template language (a ``{% url %}``, number localisation and a dozen lookups per unit) and ~1 ms as strings
    (cProfile of the pinned 1,000-block test). Every title is escaped; content ids are the outline's UUIDs."""
    prefix = reverse("courses:learn", args=[course_id])
    parts = [f'<nav class="learn-outline" aria-label="{escape(_("课程目录"))}">']
    for chapter in view.chapters:
        parts.append(f"<h2>{escape(chapter['title'])}</h2>")
        if not chapter["open"]:
            when = date_format(localtime(chapter["opens_at"]), "Y-m-d H:i")
            parts.append(f'<p class="course-meta learn-closed">{escape(_("%(when)s 开放") % {"when": when})}</p>')
        parts.append("<ul>")
        for entry in chapter["entries"]:
            title = escape(entry["title"])
            if entry["kind"] == "section":
                parts.append(f'<li class="learn-section">{title}</li>')
                continue
            content_id = entry["content_id"]
            current = entry["current"]
            if chapter["open"]:
                aria = ' aria-current="page"' if current else ""
                link = f'<a href="{prefix}{content_id}/"{aria}>{title}</a>'
            else:
                link = f"<span>{title}</span>"
            mark = "✓" if entry["complete"] else f"{entry['done']}/{entry['total']}"
            opening = '<li class="learn-current">' if current else "<li>"
            parts.append(f'{opening}{link} <span class="course-meta" data-unit="{content_id}">{mark}</span></li>')
        parts.append("</ul>")
    parts.append("</nav>")
    return mark_safe("".join(parts))  # noqa: S308 -- every interpolated title is escaped above


def _learn(request: MemberRequest, course_id: int, content_id: uuid.UUID | None) -> HttpResponse:
    enrolment = learning.learning_enrolment(actor=request.user, course_id=course_id)
    if enrolment is None:
        course = selectors.access_course(actor=request.user, course_id=course_id)
        messages.info(request, _("请先选课"))
        return redirect(course)
    course = enrolment.run.course
    view = learning.learning_view(
        actor=request.user,
        course=course,
        enrolment=enrolment,
        unit_id=str(content_id) if content_id else None,
    )
    context: dict[str, Any] = {
        "course": course,
        "enrolment": enrolment,
        "view": view,
        "outline": outline_html(course_id=course.pk, view=view),
    }
    if not view.unit_open:
        return render(request, "courses/learning/closed.html", context, status=403)
    outline = selectors.published_outline(course=course)
    node = selectors.find_node(outline, view.unit.content_id)
    assert node is not None
    context["blocks"] = [
        {
            "block": block,
            "html": render_published_block(
                block,
                course_id=course.pk,
                version_id=view.index.version_id,
                assets=outline["assets"],
                state=view.states.get(block["content_id"]),
            ),
            "complete": view.states.get(block["content_id"], {}).get("completed", False),
            "watched": view.states.get(block["content_id"], {}).get("watched", 0.0),
        }
        for block in node["blocks"]
    ]
    context["percent"] = int(learning.completion_share(view.completed, view.index.total) * 100)
    services.enrolment_visit(enrolment=enrolment, unit_id=view.unit.content_id)
    return render(request, "courses/learning/learn.html", context)


@require_safe
@login_required
def learn(request: MemberRequest, course_id: int) -> HttpResponse:
    """The learning page: continues where the learner left off."""
    return _learn(request, course_id, None)


@require_safe
@login_required
def learn_unit(request: MemberRequest, course_id: int, content_id: uuid.UUID) -> HttpResponse:
    """One unit of the learning page; a chapter not yet released says when it opens, and is refused."""
    return _learn(request, course_id, content_id)


@require_safe
@login_required
def mine(request: MemberRequest) -> HttpResponse:
    """我的课程: the courses I study, with my progress and what comes next."""
    return render(request, "courses/learning/mine.html", {"items": learning.my_enrolments(actor=request.user)})


@require_POST
@login_required
def rate(request: MemberRequest, course_id: int) -> HttpResponse:
    """Rate the course, or change my rating."""
    course = selectors.access_course(actor=request.user, course_id=course_id)
    try:
        stars = int(request.POST.get("stars", ""))
    except ValueError:
        raise ValidationError({"stars": [_("请选择 1 至 5 星")]}) from None
    services.rating_save(actor=request.user, course=course, stars=stars, comment=request.POST.get("comment", ""))
    messages.success(request, _("感谢您的评价"))
    return redirect(f"{reverse('courses:course', args=[course.pk])}#ratings")
