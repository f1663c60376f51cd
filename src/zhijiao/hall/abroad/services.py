"""Every write of the study-abroad services: drafts, documents, submission, officer decisions (one by one or in
bulk), document checks, and the degree certificate on approval.

Each status change goes through :func:`_move`, which checks the service's state machine, appends to the status
history and notifies the applicant after commit. Officer decisions are audit-logged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijiao.accounts.models import User
from zhijiao.accounts.selectors import RealName, real_name_of, require_real_name
from zhijiao.core.actors import Actor, Origin, signed_in
from zhijiao.core.audit import audit_actions
from zhijiao.core.errors import DomainError, NotFound
from zhijiao.core.models import AuditLog
from zhijiao.core.services import audit_record
from zhijiao.core.uploads import check_upload
from zhijiao.credentials.models import Credential
from zhijiao.credentials.selectors import Authority, authority
from zhijiao.credentials.services import credential_issue
from zhijiao.notifications.services import notification_kinds, notify
from zhijiao.orgs.models import Role
from zhijiao.orgs.selectors import organizations_where

from . import selectors, workflow
from .forms import SERVICE_FORMS
from .models import Application, Document, Service, Status, StatusChange
from .workflow import Action

# What the message centre calls the messages sent here.
NOTIFICATION_KINDS = notification_kinds(
    {
        "abroad": gettext_lazy("留学服务"),
    }
)


# What the audit log calls the actions recorded here.
AUDIT_ACTIONS = audit_actions(
    {
        "abroad.document.check": gettext_lazy("核对留学服务材料"),
        "abroad.document.uncheck": gettext_lazy("取消核对留学服务材料"),
        "abroad.application.submit": gettext_lazy("提交留学服务申请"),
        "abroad.application.withdraw": gettext_lazy("撤回留学服务申请"),
        "abroad.application.receive": gettext_lazy("受理留学服务申请"),
        "abroad.application.request_documents": gettext_lazy("要求补充留学服务申请材料"),
        "abroad.application.approve": gettext_lazy("通过留学服务申请"),
        "abroad.application.reject": gettext_lazy("不通过留学服务申请"),
    }
)


MAX_DOCUMENTS = 30
BULK_MAX = 200
FOREIGN_DEGREE = "foreign_degree"  # credentials.Credential.Kind.FOREIGN_DEGREE


def issuer_of(service: str) -> Authority:
    """The authority that issues a service's documents (``settings.ISSUING_AUTHORITIES["abroad.<service>"]``)."""
    return authority(f"abroad.{service}")


def applicant_real_name(user: Actor) -> RealName:
    """Every study-abroad service ends in an official document naming its holder: the applicant's completed
    real-name identity, or ``identity_required`` saying how to complete it."""
    return require_real_name(user, _("留学服务出具的证明和函件载明申请人的真实姓名和身份证号码，请先完成实名认证"))


def _clean_data(application: Application, data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    """Validate ``data`` against the service's form for the current stage; the merged data, or ValidationError.

    Fields of the stage that are absent from ``data`` keep their value; fields sent empty are cleared.
    """
    form_class = SERVICE_FORMS[application.service]
    form = form_class(data=data, stage=application.stage, partial=partial)
    if not form.is_valid():
        raise ValidationError({name: [str(m) for m in messages] for name, messages in form.errors.items()})
    merged = dict(application.data or {})
    cleaned = form.to_data()
    for name in form.fields:
        if name in cleaned:
            merged[name] = cleaned[name]
        elif name in data:
            merged.pop(name, None)
    return merged


def _require_editable(application: Application) -> None:
    if not workflow.is_editable(application):
        raise DomainError("not_editable", _("申请已提交，当前状态不能修改；如需补充材料，请等待工作人员通知"))


def _require_applicant(actor: Actor, application: Application) -> User:
    """The applicant themself; anybody else is told the application does not exist."""
    if not signed_in(actor) or application.applicant_id != actor.pk:
        raise NotFound
    return actor


# --- Applicants ------------------------------------------------------------------------------------------------


@transaction.atomic
def application_create(*, applicant: Actor, service: str, data: dict[str, Any] | None = None) -> Application:
    """An applicant starts a draft for one service; what they fill in now is checked for format only."""
    if not signed_in(applicant):
        raise NotFound
    if service not in Service.values:
        raise ValidationError({"service": [_("没有这项服务")]})
    real_name = applicant_real_name(applicant)
    application = Application(service=service, applicant=applicant, applicant_name=real_name.name[:50])
    application.data = _clean_data(application, data or {}, partial=True)
    application.full_clean()
    application.save()
    StatusChange.objects.create(
        application=application,
        actor=applicant,
        actor_label=str(applicant),
        action="create",
        from_status="",
        to_status=Status.DRAFT,
    )
    return application


@transaction.atomic
def application_update(*, applicant: Actor, application: Application, data: dict[str, Any]) -> Application:
    """The applicant changes a draft (or an application sent back for more documents)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    applicant = _require_applicant(applicant, application)
    _require_editable(application)
    application.data = _clean_data(application, data, partial=True)
    application.full_clean()
    application.save(update_fields=["data", "updated_at"])
    return application


@transaction.atomic
def document_add(*, applicant: Actor, application: Application, kind: str, upload: UploadedFile) -> Document:
    """The applicant attaches one file (PDF, JPEG or PNG by content, within the size limit) as a document."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    applicant = _require_applicant(applicant, application)
    _require_editable(application)
    spec = workflow.spec_of(application.service)
    document_spec = spec.document(kind)
    if document_spec is None or document_spec.stage != application.stage:
        raise ValidationError({"kind": [_("这项服务不需要这类材料")]})
    fmt = check_upload(upload, field="file")
    if application.documents.count() >= MAX_DOCUMENTS:
        raise DomainError("too_many_documents", _("每份申请最多上传 %(n)s 个文件") % {"n": MAX_DOCUMENTS})
    document = Document(
        application=application,
        kind=kind,
        stage=application.stage,
        original_name=(upload.name or "file")[-200:],
        content_type=fmt.mime,
        size=upload.size or 0,
    )
    document.file.save(upload.name or "file", upload, save=False)
    document.full_clean(exclude=["application"])  # the locked row itself: no query to prove it exists
    document.save()
    return document


@transaction.atomic
def document_remove(*, applicant: Actor, application: Application, document_id: int) -> None:
    """The applicant takes back a document they uploaded (while they may still edit; not once it is checked)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    applicant = _require_applicant(applicant, application)
    _require_editable(application)
    document = application.documents.filter(pk=document_id, stage=application.stage).first()
    if document is None:
        raise NotFound
    if document.checked:
        raise DomainError("document_checked", _("这份材料已核验，不能删除"))
    stored = str(document.file.name)
    storage = document.file.storage
    document.delete()
    transaction.on_commit(lambda: storage.delete(stored))


def missing_documents(application: Application) -> list[str]:
    """Labels of the required documents of the current stage that have no file yet."""
    spec = workflow.spec_of(application.service)
    present = set(application.documents.filter(stage=application.stage).values_list("kind", flat=True))
    return [str(d.label) for d in spec.documents_of(application.stage) if d.required and d.kind not in present]


@transaction.atomic
def application_submit(*, applicant: Actor, application: Application) -> Application:
    """The applicant sends the application: every required field and document must be there."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    applicant = _require_applicant(applicant, application)
    if workflow.next_status(application, Action.SUBMIT) is None:
        raise DomainError("not_allowed", _("当前状态不能提交"))
    errors: dict[str, list[str]] = {}
    form = SERVICE_FORMS[application.service](data=application.data or {}, stage=application.stage)
    if not form.is_valid():
        errors.update({name: [str(m) for m in messages] for name, messages in form.errors.items()})
    missing = missing_documents(application)
    if missing:
        errors["documents"] = [_("请上传：%(names)s") % {"names": _("、").join(missing)}]
    real_name = applicant_real_name(applicant)
    if errors:
        raise ValidationError(errors)
    application.applicant_name = real_name.name[:50]
    application.submitted_at = timezone.now()
    _move(application, action=Action.SUBMIT, actor=applicant, fields=["applicant_name", "submitted_at"])
    return application


@transaction.atomic
def application_withdraw(*, applicant: Actor, application: Application, note: str = "") -> Application:
    """The applicant withdraws an application that no officer has taken up yet."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    applicant = _require_applicant(applicant, application)
    if workflow.next_status(application, Action.WITHDRAW) is None:
        raise DomainError("not_allowed", _("当前状态不能撤回"))
    _move(application, action=Action.WITHDRAW, actor=applicant, note=note[:1000])
    return application


# --- Officers ----------------------------------------------------------------------------------------------------


@transaction.atomic
def application_decide(
    *,
    actor: Actor,
    application: Application,
    action: str,
    reason: str = "",
    origin: Origin | None = None,
) -> Application:
    """An officer takes one step on a submitted application: receive, request documents, approve or reject."""
    if not selectors.is_abroad_officer(actor):
        raise NotFound
    locked = Application.objects.select_for_update().filter(pk=application.pk).exclude(status=Status.DRAFT).first()
    if locked is None:
        raise NotFound
    application = locked
    if action not in workflow.OFFICER_ACTIONS:
        raise ValidationError({"action": [_("未知的办理操作")]})
    reason = (reason or "").strip()
    if action in workflow.REASON_REQUIRED and not reason:
        message = _("请写明需要补充的材料") if action == Action.REQUEST_DOCUMENTS else _("请写明不通过的理由")
        raise ValidationError({"reason": [message]})
    if len(reason) > 1000:
        raise ValidationError({"reason": [_("办理意见最多 1000 字")]})
    before = application.status
    target = workflow.next_status(application, action)
    if target is None:
        raise DomainError(
            "not_allowed",
            _("“%(status)s”状态的申请不能执行“%(action)s”")
            % {"status": application.get_status_display(), "action": Action(action).label},
        )
    if action == Action.APPROVE and real_name_of(application.applicant) is None:
        # Drafts made before the rule: nothing official is issued to a nickname.
        raise DomainError("identity_required", _("申请人尚未完成实名认证，不能办结；请通知申请人先完成实名认证"))
    fields = []
    if action in (Action.APPROVE, Action.REJECT):
        application.decided_at = timezone.now()
        application.decided_by = actor
        application.decision_reason = reason
        fields += ["decided_at", "decided_by", "decision_reason"]
    elif action == Action.REQUEST_DOCUMENTS:
        application.decision_reason = reason
        fields.append("decision_reason")
    spec = workflow.spec_of(application.service)
    if target in spec.second_stage:
        application.stage = 2
        fields.append("stage")
    _move(application, action=action, actor=actor, note=reason, fields=fields, target=target)
    if application.service == Service.DEGREE and target == Status.AUTHENTICATED:
        certificate_issue(application=application, officer=actor)
    audit_record(
        action=f"abroad.application.{action}",
        actor=actor,
        obj=application,
        detail={"service": application.service, "from": before, "to": target, "reason": reason},
        origin=origin,
    )
    return application


@dataclass
class BulkResult:
    """What a bulk decision did: the ids that moved, and for each that did not, why."""

    done: list[int] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return _("；").join(exc.messages)
    if isinstance(exc, DomainError):
        return str(exc.message)
    return str(exc)


def applications_bulk_decide(
    *,
    actor: Actor,
    application_ids: Iterable[int],
    action: str,
    reason: str = "",
    origin: Origin | None = None,
) -> BulkResult:
    """An officer takes one step on many applications; each goes through :func:`application_decide` on its own,
    so one that may not move (wrong status, missing reason) fails alone and says why."""
    if not selectors.is_abroad_officer(actor):
        raise NotFound
    ids = list(dict.fromkeys(int(i) for i in application_ids))
    if not ids:
        raise ValidationError({"ids": [_("请先选择申请")]})
    if len(ids) > BULK_MAX:
        raise ValidationError({"ids": [_("一次最多处理 %(n)s 份申请") % {"n": BULK_MAX}]})
    result = BulkResult()
    found = {a.pk: a for a in Application.objects.filter(pk__in=ids).exclude(status=Status.DRAFT)}
    for application_id in ids:
        application = found.get(application_id)
        if application is None:
            result.failed.append((application_id, _("找不到这份申请")))
            continue
        try:
            application_decide(actor=actor, application=application, action=action, reason=reason, origin=origin)
        except (DomainError, ValidationError) as exc:
            result.failed.append((application_id, _message(exc)))
            audit_record(
                action=f"abroad.application.{action}",
                actor=actor,
                obj=application,
                result=AuditLog.Result.FAILURE,
                detail={"bulk": True, "error": _message(exc)},
                origin=origin,
            )
        else:
            result.done.append(application_id)
    return result


@transaction.atomic
def document_check(*, actor: Actor, document: Document, checked: bool = True, origin: Origin | None = None) -> Document:
    """An officer marks a document as checked against the original (or takes the mark back)."""
    if not selectors.is_abroad_officer(actor) or document.application.status == Status.DRAFT:
        raise NotFound
    document.checked = checked
    document.checked_by = actor if checked else None
    document.checked_at = timezone.now() if checked else None
    document.save(update_fields=["checked", "checked_by", "checked_at", "updated_at"])
    audit_record(
        action="abroad.document.check" if checked else "abroad.document.uncheck",
        actor=actor,
        obj=document.application,
        detail={"document_id": document.pk, "kind": document.kind},
        origin=origin,
    )
    return document


# --- Status changes ----------------------------------------------------------------------------------------------


def _move(
    application: Application,
    *,
    action: str,
    actor: User,
    note: str = "",
    fields: list[str] | None = None,
    target: str | None = None,
) -> StatusChange:
    """Change the status along the state machine, append to the history, and tell the applicant."""
    target = target or workflow.next_status(application, action)
    if target is None:
        raise DomainError("not_allowed", _("当前状态不能执行这项操作"))
    before = application.status
    application.status = target
    # The people on the row were loaded or checked by the caller: no query per foreign key to prove they exist.
    application.full_clean(exclude=["applicant", "decided_by"])
    application.save(update_fields=["status", "updated_at", *(fields or [])])
    change = StatusChange.objects.create(
        application=application,
        actor=actor,
        actor_label=str(actor)[:150],
        action=action,
        from_status=before,
        to_status=target,
        note=note,
    )
    title = _("%(service)s：%(status)s") % {
        "service": application.get_service_display(),
        "status": application.get_status_display(),
    }
    body = _("申请编号 %(ref)s。") % {"ref": application.reference} + (note or "")
    applicant, url = application.applicant, application.get_absolute_url()
    transaction.on_commit(lambda: notify(user=applicant, title=title, body=body, url=url, kind="abroad"))
    return change


# --- The degree certificate ------------------------------------------------------------------------------------------


def certificate_claims(application: Application) -> dict[str, str]:
    """The ordered fields printed on a foreign degree authentication certificate."""
    from .forms import DEGREES

    data = application.data or {}
    degrees = {key: str(label) for key, label in DEGREES}

    def month(value: str) -> str:
        return f"{value[:4]}年{int(value[5:7])}月" if value and len(value) >= 7 else ""

    def day(value: str) -> str:
        return f"{value[:4]}年{int(value[5:7])}月{int(value[8:10])}日" if value and len(value) >= 10 else ""

    return {
        "国家（地区）": str(data.get("country", "")),
        "颁证院校": str(data.get("institution", "")),
        "学位": degrees.get(str(data.get("degree", "")), str(data.get("degree", ""))),
        "专业": str(data.get("major", "")),
        "学习期间": f"{month(str(data.get('study_start', '')))}至{month(str(data.get('study_end', '')))}",
        "学位授予日期": day(str(data.get("awarded_on", ""))),
        "认证结论": "经核查，该学位证书真实有效",
        "申请编号": application.reference,
    }


def certificate_issue(*, application: Application, officer: User | None = None) -> Credential:
    """Issue (once) the verifiable certificate of an authenticated foreign degree through the credentials kernel.

    It names the applicant by their real-name identity and the configured authority (``abroad.degree``) as its
    issuer; the approving officer's agency is kept as the organisation that handled it (who may revoke it)."""
    agency = organizations_where(officer, Role.HALL_OFFICER).order_by("pk").first() if officer is not None else None
    holder = real_name_of(application.applicant)
    if holder is None:
        raise DomainError("identity_required", _("申请人尚未完成实名认证，不能出具认证书"))
    return credential_issue(
        kind=FOREIGN_DEGREE,
        source_key=selectors.source_key(application),
        holder_name=holder.name,
        holder_id_number=holder.id_number,
        title="国（境）外学历学位认证书",
        claims=certificate_claims(application),
        issuer_name=issuer_of(Service.DEGREE).name,
        issued_on=timezone.localdate(),
        holder_user=application.applicant,
        issuer_organization=agency,
    )
