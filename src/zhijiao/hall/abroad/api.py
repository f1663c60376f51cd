"""The study-abroad API: the services, the applicant's applications and documents, the officers' queue."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status, UploadedFile

from zhijiao.core.actors import Origin
from zhijiao.core.api_auth import session_or_token
from zhijiao.core.api_errors import ErrorOut
from zhijiao.core.errors import DomainError
from zhijiao.core.pagination import PageParams, paginate
from zhijiao.core.params import Id, one_of

from . import selectors, services, workflow
from .models import Application, Service
from .models import Status as AppStatus
from .schemas import (
    AbroadApplicationIn,
    AbroadApplicationOut,
    AbroadApplicationPageOut,
    AbroadApplicationUpdateIn,
    AbroadBulkIn,
    AbroadBulkOut,
    AbroadDecisionIn,
    AbroadDocumentOut,
    AbroadQueueParams,
    AbroadServiceOut,
)

router = Router(tags=["abroad"], auth=session_or_token)
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def _service_out(spec: workflow.ServiceSpec) -> dict[str, Any]:
    fields = []
    for stage, names in sorted(spec.form.stages.items()):
        for name in names:
            form_field = spec.form.base_fields[name]
            fields.append(
                {"name": name, "label": str(form_field.label), "stage": stage, "required": form_field.required}
            )
    return {
        "key": spec.service,
        "label": spec.label,
        "summary": str(spec.summary),
        "outcome": str(spec.outcome),
        "authority": services.issuer_of(spec.service).label,
        "fields": fields,
        "documents": [
            {"kind": d.kind, "label": str(d.label), "help": str(d.help), "stage": d.stage, "required": d.required}
            for d in spec.documents
        ],
    }


def _document_out(document: Any) -> dict[str, Any]:
    return {
        "id": document.pk,
        "kind": document.kind,
        "stage": document.stage,
        "name": document.original_name,
        "content_type": document.content_type,
        "size": document.size,
        "checked": document.checked,
        "url": document.get_absolute_url(),
    }


def _application_out(application: Application, *, officer: bool = False) -> dict[str, Any]:
    credential = selectors.credential_of(application)
    return {
        "id": application.pk,
        "reference": application.reference,
        "service": application.service,
        "service_label": application.get_service_display(),
        "status": application.status,
        "status_label": application.get_status_display(),
        "stage": application.stage,
        "applicant_name": application.applicant_name,
        "data": application.data or {},
        "submitted_at": application.submitted_at,
        "decided_at": application.decided_at,
        "decision_reason": application.decision_reason,
        "documents": [_document_out(d) for d in application.documents.all()],
        "history": [
            {"at": h.at, "action": h.action, "from_status": h.from_status, "to_status": h.to_status, "note": h.note}
            for h in application.history.all()
        ],
        "actions": [action for action, _label in workflow.allowed_actions(application, officer=officer)],
        "certificate_code": getattr(credential, "code", None),
        "url": application.get_absolute_url(),
    }


def _row_out(application: Application) -> dict[str, Any]:
    return {
        "id": application.pk,
        "reference": application.reference,
        "service": application.service,
        "status": application.status,
        "applicant_name": application.applicant_name,
        "document_count": getattr(application, "document_count", 0),
        "submitted_at": application.submitted_at,
        "updated_at": application.updated_at,
        "url": application.get_absolute_url(),
    }


def _full(request: HttpRequest, application_id: Id) -> dict[str, Any]:
    application = selectors.access_application(actor=request.user, application_id=application_id)
    officer = application.applicant_id != request.user.pk
    return _application_out(application, officer=officer)


# Every kind of document some service asks for; which ones an application takes is its service's (GET /services).
DocumentKind = one_of(sorted({d.kind for spec in workflow.SERVICES.values() for d in spec.documents}), blank=False)


@router.get(
    "/services",
    response={200: list[AbroadServiceOut], **ERRORS},
    auth=None,
    operation_id="abroad_service_list",
    summary="留学服务事项及所需材料",
)
def service_list(request: HttpRequest) -> Any:
    return [_service_out(spec) for spec in workflow.SERVICES.values()]


@router.get(
    "/applications",
    response={200: AbroadApplicationPageOut, **ERRORS},
    operation_id="abroad_application_list",
    summary="我的申请",
)
def application_list(request: HttpRequest, page: Query[PageParams]) -> Any:
    result = paginate(selectors.applications_of(request.user), page)
    result["items"] = [_row_out(a) for a in result["items"]]
    return result


@router.post(
    "/applications",
    response={201: AbroadApplicationOut, **ERRORS},
    operation_id="abroad_application_create",
    summary="新建申请（草稿）",
)
def application_create(request: HttpRequest, data: AbroadApplicationIn) -> Any:
    application = services.application_create(applicant=request.user, service=data.service, data=data.data)
    return Status(201, _full(request, application.pk))


@router.get(
    "/applications/{application_id}",
    response={200: AbroadApplicationOut, **ERRORS},
    operation_id="abroad_application_get",
    summary="申请详情与办理进度",
)
def application_get(request: HttpRequest, application_id: Id) -> Any:
    return _full(request, application_id)


@router.patch(
    "/applications/{application_id}",
    response={200: AbroadApplicationOut, **ERRORS},
    operation_id="abroad_application_update",
    summary="修改草稿或补充信息",
)
def application_update(request: HttpRequest, application_id: Id, data: AbroadApplicationUpdateIn) -> Any:
    application = selectors.access_own_application(actor=request.user, application_id=application_id)
    services.application_update(applicant=request.user, application=application, data=data.data)
    return _full(request, application_id)


@router.post(
    "/applications/{application_id}/submit",
    response={200: AbroadApplicationOut, **ERRORS},
    operation_id="abroad_application_submit",
    summary="提交申请",
)
def application_submit(request: HttpRequest, application_id: Id) -> Any:
    application = selectors.access_own_application(actor=request.user, application_id=application_id)
    services.application_submit(applicant=request.user, application=application)
    return _full(request, application_id)


@router.post(
    "/applications/{application_id}/withdraw",
    response={200: AbroadApplicationOut, **ERRORS},
    operation_id="abroad_application_withdraw",
    summary="撤回申请",
)
def application_withdraw(request: HttpRequest, application_id: Id) -> Any:
    application = selectors.access_own_application(actor=request.user, application_id=application_id)
    services.application_withdraw(applicant=request.user, application=application)
    return _full(request, application_id)


@router.post(
    "/applications/{application_id}/documents",
    response={201: AbroadDocumentOut, **ERRORS},
    operation_id="abroad_document_upload",
    summary="上传材料（multipart：kind、file；PDF/JPEG/PNG，按内容识别）",
)
def document_upload(
    request: HttpRequest,
    application_id: Id,
    kind: Form[DocumentKind],  # type: ignore[valid-type]
    file: UploadedFile = File(...),  # noqa: B008 - ninja's way to declare an upload
) -> Any:
    application = selectors.access_own_application(actor=request.user, application_id=application_id)
    document = services.document_add(applicant=request.user, application=application, kind=kind, upload=file)
    return Status(201, _document_out(document))


@router.delete(
    "/applications/{application_id}/documents/{document_id}",
    response={204: None, **ERRORS},
    operation_id="abroad_document_remove",
    summary="删除材料",
)
def document_remove(request: HttpRequest, application_id: Id, document_id: Id) -> Any:
    application = selectors.access_own_application(actor=request.user, application_id=application_id)
    services.document_remove(applicant=request.user, application=application, document_id=document_id)
    return Status(204, None)


@router.get(
    "/queue",
    response={200: AbroadApplicationPageOut, **ERRORS},
    operation_id="abroad_queue",
    summary="办理队列（工作人员）",
)
def queue(request: HttpRequest, page: Query[PageParams], filters: Query[AbroadQueueParams]) -> Any:
    errors: dict[str, list[str]] = {}
    if filters.service and filters.service not in Service.values:
        errors["service"] = [_("没有这项服务")]
    if filters.status not in ("", "all") and filters.status not in AppStatus.values:
        errors["status"] = [_("未知的状态")]
    if filters.submitted_from and filters.submitted_to and filters.submitted_to < filters.submitted_from:
        errors["submitted_to"] = [_("结束日期不能早于开始日期")]
    if errors:
        raise DomainError("invalid", _("提交的内容有误"), fields=errors, status=422)
    qs = selectors.officer_queue(
        actor=request.user,
        filters=selectors.QueueFilter(
            service=filters.service,
            status=filters.status,
            submitted_from=filters.submitted_from,
            submitted_to=filters.submitted_to,
            q=filters.q,
        ),
    )
    result = paginate(qs, page)
    result["items"] = [_row_out(a) for a in result["items"]]
    return result


@router.post(
    "/applications/{application_id}/decide",
    response={200: AbroadApplicationOut, **ERRORS},
    operation_id="abroad_application_decide",
    summary="办理（工作人员）：受理、要求补充材料、通过、不通过",
)
def decide(request: HttpRequest, application_id: Id, data: AbroadDecisionIn) -> Any:
    application = selectors.access_application_for_review(actor=request.user, application_id=application_id)
    services.application_decide(
        actor=request.user, application=application, action=data.action, reason=data.reason, origin=Origin.of(request)
    )
    return _full(request, application_id)


@router.post(
    "/queue/bulk",
    response={200: AbroadBulkOut, **ERRORS},
    operation_id="abroad_bulk_decide",
    summary="批量办理（工作人员）：逐份检查，返回成功与失败的申请",
)
def bulk_decide(request: HttpRequest, data: AbroadBulkIn) -> Any:
    result = services.applications_bulk_decide(
        actor=request.user, application_ids=data.ids, action=data.action, reason=data.reason, origin=Origin.of(request)
    )
    return {"done": result.done, "failed": [{"id": i, "message": m} for i, m in result.failed]}
