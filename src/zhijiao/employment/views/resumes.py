"""Resume pages: versions and their entries, the employer's view, the PDF."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from zhijiao.core.actors import MemberRequest
from zhijiao.core.views import service_errors

from .. import forms, selectors, services
from ..models import ResumeEntry
from ..pdf import resume_pdf


@require_http_methods(["GET", "POST"])
@login_required
def resume_new(request: MemberRequest) -> HttpResponse:
    graduate = selectors.graduate_of(request.user)
    form = forms.ResumeForm(
        request.POST or None,
        initial={
            "title": _("通用简历"),
            "full_name": graduate.real_name if graduate else "",
            "phone": getattr(request.user, "phone", "") or "",
        },
    )
    if request.method == "POST" and form.is_valid():
        with service_errors(form) as outcome:
            resume = services.resume_save(owner=request.user, **form.cleaned_data)
        if outcome.ok:
            return redirect(resume)
    return render(request, "employment/resume_form.html", {"form": form}, status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def resume_edit(request: MemberRequest, resume_id: int) -> HttpResponse:
    resume = selectors.access_own_resume(actor=request.user, resume_id=resume_id)
    form = (
        forms.ResumeForm(request.POST or None, instance=resume)
        if request.POST.get("part") != "entry"
        else forms.ResumeForm(instance=resume)
    )
    entry_form = forms.ResumeEntryForm(request.POST if request.POST.get("part") == "entry" else None)
    if request.method == "POST":
        if request.POST.get("part") == "entry":
            if entry_form.is_valid():
                with service_errors(entry_form) as outcome:
                    services.resume_entry_add(owner=request.user, resume=resume, **entry_form.cleaned_data)
                if outcome.ok:
                    messages.success(request, _("已添加"))
                    return redirect(resume)
        elif form.is_valid():
            fields = {name: form.cleaned_data[name] for name in services.RESUME_FIELDS}
            with service_errors(form) as outcome:
                services.resume_save(owner=request.user, resume=resume, **fields)
            if outcome.ok:
                messages.success(request, _("简历已保存"))
                return redirect(resume)
    entries = list(resume.entries.all())
    sections = [
        (value, label, [e for e in entries if e.section == value]) for value, label in ResumeEntry.Section.choices
    ]
    return render(
        request,
        "employment/resume_edit.html",
        {"resume": resume, "form": form, "entry_form": entry_form, "sections": sections},
        status=422 if form.errors or entry_form.errors else 200,
    )


@require_POST
@login_required
def resume_action(request: MemberRequest, resume_id: int) -> HttpResponse:
    resume = selectors.access_own_resume(actor=request.user, resume_id=resume_id)
    action = request.POST.get("action")
    if action == "copy":
        copy = services.resume_copy(
            owner=request.user, resume=resume, title=_("%(title)s（副本）") % {"title": resume.title}
        )
        return redirect(copy)
    if action == "delete":
        services.resume_delete(owner=request.user, resume=resume)
        messages.success(request, _("简历已删除"))
        return redirect("employment:graduate_home")
    if action == "remove_entry":
        services.resume_entry_remove(owner=request.user, entry_id=int(request.POST.get("entry_id") or 0))
    return redirect(resume)


@require_safe
@login_required
def resume_view(request: MemberRequest, resume_id: int) -> HttpResponse:
    """A resume as an employer sees it (or its owner previews it)."""
    resume = selectors.access_resume(actor=request.user, resume_id=resume_id)
    entries = list(resume.entries.all())
    sections = [(v, label, [e for e in entries if e.section == v]) for v, label in ResumeEntry.Section.choices]
    return render(request, "employment/resume_view.html", {"resume": resume, "sections": sections})


@require_safe
@login_required
def resume_download(request: MemberRequest, resume_id: int) -> HttpResponseBase:
    resume = selectors.access_resume(actor=request.user, resume_id=resume_id)
    data = resume_pdf(resume, labels={"objective": _("求职意向"), "summary": _("自我评价")})
    return FileResponse(io.BytesIO(data), content_type="application/pdf", filename=f"resume-{resume.pk}.pdf")
