"""Saved job searches: keep one, delete one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijiao.core.actors import MemberRequest
from zhijiao.core.errors import DomainError

from .. import forms, services


@require_POST
@login_required
def saved_search_create(request: MemberRequest) -> HttpResponse:
    form = forms.SavedSearchForm(request.POST)
    if form.is_valid():
        try:
            services.saved_search_create(
                user=request.user, name=form.cleaned_data["name"], query=form.cleaned_data["query"]
            )
            messages.success(request, _("已保存搜索"))
        except (DomainError, ValidationError) as exc:
            messages.error(request, getattr(exc, "message", _("保存失败")))
    return redirect(reverse("employment:job_list") + "?" + (form.data.get("query") or ""))


@require_POST
@login_required
def saved_search_delete(request: MemberRequest, saved_id: int) -> HttpResponse:
    services.saved_search_delete(user=request.user, saved_id=saved_id)
    messages.success(request, _("已删除保存的搜索"))
    return redirect("employment:job_list")
