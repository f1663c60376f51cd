"""Writes of course certificates (课程证书): when a run ends, each learner who met its rule gets a certificate, signed
through the credentials kernel (PDF and VC-JWT, checkable at ``/verify/<code>`` and offline) once they have a
real-name identity.

How a run is processed (:func:`run_certificates_grant`; the worker's scheduler calls :func:`certificates_grant_due`
every few minutes, staff run it for one run from the admin or the ``grant_certificates`` command):

1. Enrolments of the run whose ``completion`` reached ``run.certificate_completion`` — and, when the run graded
   anything (a score was recorded), whose kept course grade reached the policy's pass line (合格 or 优秀) — are read
   in batches of :data:`BATCH` by id, one transaction per batch, so a run of 100,000 learners never holds one long
   transaction. The certificate records the level and the grade, and prints 合格 or 优秀.
2. Each batch inserts the missing ``Certificate`` rows (``ignore_conflicts``: the unique ``(run, user)`` constraint
   makes a second insert, by a second worker or a second pass, a no-op) and issues every one whose learner has a
   real-name identity: the batch's waiting certificates are locked in one query (rows another worker holds are
   skipped, it is issuing them), an issued one is left alone, and the credential's unique ``source_key`` makes
   issuing twice return the first credential.
3. When every batch is done, ``run.certificates_issued_at`` is set, and the periodic pass leaves the run alone.

A learner without identity gets a certificate ``awaiting_identity`` and a notification saying how to complete it;
completing identity (``accounts.services.identity_verified``) enqueues :func:`certificates_issue_awaiting` for them,
and the periodic pass also sweeps awaiting certificates whose learners have identity now (identity given by other
paths). Two workers may process the same run at once: they skip each other's locked run rows, and whatever they
both reach is written once.

The issuer (decided here, see the README, "Course certificates"): the course's university **together with** the
platform that ran the course — the university vouches for the course, the platform for the learner's record on it.
The platform's name comes from ``settings.ISSUING_AUTHORITIES["courses.certificate"]``; the signed issuer name is
``<university> · <platform>``, and the university is the credential's ``issuer_organization``, so its registrar may
revoke it (``credentials.selectors.can_revoke_credential``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijiao.accounts.selectors import real_name_of
from zhijiao.core.actors import Actor
from zhijiao.core.audit import audit_actions
from zhijiao.core.errors import DomainError
from zhijiao.core.services import audit_record
from zhijiao.credentials import selectors as credential_selectors
from zhijiao.credentials import services as credential_services
from zhijiao.credentials.models import Credential
from zhijiao.notifications.services import notification_kinds
from zhijiao.orgs.models import Organization

from ..grading import Level
from ..models import Certificate, Enrolment, Run
from ..selectors import certificates as selectors
from ..selectors.grading import run_is_graded

# What the audit log and the message centre call what is recorded and sent here.
AUDIT_ACTIONS = audit_actions({"courses.certificates.grant": gettext_lazy("发放课程证书")})
NOTIFICATION_KINDS = notification_kinds({"courses": gettext_lazy("课程证书")})

logger = logging.getLogger(__name__)

# Enrolments per transaction. A batch locks its waiting certificates in one query and each issued one costs 11 more
# (the kernel's credential: savepoints, checks, insert; then the certificate's update): 500 learners with identity
# took 2.1 s on SQLite and 4.0 s on PostgreSQL on a shared 2-core machine (18 queries and 7.3 s before batch
# locking and the trimmed re-validation), so a batch of 200 holds its locks for about a second.
BATCH = 200
DOCUMENT_LANGUAGE = "zh-hans"  # a certificate is an official document: in Chinese whoever triggers it
TITLE = "课程证书"
PASSING = (Level.PASS, Level.EXCELLENT)


@dataclass
class GrantResult:
    """What one pass did: certificates created, credentials issued, certificates left awaiting identity."""

    runs: int = 0
    created: int = 0
    issued: int = 0
    awaiting: int = 0

    def add(self, other: GrantResult) -> None:
        self.runs += other.runs
        self.created += other.created
        self.issued += other.issued
        self.awaiting += other.awaiting


def _day(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.year}年{local.month}月{local.day}日"


def certificate_issuer(run: Run) -> tuple[str, Organization | None]:
    """(the issuer name signed into the credential, the issuing university or None)."""
    platform = credential_selectors.authority("courses.certificate").name
    university = run.course.university
    if university is None:
        return platform, None
    return f"{university.name} · {platform}", university


def certificate_claims(certificate: Certificate) -> dict[str, str]:
    """The fields the certificate shows and signs, in order (official Chinese, whatever the viewer's language)."""
    run = certificate.run
    course = run.course
    claims = {"课程名称": course.title}
    if course.university is not None:
        claims["开课学校"] = course.university.name
    claims["开课学期"] = run.title
    claims["学习时间"] = f"{_day(run.starts_at)}至{_day(run.ends_at)}"
    claims["完成比例"] = selectors.completion_share(certificate.completion)
    requirement = f"完成比例不低于{selectors.completion_share(run.certificate_completion)}"
    if certificate.level:
        claims["总评成绩"] = f"{certificate.percent:.2f}" if certificate.percent is not None else ""
        claims["成绩等级"] = Level.CHINESE.get(certificate.level, certificate.level)
        requirement += "，且总评成绩达到合格线"
    claims["证书要求"] = requirement
    if course.credit_hours:
        claims["学时"] = str(course.credit_hours)
    if course.credits:
        claims["学分"] = f"{course.credits.normalize():f}"
    return claims


def _sign(certificate: Certificate) -> bool:
    """Issue the credential of a locked, waiting certificate whose learner has a real-name identity; False (and
    nothing written) when they have none."""
    holder = real_name_of(certificate.user)
    if holder is None:
        return False
    issuer_name, university = certificate_issuer(certificate.run)
    with translation.override(DOCUMENT_LANGUAGE):
        claims = certificate_claims(certificate)
    credential = credential_services.credential_issue(
        kind=Credential.Kind.COURSE,
        source_key=f"courses.certificate:{certificate.pk}",
        holder_user=certificate.user,
        holder_name=holder.name,
        holder_id_number=holder.id_number,
        title=f"{certificate.run.course.title} · {TITLE}"[:120],
        claims=claims,
        issuer_name=issuer_name,
        issuer_organization=university,
        issued_on=timezone.localdate(),
    )
    certificate.credential = credential
    certificate.status = Certificate.Status.ISSUED
    # The row exists and only its status and credential change (a credential made a moment ago for it alone):
    # checking its links and unique constraints again would cost five queries per learner for nothing the
    # database does not enforce anyway.
    certificate.full_clean(exclude=["run", "user", "credential"], validate_unique=False, validate_constraints=False)
    certificate.save(update_fields=["credential", "status", "updated_at"])
    return True


@transaction.atomic
def certificate_issue(*, certificate_id: int) -> Certificate:
    """Sign the learner's certificate when they have a real-name identity; an issued one stays as it is.

    The certificate row is locked first, so two workers reaching the same learner issue one credential (and the
    credential's unique source key would catch it even without the lock)."""
    certificate = selectors.certificate_for_update(certificate_id=certificate_id)
    if certificate.status == Certificate.Status.ISSUED or not _sign(certificate):
        return certificate
    _notify_issued_after_commit([certificate])
    return certificate


@transaction.atomic
def _issue_locked(certificate_ids: list[int]) -> int:
    """Issue these waiting certificates whose learners have identity, their rows locked in one query; how many."""
    issued = [
        certificate
        for certificate in selectors.waiting_for_update(certificate_ids=certificate_ids)
        if _sign(certificate)
    ]
    _notify_issued_after_commit(issued)
    return len(issued)


def _notify_issued_after_commit(certificates: list[Certificate]) -> None:
    messages = [(certificate.user_id, certificate.run.course.title) for certificate in certificates]
    if messages:
        transaction.on_commit(lambda: _notify_issued(messages))


def _notify_issued(messages: list[tuple[int, str]]) -> None:
    from zhijiao.notifications.services import Message, notify_many

    url = reverse("courses:certificates")
    body = _("证书可下载 PDF，并可凭验证码在线验证。")
    notify_many(
        messages=(
            Message(user_id=user_id, title=_("您的课程证书已发放：%(course)s") % {"course": title}, body=body, url=url)
            for user_id, title in messages
        ),
        kind="courses",
    )


def _notify_awaiting(user_ids: Iterable[int], course_title: str) -> None:
    from zhijiao.notifications.services import Message, notify_many

    url = reverse("courses:certificates")
    title = _("您已达到《%(course)s》的证书要求") % {"course": course_title}
    body = _("课程证书载明您的真实姓名，请先完成实名认证（个人中心 → 实名认证），完成后证书会自动发放。")
    notify_many(
        messages=(Message(user_id=user_id, title=title, body=body, url=url) for user_id in user_ids), kind="courses"
    )


def _grant_batch(run: Run, after_id: int, *, graded: bool) -> tuple[GrantResult, int | None, bool]:
    """One batch of the run's qualifying enrolments after ``after_id``: (what it did, the last enrolment id or None
    when the run has no more, whether another worker holds the run now). In a ``graded`` run a learner also needs
    the pass line (合格 or 优秀), and the certificate records the level and the grade."""
    result = GrantResult()
    with transaction.atomic():
        if selectors.run_for_grant(run_id=run.pk) is None:
            return result, None, True  # another worker holds the run: it carries on from where it is
        qualifying = Enrolment.objects.filter(run=run, completion__gte=run.certificate_completion, pk__gt=after_id)
        if graded:
            qualifying = qualifying.filter(grade__level__in=PASSING)
        enrolments = list(
            qualifying.order_by("pk").values_list("pk", "user_id", "completion", "grade__level", "grade__percent")[
                :BATCH
            ]
        )
        if not enrolments:
            return result, None, False
        users = [row[1] for row in enrolments]
        before = set(Certificate.objects.filter(run=run, user_id__in=users).values_list("user_id", flat=True))
        fresh = [
            Certificate(
                run=run,
                user_id=user_id,
                completion=completion,
                level=level if graded else "",
                percent=percent if graded else None,
            )
            for _pk, user_id, completion, level, percent in enrolments
            if user_id not in before
        ]
        Certificate.objects.bulk_create(fresh, ignore_conflicts=True)
        result.created = len(fresh)
        waiting = selectors.awaiting_in_run(run=run, user_ids=users)
        result.awaiting = sum(1 for _pk, has_identity in waiting if not has_identity)
        result.issued = _issue_locked([pk for pk, has_identity in waiting if has_identity])
        without_identity = selectors.users_without_identity(user_ids=[row.user_id for row in fresh])
        if without_identity:
            title = run.course.title
            transaction.on_commit(lambda: _notify_awaiting(without_identity, title))
    return result, enrolments[-1][0], False


def run_certificates_grant(*, run: Run) -> GrantResult:
    """Give every learner of an ended run who met its rule a certificate (issued, or awaiting their identity), in
    batches; safe to run again and beside another worker. Refused for a run that has not ended.

    Not one transaction, on purpose: one per batch, so a large run never holds its locks for long and a pass cut
    short keeps what it did (the next pass carries on)."""
    if run.ends_at > timezone.now():
        raise DomainError("run_not_ended", _("开课尚未结束，结课后才能发放证书"))
    result = GrantResult(runs=1)
    graded = run_is_graded(run=run)
    after = 0
    while True:
        batch, last, held_elsewhere = _grant_batch(run, after, graded=graded)
        result.add(batch)
        if held_elsewhere:
            return result  # the worker holding it finishes the run and records it
        if last is None:
            break
        after = last
    Run.objects.filter(pk=run.pk, certificates_issued_at__isnull=True).update(certificates_issued_at=timezone.now())
    return result


def run_certificates_grant_now(*, actor: Actor | None, run: Run) -> GrantResult:
    """Staff process one ended run now rather than at the scheduler's next pass (again, for a run already done:
    learners who reached the rule since get theirs); ``actor`` None for the command line."""
    result = run_certificates_grant(run=run)
    audit_record(
        action="courses.certificates.grant",
        actor=actor,
        actor_label="" if actor is not None else "command",
        obj=run,
        detail={"created": result.created, "issued": result.issued, "awaiting": result.awaiting},
    )
    return result


def certificates_issue_awaiting(*, user_id: int) -> int:
    """Issue a learner's waiting certificates once their identity is complete; how many were issued."""
    return _issue_locked(selectors.awaiting_certificate_ids(user_ids=[user_id]))


def certificates_grant_due(*, now: datetime | None = None, limit: int = 50) -> GrantResult:
    """The periodic pass: every ended run not yet processed (up to ``limit`` runs a pass), then every waiting
    certificate whose learner has completed identity since."""
    result = GrantResult()
    for run in selectors.runs_due(now=now or timezone.now())[:limit]:
        try:
            result.add(run_certificates_grant(run=run))
        except Exception:
            # One broken run must not hold back every run that ended after it; it is tried again next pass.
            logger.exception("course certificates: run %s failed", run.pk)
    after = 0
    while waiting := list(selectors.awaiting_with_identity_ids(after=after)[:BATCH]):
        result.issued += _issue_locked(waiting)
        after = waiting[-1]
    return result
