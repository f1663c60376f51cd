"""Three-party agreements (三方协议): drawn up from an accepted offer, signed in turn with the password against
the text's hash, voided by any change, terminated with a reason."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijiao.accounts.models import User
from zhijiao.core.actors import Origin
from zhijiao.core.audit import audit_actions
from zhijiao.core.errors import DomainError, NotFound
from zhijiao.core.services import audit_record
from zhijiao.credentials.codes import new_code
from zhijiao.notifications.services import notification_kinds, notify
from zhijiao.orgs.models import Membership, Role
from zhijiao.orgs.selectors import is_platform_admin, region_display_name

from .. import selectors
from ..models import Agreement, AgreementSignature, Application, Education, EmployerProfile, Graduate
from ..selectors.agreements import text_sha256
from .employers import notify_recruiters

# What the message centre calls the messages sent here.
NOTIFICATION_KINDS = notification_kinds(
    {
        "agreement": gettext_lazy("三方协议"),
    }
)


# What the audit log calls the actions recorded here.
AUDIT_ACTIONS = audit_actions(
    {
        "employment.agreement.amend": gettext_lazy("变更三方协议"),
        "employment.agreement.sign": gettext_lazy("签署三方协议"),
        "employment.agreement.terminate": gettext_lazy("解除三方协议"),
    }
)


SIGNING_ORDER = (Agreement.Party.GRADUATE, Agreement.Party.EMPLOYER, Agreement.Party.UNIVERSITY)


def report_by(graduate: Graduate, *, on: date) -> date:
    """The 报到 deadline written into an agreement drawn up on ``on``: 31 July of the graduate's year, or a month
    after signing for someone who already graduated (a graduate within the two-year 择业期, a returnee)."""
    return max(date(graduate.graduation_year, 7, 31), on + timedelta(days=30))


def agreement_terms(application: Application, graduate: Graduate) -> dict[str, Any]:
    """The parties' data and the job's terms that go into the agreement."""
    job = application.job
    employer = job.employer
    places = "、".join(
        region_display_name(location.region) for location in job.locations.select_related("region__parent__parent")
    )
    profile = EmployerProfile.objects.filter(organization=employer).first()
    return {
        "graduate_name": graduate.real_name,
        "graduate_phone": application.resume_snapshot.get("phone", ""),
        "university": graduate.university.name,
        "major": graduate.major,
        "education": str(Education(graduate.education).label),
        "graduation_year": graduate.graduation_year,
        "employer": employer.name,
        "credit_code": employer.uscc or (profile.credit_code if profile else ""),
        "employer_contact": profile.contact_name if profile else "",
        "job_title": job.title,
        "work_place": places,
        "salary": f"{job.salary_min}-{job.salary_max}",
        "probation_months": 3 if job.employment_type == "FULL_TIME" else 0,
        "contract_years": 3 if job.employment_type == "FULL_TIME" else 1,
        "report_by": report_by(graduate, on=timezone.localdate()).isoformat(),
        "extra": "",
    }


def agreement_text(*, number: str, terms: dict[str, Any]) -> str:
    """The canonical text of an agreement: the legal document itself, so it is in Chinese whatever the viewer's
    language and byte-for-byte the same on every render (its SHA-256 is what parties sign)."""
    t = terms
    lines = [
        "全国普通高等学校毕业生就业协议书（网签版）",
        f"协议编号：{number}",
        "",
        "甲方（用人单位）",
        f"  单位名称：{t['employer']}",
        f"  统一社会信用代码：{t['credit_code']}",
        f"  联系人：{t['employer_contact']}",
        "乙方（毕业生）",
        f"  姓名：{t['graduate_name']}",
        f"  毕业学校：{t['university']}",
        f"  专业：{t['major']}    学历：{t['education']}    毕业年份：{t['graduation_year']}",
        "丙方（学校）",
        f"  学校名称：{t['university']}（学生就业工作部门）",
        "",
        "一、甲方同意录用乙方，乙方愿意到甲方就业，丙方同意推荐乙方并按规定办理就业手续。",
        f"二、工作岗位：{t['job_title']}；工作地点：{t['work_place']}。",
        f"三、月薪（税前，人民币元）：{t['salary']}；试用期 {t['probation_months']} 个月，包含在劳动合同期限内。",
        f"四、甲方在乙方报到后一个月内与乙方签订劳动合同，合同期限 {t['contract_years']} 年；"
        f"乙方应于 {t['report_by']} 前报到。",
        "五、乙方未取得毕业资格的，甲方有权解除本协议。",
        "六、任何一方解除本协议，应书面说明理由并经三方确认；解约记录在本平台存档。",
        f"七、其他约定：{t['extra'] or '无'}",
        "八、本协议经三方在线签署后生效。各方签署时已确认本文本内容；签署后文本发生任何变更，原签署即失效。",
    ]
    return "\n".join(lines) + "\n"


def agreement_create(*, application: Application) -> Agreement:
    """Draw up the agreement of an accepted offer from the template with the three parties' data."""
    graduate = Graduate.objects.select_related("university").filter(user_id=application.graduate_id).first()
    if graduate is None or graduate.status != Graduate.Status.CONFIRMED:
        raise DomainError("graduate_not_confirmed", _("学校确认您的毕业生信息后才能签订三方协议"))
    number = f"{timezone.localdate():%Y%m%d}{secrets.randbelow(10**8):08d}"
    terms = agreement_terms(application, graduate)
    text = agreement_text(number=number, terms=terms)
    agreement = Agreement(
        application=application,
        number=number,
        code=new_code(),
        graduate_id=application.graduate_id,
        employer=application.job.employer,
        university=graduate.university,
        terms=terms,
        text=text,
        text_sha256=text_sha256(text),
    )
    agreement.full_clean()
    agreement.save()
    notify(
        user=application.graduate,
        title=_("三方协议已生成，请审阅并签署"),
        body=_("协议编号 %(number)s") % {"number": number},
        url=agreement.get_absolute_url(),
        kind="agreement",
    )
    return agreement


def live_signatures(agreement: Agreement) -> list[AgreementSignature]:
    return [s for s in agreement.signatures.all() if s.voided_at is None]


def next_party(agreement: Agreement) -> str | None:
    """Whose turn it is to sign: graduate, then employer, then university."""
    if agreement.status != Agreement.Status.SIGNING:
        return None
    signed = {s.party for s in live_signatures(agreement)}
    return next((party for party in SIGNING_ORDER if party not in signed), None)


@transaction.atomic
def agreement_sign(
    *, actor: User, agreement: Agreement, password: str, text_sha256_seen: str, origin: Origin | None = None
) -> AgreementSignature:
    """A party signs after reading the text and entering their password again; the signature binds the text's hash."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    parties = selectors.agreement_parties_of(actor, agreement)
    if not parties:
        raise NotFound
    party = next_party(agreement)
    if party is None or party not in parties:
        raise DomainError("not_your_turn", _("现在还不是您签署的时候"))
    if not password or not actor.check_password(password):
        audit_record(action="employment.agreement.sign", actor=actor, obj=agreement, result="failure", origin=origin)
        raise ValidationError({"password": [_("密码不正确")]})
    if text_sha256_seen != agreement.text_sha256 or text_sha256(agreement.text) != agreement.text_sha256:
        raise DomainError("text_changed", _("协议内容已变更，请重新阅读后再签署"))
    name = actor.display_name or str(actor)
    if party == Agreement.Party.GRADUATE:
        name = agreement.terms.get("graduate_name", name)
    signature = AgreementSignature(
        agreement=agreement,
        party=party,
        signer=actor,
        signer_name=name,
        signed_at=timezone.now(),
        text_sha256=agreement.text_sha256,
    )
    signature.full_clean()
    signature.save()
    audit_record(action="employment.agreement.sign", actor=actor, obj=agreement, detail={"party": party}, origin=origin)
    after = next_party(agreement)
    if after is None:
        agreement.status = Agreement.Status.SIGNED
        agreement.save(update_fields=["status", "updated_at"])
        notify(
            user=agreement.graduate,
            title=_("三方协议已签署完成"),
            body=_("验证码：%(code)s") % {"code": agreement.code},
            url=agreement.get_absolute_url(),
            kind="agreement",
        )
    else:
        _notify_party(agreement, after)
    return signature


def _notify_party(agreement: Agreement, party: str) -> None:
    title = _("三方协议等待您签署：%(number)s") % {"number": agreement.number}
    url = agreement.get_absolute_url()
    if party == Agreement.Party.EMPLOYER:
        notify_recruiters(agreement.employer, title=title, body="", url=url, kind="agreement")
    elif party == Agreement.Party.UNIVERSITY:
        for membership in Membership.objects.filter(
            organization_id=agreement.university_id, role=Role.EMPLOYMENT_STAFF, is_active=True
        ).select_related("user"):
            notify(user=membership.user, title=title, body="", url=url, kind="agreement")
    else:
        notify(user=agreement.graduate, title=title, body="", url=url, kind="agreement")


@transaction.atomic
def agreement_amend(*, actor: User, agreement: Agreement, extra: str, origin: Origin | None = None) -> Agreement:
    """A party changes the other terms; every signature made on the old text is void and signing starts over."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not selectors.agreement_parties_of(actor, agreement):
        raise NotFound
    if agreement.status == Agreement.Status.TERMINATED:
        raise DomainError("terminated", _("协议已解约"))
    agreement.terms = {**agreement.terms, "extra": extra.strip()[:500]}
    agreement.text = agreement_text(number=agreement.number, terms=agreement.terms)
    agreement.text_sha256 = text_sha256(agreement.text)
    agreement.status = Agreement.Status.SIGNING
    agreement.save()
    voided = AgreementSignature.objects.filter(agreement=agreement, voided_at__isnull=True).update(
        voided_at=timezone.now()
    )
    audit_record(
        action="employment.agreement.amend", actor=actor, obj=agreement, detail={"voided": voided}, origin=origin
    )
    _notify_party(agreement, Agreement.Party.GRADUATE)
    return agreement


@transaction.atomic
def agreement_terminate(*, actor: User, agreement: Agreement, reason: str, origin: Origin | None = None) -> Agreement:
    """解约: a party ends the agreement with a written reason; the record stays and verification shows it."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not selectors.agreement_parties_of(actor, agreement) and not is_platform_admin(actor):
        raise NotFound
    if agreement.status == Agreement.Status.TERMINATED:
        raise DomainError("terminated", _("协议已解约"))
    if not reason.strip():
        raise ValidationError({"reason": [_("请填写解约原因")]})
    agreement.status = Agreement.Status.TERMINATED
    agreement.terminated_at = timezone.now()
    agreement.terminated_by = actor
    agreement.termination_reason = reason.strip()[:300]
    agreement.save()
    audit_record(
        action="employment.agreement.terminate", actor=actor, obj=agreement, detail={"reason": reason}, origin=origin
    )
    notify(
        user=agreement.graduate,
        title=_("三方协议已解约：%(number)s") % {"number": agreement.number},
        body=agreement.termination_reason,
        url=agreement.get_absolute_url(),
        kind="agreement",
    )
    return agreement
