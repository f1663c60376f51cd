"""Pages of the study-abroad services. Thin: forms parse, selectors read and check access, services write; what a
selector does not find is the 404 page and what a service refuses is shown by ``core.middleware.PageErrorMiddleware``
or next to the form's fields (``core.views.service_errors``)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from zhijiao.accounts.selectors import real_name_of
from zhijiao.core.actors import Origin
from zhijiao.core.errors import DomainError, NotFound
from zhijiao.core.views import service_errors
from zhijiao.credentials import selectors as credential_selectors
from zhijiao.credentials.models import Credential

from . import selectors, services, workflow
from .forms import BulkForm, DecisionForm, DocumentForm, QueueFilterForm
from .models import Application, Document, Service, Status

PER_PAGE = 20


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return _("；").join(exc.messages)
    if isinstance(exc, DomainError):
        return str(exc.message)
    return str(exc)


def _service_or_404(service: str) -> workflow.ServiceSpec:
    if service not in workflow.SERVICES:
        raise Http404
    return workflow.spec_of(service)


def _services() -> list[dict[str, Any]]:
    rows = []
    for spec in workflow.SERVICES.values():
        form_class = spec.form
        rows.append(
            {
                "spec": spec,
                "key": spec.service,
                "label": spec.label,
                "authority": services.issuer_of(spec.service),
                "documents": spec.documents,
                "fields": [
                    [str(form_class.base_fields[name].label) for name in names]
                    for _stage, names in sorted(form_class.stages.items())
                ],
            }
        )
    return rows


# --- Applicants ------------------------------------------------------------------------------------------------


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """The four services, what each needs, and (signed in) the visitor's own applications."""
    mine = list(selectors.applications_of(request.user)[:50])
    return render(
        request,
        "abroad/index.html",
        {
            "services": _services(),
            "applications": mine,
            "is_officer": selectors.is_abroad_officer(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def application_start(request: HttpRequest, service: str) -> HttpResponse:
    """Start a draft: the service's fields (all optional for now) and what will be needed to submit."""
    spec = _service_or_404(service)
    context: dict[str, Any] = {"spec": spec, "authority": services.issuer_of(spec.service)}
    if real_name_of(request.user) is None:
        # Nothing official is issued to a nickname: the page says how to complete identity, and offers no form.
        return render(request, "abroad/start.html", context, status=403 if request.method == "POST" else 200)
    form = spec.form(request.POST or None, stage=1, partial=True)
    if request.method == "POST" and form.is_valid():
        with service_errors(form) as outcome:
            application = services.application_create(
                applicant=request.user, service=service, data=_posted(request, form)
            )
        if outcome.ok:
            messages.success(request, _("草稿已保存，请上传所需材料后提交"))
            return redirect("abroad:application_edit", application.pk)
    context["form"] = form
    return render(request, "abroad/start.html", context, status=422 if request.method == "POST" else 200)


def _posted(request: HttpRequest, form: Any) -> dict[str, Any]:
    """The raw posted values of the form's own fields (the service validates them again)."""
    return {name: request.POST.get(name, "") for name in form.fields}


@require_safe
@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.applications_of(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "abroad/my_applications.html", {"page": page})


def _detail_context(request: HttpRequest, application: Application) -> dict[str, Any]:
    spec = workflow.spec_of(application.service)
    documents = list(application.documents.all())
    kinds = {d.kind: str(d.label) for d in spec.documents}
    return {
        "application": application,
        "spec": spec,
        "fields": spec.form.display(application.data or {}),
        "documents": [(document, kinds.get(document.kind, document.kind)) for document in documents],
        "history": list(application.history.all()),
        "credential": selectors.credential_of(application),
        "is_applicant": application.applicant_id == request.user.pk,
        "editable": workflow.is_editable(application),
        "applicant_actions": workflow.allowed_actions(application, officer=False),
    }


def _facts_context(request: HttpRequest, application: Application) -> dict[str, Any]:
    """The detail context and whom the application's documents name: the applicant's verified identity (joined in
    by ``selectors.access_application``, so no query)."""
    return {**_detail_context(request, application), "holder": real_name_of(application.applicant)}


@require_safe
@login_required
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    """The application, its documents and its status timeline; the applicant's next steps."""
    application = selectors.access_application(actor=request.user, application_id=application_id)
    if application.applicant_id != request.user.pk:
        return redirect("abroad:review", application.pk)
    return render(request, "abroad/detail.html", _facts_context(request, application))


@require_http_methods(["GET", "POST"])
@login_required
def application_edit(request: HttpRequest, application_id: int) -> HttpResponse:
    """Change a draft's fields and documents (or add what an officer asked for)."""
    application = selectors.access_own_application(actor=request.user, application_id=application_id)
    if not workflow.is_editable(application):
        messages.error(request, _("申请已提交，当前状态不能修改"))
        return redirect(application)
    spec = workflow.spec_of(application.service)
    form = spec.form(request.POST or None, initial=application.data, stage=application.stage, partial=True)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            with service_errors(form) as outcome:
                services.application_update(
                    applicant=request.user, application=application, data=_posted(request, form)
                )
            if outcome.ok:
                messages.success(request, _("已保存"))
                return redirect("abroad:application_edit", application.pk)
    return _edit_page(request, application, form=form, status=status)


def _edit_page(
    request: HttpRequest,
    application: Application,
    *,
    form: Any = None,
    document_form: DocumentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    spec = workflow.spec_of(application.service)
    kinds = [(d.kind, str(d.label)) for d in spec.documents_of(application.stage)]
    if form is None:
        form = spec.form(initial=application.data, stage=application.stage, partial=True)
    context = _detail_context(request, application)
    present = {document.kind for document, _label in context["documents"] if document.stage == application.stage}
    context.update(
        {
            "form": form,
            "document_form": document_form or DocumentForm(kinds=kinds),
            "required_documents": [(d, d.kind in present) for d in spec.documents_of(application.stage)],
            "missing": services.missing_documents(application),
        }
    )
    return render(request, "abroad/edit.html", context, status=status)


@require_POST
@login_required
def document_upload(request: HttpRequest, application_id: int) -> HttpResponse:
    application = selectors.access_own_application(actor=request.user, application_id=application_id)
    spec = workflow.spec_of(application.service)
    kinds = [(d.kind, str(d.label)) for d in spec.documents_of(application.stage)]
    form = DocumentForm(request.POST, request.FILES, kinds=kinds)
    if form.is_valid():
        with service_errors(form) as outcome:
            services.document_add(
                applicant=request.user,
                application=application,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        if outcome.ok:
            messages.success(request, _("已上传：%(name)s") % {"name": form.cleaned_data["file"].name})
            return redirect("abroad:application_edit", application.pk)
    if not workflow.is_editable(application):
        messages.error(request, _("；").join(str(e) for e in form.non_field_errors()) or _("当前状态不能修改"))
        return redirect(application)
    return _edit_page(request, application, document_form=form, status=422)


@require_POST
@login_required
def document_remove(request: HttpRequest, application_id: int, document_id: int) -> HttpResponse:
    application = selectors.access_own_application(actor=request.user, application_id=application_id)
    services.document_remove(applicant=request.user, application=application, document_id=document_id)
    messages.success(request, _("已删除材料"))
    return redirect("abroad:application_edit", application.pk)


@require_safe
@login_required
def document_download(request: HttpRequest, application_id: int, document_id: int) -> HttpResponseBase:
    """A document, only for its applicant and officers; never cached by shared caches."""
    document = selectors.access_document(actor=request.user, application_id=application_id, document_id=document_id)
    return _private_file(document)


def _private_file(document: Document) -> HttpResponseBase:
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=True, filename=document.original_name, content_type=document.content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@login_required
def application_submit(request: HttpRequest, application_id: int) -> HttpResponse:
    application = selectors.access_own_application(actor=request.user, application_id=application_id)
    try:
        services.application_submit(applicant=request.user, application=application)
    except (ValidationError, DomainError) as exc:
        messages.error(request, _("还不能提交：%(why)s") % {"why": _error_text(exc)})
        if workflow.is_editable(application):
            return redirect("abroad:application_edit", application.pk)
        return redirect(application)
    messages.success(request, _("已提交，请留意办理进度通知"))
    return redirect(application)


@require_POST
@login_required
def application_withdraw(request: HttpRequest, application_id: int) -> HttpResponse:
    application = selectors.access_own_application(actor=request.user, application_id=application_id)
    services.application_withdraw(applicant=request.user, application=application)
    messages.success(request, _("申请已撤回"))
    return redirect(application)


def _credential_for(request: HttpRequest, application_id: int) -> Credential:
    application = selectors.access_application(actor=request.user, application_id=application_id)
    credential = selectors.credential_of(application)
    if credential is None:
        raise NotFound
    return credential


@require_safe
@login_required
def certificate_pdf(request: HttpRequest, application_id: int) -> HttpResponse:
    """The foreign degree authentication certificate as a PDF (applicant and officers)."""
    credential = _credential_for(request, application_id)
    response = HttpResponse(credential_selectors.credential_pdf(credential), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="foreign-degree-{application_id}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@login_required
def certificate_json(request: HttpRequest, application_id: int) -> HttpResponse:
    """The same certificate as a W3C Verifiable Credential (VC-JWT and its decoded form)."""
    credential = _credential_for(request, application_id)
    body = json.dumps(credential_selectors.credential_json(credential), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="foreign-degree-{application_id}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@login_required
def placement_letter(request: HttpRequest, application_id: int) -> HttpResponse:
    """A returnee's placement letter (派遣函) once it has been issued."""
    from .pdf import placement_pdf

    application = selectors.access_application(actor=request.user, application_id=application_id)
    if application.service != Service.RETURNEE or application.status != Status.PLACED:
        raise NotFound
    response = HttpResponse(placement_pdf(application), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="placement-{application_id}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Officers ----------------------------------------------------------------------------------------------------


@require_safe
@login_required
def queue(request: HttpRequest, service: str = "") -> HttpResponse:
    """The officers' queue across services (or of one), filtered and paged, with bulk actions."""
    if service:
        _service_or_404(service)
    if not selectors.is_abroad_officer(request.user):
        raise NotFound
    form = QueueFilterForm(request.GET or None)
    filters = selectors.QueueFilter(service=service)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.QueueFilter(
            service=service or data["service"],
            status=data["status"],
            submitted_from=data["submitted_from"],
            submitted_to=data["submitted_to"],
            q=data["q"],
        )
    page = Paginator(selectors.officer_queue(actor=request.user, filters=filters), PER_PAGE).get_page(
        request.GET.get("page")
    )
    params = {k: v for k, v in request.GET.items() if k != "page" and v}
    counts = selectors.queue_counts(actor=request.user)
    return render(
        request,
        "abroad/queue.html",
        {
            "form": form,
            "page": page,
            "service": service,
            "service_label": Service(service).label if service else "",
            "query": urlencode(params),
            "tabs": [(spec.service, spec.label, counts.get(spec.service, 0)) for spec in workflow.SERVICES.values()],
            "total_waiting": sum(counts.values()),
            "bulk_actions": BulkForm.base_fields["action"].choices,  # type: ignore[attr-defined]
            "next": request.get_full_path(),
        },
    )


@require_POST
@login_required
def bulk_decide(request: HttpRequest) -> HttpResponse:
    """Apply one action to the selected applications; say which ones failed and why."""
    if not selectors.is_abroad_officer(request.user):
        raise NotFound
    form = BulkForm(request.POST)
    back = request.POST.get("next", "")
    if not back.startswith(reverse("abroad:queue")):
        back = reverse("abroad:queue")
    if not form.is_valid():
        messages.error(request, _("请选择申请和批量操作"))
        return redirect(back)
    result = services.applications_bulk_decide(
        actor=request.user,
        application_ids=form.cleaned_data["ids"],
        action=form.cleaned_data["action"],
        reason=form.cleaned_data["reason"],
        origin=Origin.of(request),
    )
    if result.done:
        messages.success(request, _("已处理 %(n)s 份申请") % {"n": len(result.done)})
    for application_id, why in result.failed:
        messages.error(
            request, _("%(ref)s 未处理：%(why)s") % {"ref": Application(pk=application_id).reference, "why": why}
        )
    return redirect(back)


@require_safe
@login_required
def review(request: HttpRequest, application_id: int) -> HttpResponse:
    """An officer's view of one application: fields, documents to check, history and the decision form."""
    if not selectors.is_abroad_officer(request.user):
        raise NotFound
    application = selectors.access_application(actor=request.user, application_id=application_id)
    context = _facts_context(request, application)
    actions = workflow.allowed_actions(application, officer=True)
    context.update({"decision_form": DecisionForm(actions=actions) if actions else None})
    return render(request, "abroad/review.html", context)


@require_POST
@login_required
def decide(request: HttpRequest, application_id: int) -> HttpResponse:
    application = selectors.access_application_for_review(actor=request.user, application_id=application_id)
    actions = workflow.allowed_actions(application, officer=True)
    form = DecisionForm(request.POST, actions=actions)
    if form.is_valid():
        with service_errors(form) as outcome:
            services.application_decide(
                actor=request.user,
                application=application,
                action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
                origin=Origin.of(request),
            )
        if outcome.ok:
            application.refresh_from_db()
            messages.success(
                request,
                _("%(ref)s 已办理：%(status)s")
                % {"ref": application.reference, "status": application.get_status_display()},
            )
            return redirect("abroad:review", application.pk)
    full = selectors.access_application(actor=request.user, application_id=application_id)
    context = _detail_context(request, full)
    context["decision_form"] = form
    return render(request, "abroad/review.html", context, status=422)


@require_POST
@login_required
def document_check(request: HttpRequest, application_id: int, document_id: int) -> HttpResponse:
    if not selectors.is_abroad_officer(request.user):
        raise NotFound
    document = selectors.access_document(actor=request.user, application_id=application_id, document_id=document_id)
    services.document_check(
        actor=request.user, document=document, checked=request.POST.get("checked") == "1", origin=Origin.of(request)
    )
    return redirect("abroad:review", application_id)
