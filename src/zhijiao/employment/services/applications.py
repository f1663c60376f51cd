"""Applications: a graduate applies once, the employer moves it along its pipeline (written test, interview,
offer), the graduate withdraws, accepts or declines."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijiao.accounts.models import User
from zhijiao.core.errors import DomainError, NotFound
from zhijiao.notifications.services import notification_kinds, notify

from .. import selectors
from ..models import Agreement, Application, ApplicationEvent, Job, Resume
from .agreements import agreement_create
from .employers import notify_recruiters
from .resumes import resume_snapshot

# What the message centre calls the messages sent here.
NOTIFICATION_KINDS = notification_kinds(
    {
        "application": gettext_lazy("求职申请"),
    }
)


S = Application.Status
# Which statuses the employer may move an application to, from each status.
EMPLOYER_MOVES: dict[str, set[str]] = {
    S.SUBMITTED: {S.VIEWED, S.WRITTEN_TEST, S.INTERVIEW, S.OFFER, S.REJECTED},
    S.VIEWED: {S.WRITTEN_TEST, S.INTERVIEW, S.OFFER, S.REJECTED},
    S.WRITTEN_TEST: {S.WRITTEN_TEST, S.INTERVIEW, S.OFFER, S.REJECTED},
    S.INTERVIEW: {S.INTERVIEW, S.OFFER, S.REJECTED},
    S.OFFER: {S.REJECTED},
}
OPEN_STATUSES = {S.SUBMITTED, S.VIEWED, S.WRITTEN_TEST, S.INTERVIEW, S.OFFER}


@transaction.atomic
def application_submit(*, graduate: User, job: Job, resume: Resume, cover_letter: str = "") -> Application:
    """A graduate applies to an open job with one of their resumes; once per job."""
    if resume.owner_id != graduate.pk:
        raise NotFound
    if not job.is_open(on=timezone.localdate()):
        raise DomainError("job_closed", _("该岗位已停止招聘"))
    if Application.objects.filter(graduate=graduate, job=job).exists():
        raise DomainError("already_applied", _("您已投递过该岗位"))
    application = Application(
        graduate=graduate,
        job=job,
        resume=resume,
        resume_snapshot=resume_snapshot(resume),
        cover_letter=cover_letter.strip(),
        status=S.SUBMITTED,
    )
    application.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:  # a double click raced past the check
        raise DomainError("already_applied", _("您已投递过该岗位")) from exc
    ApplicationEvent.objects.create(application=application, status=S.SUBMITTED, actor=graduate)
    notify_recruiters(
        job.employer,
        title=_("收到新的简历：%(job)s") % {"job": job.title},
        body=_("%(name)s 投递了“%(job)s”。") % {"name": resume.full_name, "job": job.title},
        url=reverse("employment:job_pipeline", args=[job.pk]),
        kind="application",
    )
    return application


def _event(application: Application, *, status: str, actor: User, **details: Any) -> ApplicationEvent:
    event = ApplicationEvent(application=application, status=status, actor=actor, **details)
    event.full_clean()
    event.save()
    application.status = status
    application.save(update_fields=["status", "updated_at"])
    return event


@transaction.atomic
def application_move(
    *,
    actor: User,
    application: Application,
    status: str,
    scheduled_at: datetime | None = None,
    place: str = "",
    link: str = "",
    note: str = "",
) -> ApplicationEvent:
    """The employer moves an application along its pipeline; the graduate is told."""
    if not selectors.can_manage_job(actor, application.job):
        raise NotFound
    application = Application.objects.select_for_update().select_related("job").get(pk=application.pk)
    if status not in EMPLOYER_MOVES.get(application.status, set()):
        raise DomainError(
            "invalid_transition",
            _("不能从“%(old)s”变为“%(new)s”")
            % {"old": application.get_status_display(), "new": dict(S.choices).get(status, status)},
        )
    if status in (S.WRITTEN_TEST, S.INTERVIEW) and scheduled_at is None:
        raise ValidationError({"scheduled_at": [_("请填写笔试或面试的时间")]})
    if status in (S.WRITTEN_TEST, S.INTERVIEW) and not (place or link):
        raise ValidationError({"place": [_("请填写地点或线上链接")]})
    event = _event(
        application, status=status, actor=actor, scheduled_at=scheduled_at, place=place, link=link, note=note
    )
    label = dict(S.choices)[status]
    notify(
        user=application.graduate,
        title=_("“%(job)s”进展：%(status)s") % {"job": application.job.title, "status": label},
        body=note,
        url=application.get_absolute_url(),
        kind="application",
    )
    return event


@transaction.atomic
def application_withdraw(*, graduate: User, application: Application, note: str = "") -> ApplicationEvent:
    """A graduate withdraws an application that is still open."""
    if application.graduate_id != graduate.pk:
        raise NotFound
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status not in OPEN_STATUSES:
        raise DomainError("invalid_transition", _("该投递已结束，不能撤回"))
    return _event(application, status=S.WITHDRAWN, actor=graduate, note=note)


@transaction.atomic
def application_respond(*, graduate: User, application: Application, accept: bool) -> Application:
    """A graduate accepts an offer (which starts the three-party agreement) or declines it."""
    if application.graduate_id != graduate.pk:
        raise NotFound
    application = Application.objects.select_for_update().select_related("job__employer").get(pk=application.pk)
    if application.status != S.OFFER:
        raise DomainError("invalid_transition", _("只有收到录用通知后才能接受或婉拒"))
    if accept and Agreement.objects.filter(graduate=graduate, status=Agreement.Status.SIGNING).exists():
        raise DomainError("agreement_in_progress", _("您有正在签署的三方协议，请先完成或解约"))
    if accept and Agreement.objects.filter(graduate=graduate, status=Agreement.Status.SIGNED).exists():
        raise DomainError("already_signed", _("您已签订三方协议，如需另签请先解约"))
    _event(application, status=S.ACCEPTED if accept else S.DECLINED, actor=graduate)
    if accept:
        agreement_create(application=application)
    notify_recruiters(
        application.job.employer,
        title=(_("毕业生已接受录用：%(job)s") if accept else _("毕业生婉拒了录用：%(job)s"))
        % {"job": application.job.title},
        body="",
        url=reverse("employment:job_pipeline", args=[application.job_id]),
        kind="application",
    )
    return application
