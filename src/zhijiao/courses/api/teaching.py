"""Run management API (/api/v1/courses/<id>/runs/<run_id>/…): a run's settings, chapter release schedule, staff,
SPOC roster, learners' progress and announcements. Each operation reads the run through
``selectors.access_taught_run`` (not found for anyone who does not teach or assist it) and calls one service, which
asks ``may_teach_run`` again before it changes anything."""

from typing import Any

from django.utils.translation import gettext as _
from ninja import File, Router, Status
from ninja.files import UploadedFile

from zhijiao.core.actors import MemberRequest
from zhijiao.core.api_auth import session_or_token
from zhijiao.core.errors import NotFound
from zhijiao.core.params import Id, Int
from zhijiao.orgs.selectors import organization_get

from .. import selectors, services
from ..models import Run
from ..schemas import (
    AnnouncementIn,
    AnnouncementOut,
    LearnerOut,
    ReleaseOut,
    RosterEntryOut,
    RosterReportOut,
    RunManageOut,
    RunPatchIn,
    RunStaffIn,
    RunStaffOut,
    ScheduleIn,
)
from . import ERRORS, run_out

router = Router(tags=["courses"], auth=session_or_token)
PREFIX = "/{course_id}/runs/{run_id}"


def run_manage_out(run: Run, actor: Any) -> dict[str, Any]:
    return {
        **run_out(run, actor),
        "university_id": run.university_id,
        "join_code": run.join_code,
        "certificate_completion": run.certificate_completion,
        "may_change": selectors.may_teach_run(actor, run),
    }


@router.get(PREFIX, response={200: RunManageOut, **ERRORS}, operation_id="courses_run_manage_get")
def run_get(request: MemberRequest, course_id: Id, run_id: Id) -> Any:
    """A run as its teachers and assistants see it (with the join code and the certificate rule)."""
    run = selectors.access_taught_run(actor=request.user, course_id=course_id, run_id=run_id)
    return run_manage_out(run, request.user)


@router.patch(PREFIX, response={200: RunManageOut, **ERRORS}, operation_id="courses_run_update")
def run_update(request: MemberRequest, course_id: Id, run_id: Id, data: RunPatchIn) -> Any:
    """Change a run: open or SPOC, its university and join code, enrolment window, dates, certificate rule."""
    run = selectors.access_taught_run(actor=request.user, course_id=course_id, run_id=run_id)
    fields = data.model_dump(exclude_unset=True)
    if "university_id" in fields:
        university_id = fields.pop("university_id")
        try:
            fields["university"] = organization_get(organization_id=university_id) if university_id else None
        except NotFound:
            from django.core.exceptions import ValidationError

            raise ValidationError({"university_id": [_("找不到这所高校")]}) from None
    for name in [name for name, value in fields.items() if value is None and name != "university"]:
        fields.pop(name)  # null means "unchanged" for the required fields
    run = services.run_update(actor=request.user, run=run, **fields)
    return run_manage_out(run, request.user)


@router.get(f"{PREFIX}/schedule", response={200: list[ReleaseOut], **ERRORS}, operation_id="courses_run_schedule")
def schedule(request: MemberRequest, course_id: Id, run_id: Id) -> Any:
    """The course's chapters with the time each opens to this run's learners (null: when the run starts)."""
    run = selectors.access_taught_run(actor=request.user, course_id=course_id, run_id=run_id)
    return selectors.chapters_of(run=run)


@router.put(f"{PREFIX}/schedule", response={200: list[ReleaseOut], **ERRORS}, operation_id="courses_run_schedule_set")
def schedule_set(request: MemberRequest, course_id: Id, run_id: Id, data: ScheduleIn) -> Any:
    """Set chapters' release times (null clears one); chapters not named keep theirs. Errors name the chapter."""
    run = selectors.access_taught_run(actor=request.user, course_id=course_id, run_id=run_id)
    services.run_releases_set(
        actor=request.user, run=run, schedule={item.content_id: item.opens_at for item in data.releases}
    )
    return selectors.chapters_of(run=run)


def staff_out(member: Any) -> dict[str, Any]:
    return {"user_id": member.user_id, "name": str(member.user), "role": member.role}


@router.get(f"{PREFIX}/staff", response={200: list[RunStaffOut], **ERRORS}, operation_id="courses_run_staff")
def staff(request: MemberRequest, course_id: Id, run_id: Id) -> Any:
    run = selectors.access_taught_run(actor=request.user, course_id=course_id, run_id=run_id)
    return [staff_out(member) for member in selectors.staff_of(run=run)]


@router.post(f"{PREFIX}/staff", response={201: RunStaffOut, **ERRORS}, operation_id="courses_run_staff_add")
def staff_add(request: MemberRequest, course_id: Id, run_id: Id, data: RunStaffIn) -> Any:
    """Add a lead teacher, teacher or teaching assistant to the run by their registered mobile number."""
    run = selectors.access_taught_run(actor=request.user, course_id=course_id, run_id=run_id)
    member = services.run_staff_add(actor=request.user, run=run, phone=data.phone, role=data.role)
    return Status(201, staff_out(member))


@router.delete(f"{PREFIX}/staff/{{user_id}}", response={204: None, **ERRORS}, operation_id="courses_run_staff_remove")
def staff_remove(request: MemberRequest, course_id: Id, run_id: Id, user_id: Id) -> Any:
    run = selectors.access_taught_run(actor=request.user, course_id=course_id, run_id=run_id)
    services.run_staff_remove(actor=request.user, run=run, user_id=user_id)
    return Status(204, None)


@router.get(f"{PREFIX}/roster", response={200: list[RosterEntryOut], **ERRORS}, operation_id="courses_run_roster")
def roster(request: MemberRequest, course_id: Id, run_id: Id) -> Any:
    """A SPOC's roster, with who has joined (teachers and assistants)."""
    run = selectors.access_taught_run(actor=request.user, course_id=course_id, run_id=run_id)
    return [
        {"id": e.pk, "student_number": e.student_number, "name": e.name, "joined": e.user_id is not None}
        for e in selectors.roster_of(run=run)
    ]


@router.post(f"{PREFIX}/roster", response={200: RosterReportOut, **ERRORS}, operation_id="courses_run_roster_import")
def roster_import(request: MemberRequest, course_id: Id, run_id: Id, file: File[UploadedFile]) -> Any:
    """Import a SPOC's roster from CSV or Excel (学号, 姓名); each bad line comes back with its number."""
    run = selectors.access_taught_run(actor=request.user, course_id=course_id, run_id=run_id)
    data = file.read(services.ROSTER_MAX_BYTES + 1)
    report = services.roster_import(actor=request.user, run=run, data=data, filename=file.name or "")
    return report.__dict__


@router.delete(
    f"{PREFIX}/roster/{{entry_id}}", response={204: None, **ERRORS}, operation_id="courses_run_roster_remove"
)
def roster_remove(request: MemberRequest, course_id: Id, run_id: Id, entry_id: Id) -> Any:
    run = selectors.access_taught_run(actor=request.user, course_id=course_id, run_id=run_id)
    services.roster_entry_remove(actor=request.user, run=run, entry_id=entry_id)
    return Status(204, None)


@router.get(f"{PREFIX}/learners", response={200: list[LearnerOut], **ERRORS}, operation_id="courses_run_learners")
def learners(request: MemberRequest, course_id: Id, run_id: Id, limit: Int = 200, offset: Int = 0) -> Any:
    """The run's learners and their progress (teachers and assistants), most advanced first."""
    run = selectors.access_taught_run(actor=request.user, course_id=course_id, run_id=run_id)
    limit, offset = max(1, min(limit, 500)), max(0, offset)
    return [
        {
            "user_id": e.user_id,
            "name": str(e.user),
            "completion": e.completion,
            "last_studied_at": e.last_studied_at,
            "enrolled_at": e.created_at,
        }
        for e in selectors.learners_of(run=run)[offset : offset + limit]
    ]


def announcement_out(item: Any) -> dict[str, Any]:
    return {
        "id": item.pk,
        "title": item.title,
        "body": item.body,
        "author": str(item.author) if item.author else "",
        "created_at": item.created_at,
    }


@router.get(
    f"{PREFIX}/announcements", response={200: list[AnnouncementOut], **ERRORS}, operation_id="courses_run_announcements"
)
def announcements(request: MemberRequest, course_id: Id, run_id: Id) -> Any:
    run = selectors.access_taught_run(actor=request.user, course_id=course_id, run_id=run_id)
    return [announcement_out(item) for item in selectors.announcements_of(run=run)[:100]]


@router.post(f"{PREFIX}/announcements", response={201: AnnouncementOut, **ERRORS}, operation_id="courses_run_announce")
def announce(request: MemberRequest, course_id: Id, run_id: Id, data: AnnouncementIn) -> Any:
    """Post an announcement to the run's learners; each gets a notification linking to the course page."""
    run = selectors.access_taught_run(actor=request.user, course_id=course_id, run_id=run_id)
    item = services.announcement_create(actor=request.user, run=run, title=data.title, body=data.body)
    return Status(201, announcement_out(item))
