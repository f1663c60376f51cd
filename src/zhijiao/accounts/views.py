"""Account pages: sign in and out, sign up, profile, real-name identity, API tokens. Thin: services decide."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from zhijiao.core.actors import Origin, signed_in
from zhijiao.core.errors import DomainError, NotFound
from zhijiao.core.views import service_errors
from zhijiao.orgs.selectors import memberships_of

from . import selectors, services
from .forms import IdentityForm, LoginForm, RegisterForm, TokenCreateForm


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    # Only a path on this site ("/…"): a bare word would be taken for a URL name by redirect().
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(fallback)


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, settings.LOGIN_REDIRECT_URL)
    if signed_in(request.user) and request.method == "GET":
        return redirect(next_url)
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            # Not service_errors(form): the refusal's own status (400 wrong password, 429 locked) is the page's.
            try:
                services.login_attempt(
                    request=request, login=form.cleaned_data["login"], password=form.cleaned_data["password"]
                )
            except DomainError as exc:
                form.add_error(None, str(exc.message))
                status = exc.status
            else:
                return redirect(next_url)
    return render(request, "accounts/login.html", {"form": form, "next": next_url}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    services.user_logout(request=request)
    messages.info(request, _("您已安全退出"))
    return redirect(settings.LOGOUT_REDIRECT_URL)


@sensitive_post_parameters("password1", "password2")
@never_cache
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    form = RegisterForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            with service_errors(form) as outcome:
                user = services.user_register(
                    phone=data["phone"] or None,
                    email=data["email"] or None,
                    password=data["password1"],
                    display_name=data["display_name"],
                    language=getattr(request, "LANGUAGE_CODE", ""),
                    origin=Origin.of(request),
                )
            if outcome.ok:
                login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
                messages.success(request, _("注册成功，欢迎加入智教平台"))
                return redirect("accounts:profile")
        return render(request, "accounts/register.html", {"form": form}, status=422)
    return render(request, "accounts/register.html", {"form": form})


@login_required
@require_http_methods(["GET"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/profile.html",
        {
            "memberships": memberships_of(user),
            "children": selectors.children_of(user),
            "identity": selectors.identity_of(user),
        },
    )


@sensitive_post_parameters("id_number", "password")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def identity(request: HttpRequest) -> HttpResponse:
    current = selectors.identity_of(request.user)
    # A service that needs identity links here with ?next= back to itself (hall/_identity_required.html).
    here = resolve_url("accounts:identity")
    next_url = _safe_next(request, here)
    context: dict[str, object] = {"identity": current, "next": next_url if next_url != here else ""}
    status = 200
    if current is not None:
        context["ask_password"] = not services.password_recently_confirmed(request=request)
        if request.method == "POST" and request.POST.get("action") == "reveal":
            # Only the owner reaches this page; a wrong password (or an inactive account) leaves as 403.
            try:
                context["full_number"] = services.identity_reveal_confirmed(
                    request=request,
                    user=request.user,  # type: ignore[arg-type]
                    identity=current,
                    password=request.POST.get("password", ""),
                )
            except DomainError as exc:
                context["reveal_error"] = str(exc.message)
                status = exc.status
        return render(request, "accounts/identity.html", context, status=status)
    form = IdentityForm(request.POST or None)
    if request.method == "POST":
        status = 422
        if form.is_valid():
            with service_errors(form) as outcome:
                services.identity_verify(
                    user=request.user,  # type: ignore[arg-type]
                    real_name=form.cleaned_data["real_name"],
                    id_number=form.cleaned_data["id_number"],
                    origin=Origin.of(request),
                )
            if outcome.ok:
                messages.success(request, _("实名认证已完成"))
                return redirect(next_url)
    context["form"] = form
    return render(request, "accounts/identity.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenCreateForm()
    context: dict[str, object] = {}
    status = 200
    if request.method == "POST" and request.POST.get("action") == "revoke":
        # A token that is not there (or not theirs) is a message on this page, not the 404 page.
        try:
            token_id = int(request.POST.get("token_id", ""))
            services.token_revoke(actor=request.user, token_id=token_id, origin=Origin.of(request))
        except (ValueError, NotFound):
            messages.error(request, _("找不到该令牌"))
        else:
            messages.success(request, _("令牌已撤销，使用它的程序将无法再访问"))
        return redirect("accounts:tokens")
    if request.method == "POST":
        form = TokenCreateForm(request.POST)
        status = 422
        if form.is_valid():
            with service_errors(form) as outcome:
                token, raw = services.token_create(
                    user=request.user,  # type: ignore[arg-type]
                    name=form.cleaned_data["name"],
                    scopes=form.cleaned_data["scopes"],
                    expires_in_days=form.cleaned_data["expires_in_days"],
                    origin=Origin.of(request),
                )
            if outcome.ok:
                status = 200
                context.update(new_token=token, raw_token=raw)
                form = TokenCreateForm()
    context.update(form=form, tokens=selectors.tokens_of(request.user))
    return render(request, "accounts/tokens.html", context, status=status)
