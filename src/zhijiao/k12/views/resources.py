"""A resource's page and its media (streamed with byte ranges), uploads, the uploader's list and the review queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.csp import CSP
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_POST, require_safe

from zhijiao.analytics.services import mark_viewed
from zhijiao.core.files import serve_file
from zhijiao.core.views import service_errors

from .. import selectors, services
from ..forms import ReasonForm, ResourceUploadForm
from ..models import Resource


def back_to_next(request: HttpRequest, fallback: str) -> HttpResponse:
    """Back to the page the form was on (its ``next`` field, on this site only), else ``fallback``."""
    target = request.POST.get("next") or fallback
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None) or not target.startswith("/"):
        target = fallback
    return redirect(target)


@require_safe
def resource(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_resource(actor=request.user, resource_id=pk)
    if found.is_published:
        mark_viewed(request, found)
    context = {
        "resource": found,
        "progress": selectors.progress_of(student=request.user, resource=found),
        "can_edit": selectors.can_edit_resource(request.user, found),
        "can_review": selectors.can_review_resources(request.user),
        "reason_form": ReasonForm(),
    }
    return render(request, "k12/resource.html", context)


MEDIA_CSP = {"default-src": [CSP.NONE], "frame-ancestors": [CSP.SELF], "style-src": [CSP.UNSAFE_INLINE]}


def _download_name(found: Resource, name: str) -> str:
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    return f"{found.title}.{extension}" if extension else found.title


@require_safe
@xframe_options_sameorigin
@csp_override(MEDIA_CSP)
def media_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The resource's file, streamed with byte ranges (video seeking, iOS Safari) or as a download."""
    found = selectors.access_resource(actor=request.user, resource_id=pk)
    if not found.file:
        raise Http404
    download = request.GET.get("download") == "1"
    return serve_file(
        request,
        found.file,
        content_type=found.mime_type or "application/octet-stream",
        filename=_download_name(found, str(found.file.name)),
        download=download,
        public=found.is_published,
    )


@require_safe
@csp_override(MEDIA_CSP)
def media_poster(request: HttpRequest, pk: int) -> HttpResponseBase:
    found = selectors.access_resource(actor=request.user, resource_id=pk)
    if not found.poster:
        raise Http404
    return serve_file(
        request, found.poster, content_type=_image_type(str(found.poster.name)), public=found.is_published
    )


@require_safe
@csp_override(MEDIA_CSP)
def media_image(request: HttpRequest, pk: int, position: int) -> HttpResponseBase:
    found = selectors.access_resource(actor=request.user, resource_id=pk)
    picture = next((item for item in found.images.all() if item.position == position), None)
    if picture is None:
        raise Http404
    return serve_file(
        request, picture.image, content_type=_image_type(str(picture.image.name)), public=found.is_published
    )


def _image_type(name: str) -> str:
    lower = name.lower()
    if lower.endswith(".png"):
        return "image/png"
    if lower.endswith(".webp"):
        return "image/webp"
    return "image/jpeg"


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    if not selectors.can_upload_resource(request.user):
        raise PermissionDenied(_("只有教师和平台工作人员可以上传资源"))
    form = ResourceUploadForm(request.POST or None, request.FILES or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        lesson_obj = data["lesson"]
        with service_errors(form) as outcome:
            created = services.resource_create(
                actor=request.user,
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                teacher_name=data["teacher_name"],
                school_name=data["school_name"],
                licence=data["licence"],
                tags=data["tags"],
                url=data["url"] or "",
                file=data["file"],
                poster=data["poster"],
                images=data["images"],
                lesson=lesson_obj,
                subject_id=data["subject"].pk if data["subject"] else None,
                grade=data["grade"],
                column=data["column"] or "",
                is_explanation=data["is_explanation"],
            )
        if outcome.ok:
            messages.success(request, _("资源已保存为草稿，提交审核后发布"))
            return redirect(created)
    status = 422 if request.method == "POST" else 200
    return render(request, "k12/upload.html", {"form": form}, status=status)


@login_required
def my_resources(request: HttpRequest) -> HttpResponse:
    if not selectors.can_upload_resource(request.user):
        raise PermissionDenied
    items = selectors.resources_owned(user=request.user)
    return render(request, "k12/my_resources.html", {"resources": items})


@require_POST
@login_required
def resource_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """submit / publish / reject / withdraw, each through its service."""
    found = selectors.access_resource(actor=request.user, resource_id=pk)
    if action == "submit":
        services.resource_submit(actor=request.user, resource=found)
        messages.success(request, _("已提交审核"))
    elif action == "publish":
        services.resource_publish(actor=request.user, resource=found)
        messages.success(request, _("资源已发布"))
    elif action == "reject":
        services.resource_reject(actor=request.user, resource=found, reason=request.POST.get("reason", ""))
        messages.success(request, _("已退回给上传者"))
    elif action == "withdraw":
        services.resource_withdraw(actor=request.user, resource=found, reason=request.POST.get("reason", ""))
        messages.success(request, _("资源已撤回"))
    else:
        raise Http404
    return back_to_next(request, found.get_absolute_url())


@login_required
def review(request: HttpRequest) -> HttpResponse:
    if not selectors.can_review_resources(request.user):
        raise PermissionDenied
    return render(request, "k12/review.html", {"resources": selectors.review_queue(), "reason_form": ReasonForm()})
