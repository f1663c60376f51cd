"""Run management pages (/courses/<id>/runs/…): the runs a person teaches, a run's settings, chapter release
schedule, staff, SPOC roster (import with a template), learners' progress and announcements.

Each page reads the run through ``selectors.access_taught_run`` (not found for anyone who neither teaches nor
assists it); a change asks ``selectors.may_teach_run`` — assistants read, and are refused a change — and goes
through the same service as the API.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from zhijiao.core.actors import MemberRequest
from zhijiao.core.views import service_errors

from .. import selectors, services
from ..models import Run
from ..run_forms import AnnouncementForm, RosterForm, RunForm, ScheduleForm, StaffForm

LEARNERS_SHOWN = 500


def _run(request: MemberRequest, course_id: int, run_id: int, *, change: bool = False) -> Run:
    run = selectors.access_taught_run(actor=request.user, course_id=course_id, run_id=run_id)
    if (change or request.method == "POST") and not selectors.may_teach_run(request.user, run):
        raise PermissionDenied(_("助教可以查看名单和学习进度，不能修改开课"))
    return run


def _page(request: MemberRequest, template: str, run: Run, section: str, status: int = 200, **context: Any) -> Any:
    context.update(
        run=run,
        course=run.course,
        section=section,
        may_change=selectors.may_teach_run(request.user, run),
    )
    return render(request, f"courses/runs/{template}", context, status=status)


def _back(run: Run, name: str) -> str:
    return reverse(f"courses:{name}", args=[run.course_id, run.pk])


@require_safe
@login_required
def run_list(request: MemberRequest, course_id: int) -> HttpResponse:
    """The runs of a course that the person teaches or assists; the course team opens new ones here."""
    course = selectors.access_course(actor=request.user, course_id=course_id)
    runs = selectors.runs_taught(actor=request.user, course_id=course_id)
    may_open = selectors.can_edit_course(request.user, course)
    if not runs and not may_open:
        raise PermissionDenied(_("只有本课程的教学团队可以管理开课"))
    return render(request, "courses/runs/list.html", {"course": course, "runs": runs, "may_open": may_open})


@require_http_methods(["GET", "POST"])
@login_required
def run_create(request: MemberRequest, course_id: int) -> HttpResponse:
    """The course team opens a run (开课)."""
    course = selectors.access_course(actor=request.user, course_id=course_id)
    if not selectors.can_edit_course(request.user, course):
        raise PermissionDenied(_("只有本课程的负责人和主讲教师可以开课"))
    form = RunForm(request.POST or None, actor=request.user, initial={"kind": Run.Kind.OPEN})
    if request.method == "POST" and form.is_valid():
        with service_errors(form) as outcome:
            run = services.run_create(actor=request.user, course=course, **form.run_data())
        if outcome.ok:
            messages.success(request, _("已开课：%(title)s") % {"title": run.title})
            return redirect(_back(run, "run_settings"))
    status = 422 if form.errors else 200
    return render(request, "courses/runs/create.html", {"course": course, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def run_settings(request: MemberRequest, course_id: int, run_id: int) -> HttpResponse:
    """A run's settings: open or SPOC, enrolment window, dates, certificate rule, join code."""
    run = _run(request, course_id, run_id)
    form = RunForm(request.POST or None, actor=request.user, initial=RunForm.initial_of(run))
    if request.method == "POST" and form.is_valid():
        with service_errors(form) as outcome:
            services.run_update(actor=request.user, run=run, **form.run_data())
        if outcome.ok:
            messages.success(request, _("开课设置已保存"))
            return redirect(_back(run, "run_settings"))
        run.refresh_from_db()
    return _page(
        request,
        "settings.html",
        run,
        "settings",
        status=422 if form.errors else 200,
        form=form,
        regrade=selectors.latest_regrade(run=run),
    )


@require_http_methods(["GET", "POST"])
@login_required
def run_schedule(request: MemberRequest, course_id: int, run_id: int) -> HttpResponse:
    """When each chapter opens to the run's learners (blank: when the run starts)."""
    run = _run(request, course_id, run_id)
    chapters = selectors.chapters_of(run=run)
    form = ScheduleForm(request.POST or None, chapters=chapters)
    if request.method == "POST" and form.is_valid():
        with service_errors(form) as outcome:
            services.run_releases_set(actor=request.user, run=run, schedule=form.cleaned_data)
        if outcome.ok:
            messages.success(request, _("章节发布时间已保存"))
            return redirect(_back(run, "run_schedule"))
    return _page(request, "schedule.html", run, "schedule", status=422 if form.errors else 200, form=form)


@require_http_methods(["GET", "POST"])
@login_required
def run_staff(request: MemberRequest, course_id: int, run_id: int) -> HttpResponse:
    """The run's lead teacher, teachers and teaching assistants; add one by their registered mobile number."""
    run = _run(request, course_id, run_id)
    form = StaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors(form) as outcome:
            member = services.run_staff_add(actor=request.user, run=run, **form.cleaned_data)
        if outcome.ok:
            messages.success(request, _("已添加：%(name)s") % {"name": member.user})
            return redirect(_back(run, "run_staff"))
    staff = list(selectors.staff_of(run=run))
    return _page(request, "staff.html", run, "staff", status=422 if form.errors else 200, form=form, staff=staff)


@require_POST
@login_required
def run_staff_remove(request: MemberRequest, course_id: int, run_id: int, user_id: int) -> HttpResponse:
    run = _run(request, course_id, run_id, change=True)
    services.run_staff_remove(actor=request.user, run=run, user_id=user_id)
    messages.success(request, _("已移出本开课的教学团队"))
    return redirect(_back(run, "run_staff"))


@require_http_methods(["GET", "POST"])
@login_required
def run_roster(request: MemberRequest, course_id: int, run_id: int) -> HttpResponse:
    """A SPOC's roster (选课名单): import from CSV or Excel, see who has joined."""
    run = _run(request, course_id, run_id)
    form = RosterForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with service_errors(form):
            report = services.roster_import(
                actor=request.user,
                run=run,
                data=upload.read(services.ROSTER_MAX_BYTES + 1),
                filename=upload.name,
            )
    roster = list(selectors.roster_of(run=run))
    status = 422 if form.errors else 200
    return _page(request, "roster.html", run, "roster", status=status, form=form, report=report, roster=roster)


@require_safe
@login_required
def run_roster_template(request: MemberRequest, course_id: int, run_id: int) -> HttpResponse:
    """The roster template: a CSV with the two columns and an example line (with a BOM, so Excel reads it)."""
    _run(request, course_id, run_id)
    # The import reads either language's column names.
    header = "student number,name" if get_language() == "en" else "学号,姓名"
    body = f"{header}\r\n2026010001,张三\r\n"
    response = HttpResponse("\ufeff" + body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="run-roster-template.csv"'
    return response


@require_POST
@login_required
def run_roster_remove(request: MemberRequest, course_id: int, run_id: int, entry_id: int) -> HttpResponse:
    run = _run(request, course_id, run_id, change=True)
    services.roster_entry_remove(actor=request.user, run=run, entry_id=entry_id)
    messages.success(request, _("已从名单中删除"))
    return redirect(_back(run, "run_roster"))


@require_safe
@login_required
def run_learners(request: MemberRequest, course_id: int, run_id: int) -> HttpResponse:
    """The run's learners with their completion (teachers and assistants)."""
    run = _run(request, course_id, run_id)
    learners = list(selectors.learners_of(run=run)[:LEARNERS_SHOWN])
    return _page(request, "learners.html", run, "learners", learners=learners, shown=LEARNERS_SHOWN)


@require_http_methods(["GET", "POST"])
@login_required
def run_announcements(request: MemberRequest, course_id: int, run_id: int) -> HttpResponse:
    """Announcements to the run's learners; each is also sent to them as a notification."""
    run = _run(request, course_id, run_id)
    form = AnnouncementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors(form) as outcome:
            services.announcement_create(actor=request.user, run=run, **form.cleaned_data)
        if outcome.ok:
            messages.success(request, _("公告已发布，并已通知本开课的学习者"))
            return redirect(_back(run, "run_announcements"))
    items = list(selectors.announcements_of(run=run)[:100])
    status = 422 if form.errors else 200
    return _page(request, "announcements.html", run, "announcements", status=status, form=form, items=items)
