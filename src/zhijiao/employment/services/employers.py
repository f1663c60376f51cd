"""Employers: registration with the business licence and credit code, verification by staff (once for every
university), suspension."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijiao.accounts.models import User
from zhijiao.core.actors import Origin
from zhijiao.core.audit import audit_actions
from zhijiao.core.errors import DomainError
from zhijiao.core.identifiers import normalize_phone, normalize_uscc
from zhijiao.core.services import audit_record
from zhijiao.core.uploads import DOCUMENTS, check_upload
from zhijiao.notifications.services import notify
from zhijiao.orgs.models import Membership, Organization, Region, Role
from zhijiao.search.services import index_later

from .. import selectors
from ..models import EmployerProfile, Job
from .indexing import JOB_KIND, job_areas_refresh

# What the audit log calls the actions recorded here.
AUDIT_ACTIONS = audit_actions(
    {
        "employment.employer.register": gettext_lazy("用人单位注册"),
        "employment.employer.approve": gettext_lazy("通过用人单位资质审核"),
        "employment.employer.reject": gettext_lazy("驳回用人单位资质审核"),
        "employment.employer.suspend": gettext_lazy("暂停用人单位"),
        "employment.employer.reinstate": gettext_lazy("恢复用人单位"),
    }
)


LICENCE_MAX_BYTES = 5 * 1024 * 1024


def licence_check(upload: UploadedFile) -> str:
    """A licence scan must be a PDF, PNG or JPEG (by its content, not its name) of at most 5 MB; its extension."""
    found = check_upload(upload, allowed=DOCUMENTS, max_bytes=LICENCE_MAX_BYTES, field="licence")
    return found.extensions[0].lstrip(".")


def _credit_code(raw: str) -> tuple[str, bool]:
    """The code to keep and whether it needs a person to check it: a bad check character is a typo or an old
    licence far more often than a fake, so it goes to manual review; a code of the wrong shape is refused."""
    try:
        return normalize_uscc(raw), False
    except ValidationError as exc:
        code = "".join(ch for ch in (raw or "").upper() if ch.isalnum())
        if exc.code == "uscc_checksum" and len(code) == 18:
            return code, True
        raise ValidationError({"credit_code": list(exc.messages)}) from exc


@transaction.atomic
def employer_register(
    *,
    user: User,
    name: str,
    credit_code: str,
    region_code: str,
    contact_name: str,
    contact_phone: str,
    contact_email: str = "",
    licence: UploadedFile | None = None,
    description: str = "",
    origin: Origin | None = None,
) -> EmployerProfile:
    """An employer signs up: its organisation, the registering person as its recruiter, and a pending review."""
    errors: dict[str, list[str]] = {}
    code, manual = "", False
    try:
        code, manual = _credit_code(credit_code)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if code and (
        Organization.objects.filter(uscc=code).exists() or EmployerProfile.objects.filter(credit_code=code).exists()
    ):
        errors["credit_code"] = [_("该统一社会信用代码已注册，请联系单位已有的招聘人员")]
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        errors["region_code"] = [_("未知的地区代码")]
    try:
        phone = normalize_phone(contact_phone)
    except ValidationError as exc:
        errors["contact_phone"] = list(exc.messages)
    if licence is None:
        errors["licence"] = [_("请上传营业执照扫描件")]
    else:
        try:
            licence_check(licence)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if not name.strip():
        errors["name"] = [_("请填写单位名称")]
    if errors:
        raise ValidationError(errors)
    organization = Organization(
        kind=Organization.Kind.EMPLOYER,
        name=name.strip(),
        region=region,
        uscc=None if manual else code,
        description=description,
    )
    organization.full_clean()
    organization.save()
    membership = Membership(user=user, organization=organization, role=Role.RECRUITER, title=_("招聘负责人"))
    membership.full_clean()
    membership.save()
    profile = EmployerProfile(
        organization=organization,
        credit_code=code,
        needs_manual_review=manual,
        contact_name=contact_name.strip(),
        contact_phone=phone,
        contact_email=contact_email.strip(),
    )
    assert licence is not None
    profile.licence.save(f"{code}.{licence_check(licence)}", licence, save=False)
    profile.full_clean()
    profile.save()
    audit_record(
        action="employment.employer.register", actor=user, obj=profile, detail={"manual": manual}, origin=origin
    )
    return profile


def notify_recruiters(organization: Organization, *, title: str, body: str, url: str, kind: str) -> None:
    for membership in Membership.objects.filter(
        organization=organization, role=Role.RECRUITER, is_active=True
    ).select_related("user"):
        notify(user=membership.user, title=title, body=body, url=url, kind=kind)


def _reindex_employer_jobs(organization: Organization) -> None:
    job_areas_refresh(employer_id=organization.pk)
    for job_id in Job.objects.filter(employer=organization, status=Job.Status.PUBLISHED).values_list("pk", flat=True):
        index_later(JOB_KIND, job_id)


@transaction.atomic
def employer_review(
    *, actor: User, profile: EmployerProfile, approve: bool, reason: str = "", origin: Origin | None = None
) -> EmployerProfile:
    """Staff verify an employer (trusted by every university) or reject it with a reason."""
    if not selectors.is_employer_reviewer(actor):
        raise PermissionDenied(_("只有平台管理员或高校就业工作人员可以审核用人单位"))
    profile = EmployerProfile.objects.select_for_update().select_related("organization").get(pk=profile.pk)
    if profile.status not in (EmployerProfile.Status.PENDING, EmployerProfile.Status.REJECTED):
        raise DomainError("already_reviewed", _("该单位已审核"))
    if not approve and not reason.strip():
        raise ValidationError({"reason": [_("请填写不通过的原因")]})
    profile.status = EmployerProfile.Status.VERIFIED if approve else EmployerProfile.Status.REJECTED
    profile.rejection_reason = "" if approve else reason.strip()
    profile.reviewed_by = actor
    profile.reviewed_at = timezone.now()
    profile.full_clean()
    profile.save()
    Organization.objects.filter(pk=profile.organization_id).update(is_verified=approve)
    _reindex_employer_jobs(profile.organization)
    audit_record(
        action="employment.employer.approve" if approve else "employment.employer.reject",
        actor=actor,
        obj=profile,
        detail={"reason": profile.rejection_reason},
        origin=origin,
    )
    if approve:
        title, body = _("单位资质审核已通过"), _("您的单位已通过认证，可以发布岗位了。")
    else:
        title = _("单位资质审核未通过")
        body = _("原因：%(reason)s。请修改后重新提交。") % {"reason": profile.rejection_reason}
    notify_recruiters(
        profile.organization, title=title, body=body, url=reverse("employment:employer_home"), kind="employer"
    )
    return profile


@transaction.atomic
def employer_suspend(
    *, actor: User, profile: EmployerProfile, reason: str, suspend: bool = True, origin: Origin | None = None
) -> EmployerProfile:
    """Staff suspend a verified employer (its jobs disappear at once) or reinstate it."""
    if not selectors.is_employer_reviewer(actor):
        raise PermissionDenied(_("只有平台管理员或高校就业工作人员可以暂停用人单位"))
    if suspend and not reason.strip():
        raise ValidationError({"reason": [_("请填写暂停的原因")]})
    profile = EmployerProfile.objects.select_for_update().select_related("organization").get(pk=profile.pk)
    expected = EmployerProfile.Status.VERIFIED if suspend else EmployerProfile.Status.SUSPENDED
    if profile.status != expected:
        raise DomainError("wrong_state", _("该单位当前状态不能执行此操作"))
    profile.status = EmployerProfile.Status.SUSPENDED if suspend else EmployerProfile.Status.VERIFIED
    profile.rejection_reason = reason.strip() if suspend else ""
    profile.reviewed_by = actor
    profile.reviewed_at = timezone.now()
    profile.save()
    Organization.objects.filter(pk=profile.organization_id).update(is_verified=not suspend)
    _reindex_employer_jobs(profile.organization)
    audit_record(
        action="employment.employer.suspend" if suspend else "employment.employer.reinstate",
        actor=actor,
        obj=profile,
        detail={"reason": reason},
        origin=origin,
    )
    return profile
