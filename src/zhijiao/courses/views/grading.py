"""Grading pages: a run's grading policy (成绩规则) and regrade status, its gradebook (成绩册: every learner ×
assessment, filters, distribution chart, overrides with a reason, Excel export) for its teaching team, and the
learner's own progress page (我的成绩). Every page reads kept grades; none recomputes one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from zhijiao.core.actors import MemberRequest
from zhijiao.core.errors import NotFound
from zhijiao.core.params import page_number
from zhijiao.core.views import service_errors

from .. import selectors, services
from ..grading_forms import GradingPolicyForm, OverrideForm
from ..models import CourseGrade, Run
from .teaching import _page, _run

BANDS = ["0–9", "10–19", "20–29", "30–39", "40–49", "50–59", "60–69", "70–79", "80–89", "90–100"]


def _back(run: Run, name: str, *args: Any) -> str:
    return reverse(f"courses:{name}", args=[run.course_id, run.pk, *args])


@require_http_methods(["GET", "POST"])
@login_required
def run_grading(request: MemberRequest, course_id: int, run_id: int) -> HttpResponse:
    """The run's grading policy: categories and weights, dropped lowest, pass lines, unlock rules; and the state
    of the latest regrade."""
    run = _run(request, course_id, run_id)
    policy = selectors.run_policy(run=run)
    form = GradingPolicyForm(request.POST or None, policy=policy)
    if request.method == "POST" and form.is_valid():
        with service_errors(form) as outcome, form.rows_named():
            services.run_grading_policy_set(actor=request.user, run=run, policy=form.policy_data())
        if outcome.ok:
            messages.success(request, _("成绩规则已保存，全部学习者的成绩正在后台重算"))
            return redirect(_back(run, "run_grading"))
    return _page(
        request,
        "grading.html",
        run,
        "grading",
        status=422 if form.errors else 200,
        form=form,
        policy=policy,
        regrade=selectors.latest_regrade(run=run),
    )


@require_POST
@login_required
def run_regrade(request: MemberRequest, course_id: int, run_id: int) -> HttpResponse:
    """Recompute every grade of the run in the background (after scores were changed outside the engine)."""
    run = _run(request, course_id, run_id, change=True)
    services.run_regrade_request(actor=request.user, run=run, reason="manual")
    messages.success(request, _("已提交重算，完成后本页显示结果"))
    return redirect(_back(run, "run_grading"))


@require_safe
@login_required
def gradebook(request: MemberRequest, course_id: int, run_id: int) -> HttpResponse:
    """Every learner × assessment of the run with their course grade and level, filtered by level, category and
    name, 50 a page, with the grade distribution."""
    run = _run(request, course_id, run_id)
    policy = selectors.run_policy(run=run)
    level = selectors.clean_level(request.GET.get("level"))
    category = request.GET.get("category", "")
    category = category if policy.category(category) else ""
    search = request.GET.get("q", "").strip()[:40]
    page = selectors.gradebook(
        run=run, level=level, category=category, search=search, page=page_number(request.GET.get("page"))
    )
    bands, counts = selectors.grade_summary(run=run)
    filters = {key: value for key, value in {"level": level, "category": category, "q": search}.items() if value}
    return _page(
        request,
        "gradebook.html",
        run,
        "gradebook",
        page=page,
        policy=policy,
        level=level,
        category=category,
        search=search,
        levels=CourseGrade.Level.choices,
        counts=counts,
        bands=list(zip(BANDS, bands, strict=True)),
        chart_data={"grades": {"labels": BANDS, "values": bands}},
        query=urlencode(filters),
        regrade=selectors.latest_regrade(run=run),
    )


@require_http_methods(["GET", "POST"])
@login_required
def gradebook_learner(request: MemberRequest, course_id: int, run_id: int, user_id: int) -> HttpResponse:
    """One learner's scores in the run, each with its source and any override; the run's teachers override a
    score here with a reason."""
    run = _run(request, course_id, run_id)
    enrolment = selectors.learners_of(run=run).filter(user_id=user_id).first()
    if enrolment is None:
        raise NotFound
    items = selectors.graded_items(run=run)
    form = OverrideForm(request.POST or None, items=items, initial={"content_id": request.GET.get("item")})
    if request.method == "POST" and form.is_valid():
        with service_errors(form) as outcome:
            services.score_override(actor=request.user, run=run, user_id=user_id, **form.cleaned_data)
        if outcome.ok:
            messages.success(request, _("成绩已调整，并已记入操作日志"))
            return redirect(_back(run, "gradebook_learner", user_id))
    scores = {str(score.content_id): score for score in selectors.learner_scores(run=run, user_id=user_id)}
    rows = [{"item": item, "score": scores.get(str(item.content_id))} for item in items]
    grade = CourseGrade.objects.filter(enrolment=enrolment).first()
    return _page(
        request,
        "gradebook_learner.html",
        run,
        "gradebook",
        status=422 if form.errors else 200,
        learner=enrolment.user,
        grade=grade,
        rows=rows,
        form=form,
    )


@require_safe
@login_required
def gradebook_export(request: MemberRequest, course_id: int, run_id: int) -> HttpResponse:
    """The whole gradebook as an Excel workbook."""
    run = _run(request, course_id, run_id)
    data = services.gradebook_export(actor=request.user, run=run)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="gradebook-{run.course_id}-{run.pk}.xlsx"'
    return response


@require_safe
@login_required
def progress(request: MemberRequest, course_id: int) -> HttpResponse:
    """The learner's own grade in the course: the course grade and level against the pass lines, each category
    with its weight, and each assessment counted, dropped or missing."""
    course = selectors.access_course(actor=request.user, course_id=course_id)
    mine = selectors.my_grade(actor=request.user, course=course)
    chart = {
        "categories": {
            "labels": [row.label for row in mine.categories],
            "values": [float(row.percent) for row in mine.categories],
        }
    }
    return render(
        request,
        "courses/learning/progress.html",
        {"course": course, "mine": mine, "run": mine.enrolment.run, "chart_data": chart},
    )
