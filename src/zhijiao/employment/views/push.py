"""Job push pages: a graduate's wishes and what was pushed, and the one-click stop without signing in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from zhijiao.core.actors import MemberRequest
from zhijiao.core.views import service_errors

from .. import forms, selectors, services
from ..models import PushPreference


@require_http_methods(["GET", "POST"])
@login_required
def push_preferences(request: MemberRequest) -> HttpResponse:
    graduate = selectors.graduate_of(request.user)
    if graduate is None:
        messages.info(request, _("请先登记毕业生信息"))
        return redirect("employment:graduate_home")
    prefs: dict[str, list[str]] = {}
    for kind, value in PushPreference.objects.filter(graduate=graduate).values_list("kind", "value"):
        prefs.setdefault(kind, []).append(value)
    form = forms.PushPreferenceForm(
        request.POST or None,
        initial={
            "region_codes": prefs.get("region", []),
            "industries": prefs.get("industry", []),
            "occupations": prefs.get("occupation", []),
            "salary_min": graduate.push_salary_min,
            "enabled": graduate.push_enabled,
        },
        actor=request.user,
    )
    if request.method == "POST" and form.is_valid():
        with service_errors(form) as outcome:
            services.push_preferences_update(
                graduate=graduate,
                region_codes=form.region_list(),
                industries=form.cleaned_data["industries"],
                occupations=form.cleaned_data["occupations"],
                salary_min=form.cleaned_data["salary_min"],
                enabled=form.cleaned_data["enabled"],
            )
        if outcome.ok:
            messages.success(request, _("推送设置已保存"))
            return redirect("employment:push_preferences")
    return render(
        request,
        "employment/push_preferences.html",
        {"form": form, "graduate": graduate, "pushes": list(selectors.pushes_of(graduate=graduate, limit=30))},
        status=422 if form.errors else 200,
    )


@require_safe
@login_required
def pushes(request: MemberRequest) -> HttpResponse:
    return redirect("employment:push_preferences")


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def push_stop(request: HttpRequest, token: str) -> HttpResponse:
    """No sign-in: the signed, expiring link in every push. Opening it asks once (a mail scanner that follows
    links must not stop anything); its button, the button in the notification centre and a mail program's
    one-click unsubscribe (RFC 8058, a POST without any cookie) stop further pushes. The signed token is what
    authorises the POST, so it needs no CSRF token: a forger would have to know it."""
    if request.method == "POST":
        services.push_stop(token=token)
        return render(request, "employment/push_stopped.html", {"stopped": True})
    selectors.access_push_stop(token=token)
    return render(request, "employment/push_stopped.html", {"stopped": False, "token": token})
