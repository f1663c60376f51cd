"""A graduate's home: registration with their university, applications, resumes, agreements."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhijiao.core.actors import MemberRequest
from zhijiao.core.views import service_errors

from .. import forms, selectors, services


@require_http_methods(["GET", "POST"])
@login_required
def graduate_home(request: MemberRequest) -> HttpResponse:
    graduate = selectors.graduate_of(request.user)
    form = forms.GraduateForm(
        request.POST or None,
        initial={
            "university": graduate.university_id if graduate else None,
            "graduation_year": graduate.graduation_year if graduate else timezone.localdate().year,
            "real_name": graduate.real_name if graduate else "",
            "major": graduate.major if graduate else "",
            "discipline": graduate.discipline if graduate else "",
            "education": graduate.education if graduate else 3,
            "student_number": graduate.student_number if graduate else "",
        },
        actor=request.user,
    )
    if request.method == "POST" and form.is_valid():
        with service_errors(form) as outcome:
            services.graduate_register(user=request.user, **form.cleaned_data)
        if outcome.ok:
            messages.success(request, _("已提交，等待学校就业部门确认"))
            return redirect("employment:graduate_home")
    return render(
        request,
        "employment/graduate_home.html",
        {
            "graduate": graduate,
            "form": form,
            "applications": list(selectors.applications_of_graduate(user=request.user)[:50]),
            "resumes": list(selectors.resumes_of(user=request.user)),
            "agreements": list(selectors.agreements_of(actor=request.user).filter(graduate_id=request.user.pk)[:10]),
        },
        status=422 if form.errors else 200,
    )
