"""Staff screens of the forums: threads with their posts, posts, reports. Hiding goes through
``services.post_hide`` (a reason is asked for on an intermediate page, and the audit log keeps it), the same path
as the teaching team's hide button."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from zhijiao.core.actors import Origin
from zhijiao.core.errors import DomainError

from . import services
from .models import REASON_MAX, Participation, Post, Report, Thread, Vote


class HideForm(forms.Form):
    reason = forms.CharField(label=_("隐藏原因"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3}))


def _hide(modeladmin: admin.ModelAdmin, request: HttpRequest, posts: list[Post]) -> TemplateResponse | None:
    """Ask for a reason, then hide each post through the service."""
    form = HideForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        done = 0
        for post in posts:
            try:
                services.post_hide(
                    actor=request.user,
                    post=post,
                    reason=form.cleaned_data["reason"],
                    origin=Origin.of(request),
                )
                done += 1
            except (ValidationError, DomainError, PermissionDenied) as exc:
                modeladmin.message_user(request, f"#{post.pk}: {exc}", messages.WARNING)
        modeladmin.message_user(request, _("已隐藏 %(n)d 条帖子") % {"n": done}, messages.SUCCESS)
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("隐藏帖子"),
        "form": form,
        "posts": posts,
        "action": request.POST.get("action", ""),
        "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
        "opts": modeladmin.model._meta,
    }
    return TemplateResponse(request, "admin/discussion/hide.html", context)


class PostInline(admin.TabularInline):
    model = Post
    extra = 0
    fields = ("author", "parent", "body", "vote_count", "report_count", "hidden_at", "hidden_reason")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Post]:
        return super().get_queryset(request).select_related("author")


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "course", "run", "author", "reply_count", "pinned", "closed", "hidden")
    list_filter = ("kind", "pinned", "closed", "hidden")
    search_fields = ("title",)
    raw_id_fields = ("run", "course", "author", "accepted_post")
    readonly_fields = ("reply_count", "last_activity_at", "staff_replied", "hidden")
    list_select_related = ("course", "run", "author")
    inlines = [PostInline]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("__str__", "author", "by_staff", "vote_count", "report_count", "hidden_at", "created_at")
    list_filter = ("by_staff", ("hidden_at", admin.EmptyFieldListFilter))
    search_fields = ("body",)
    raw_id_fields = ("thread", "author", "parent", "hidden_by")
    readonly_fields = ("vote_count", "report_count", "hidden_at", "hidden_by", "hidden_reason")
    list_select_related = ("thread", "author")
    actions = ["hide_posts"]

    @admin.action(description=_("隐藏所选帖子（需填写原因）"))
    def hide_posts(self, request: HttpRequest, queryset: QuerySet[Post]) -> TemplateResponse | None:
        return _hide(self, request, list(queryset.select_related("thread__run__course")))


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("post", "reporter", "reason", "resolved", "created_at")
    list_filter = ("resolved",)
    raw_id_fields = ("post", "reporter")
    list_select_related = ("post__thread", "reporter")
    actions = ["hide_reported", "mark_resolved"]

    @admin.action(description=_("隐藏被举报的帖子（需填写原因）"))
    def hide_reported(self, request: HttpRequest, queryset: QuerySet[Report]) -> TemplateResponse | None:
        posts = {report.post_id: report.post for report in queryset.select_related("post__thread__run__course")}
        return _hide(self, request, list(posts.values()))

    @admin.action(description=_("标记为已处理"))
    def mark_resolved(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        count = queryset.update(resolved=True)
        self.message_user(request, _("已处理 %(n)d 条举报") % {"n": count}, messages.SUCCESS)


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ("run", "user", "content_id", "first_posted_at", "reply_count")
    raw_id_fields = ("run", "user")
    list_select_related = ("run__course", "user")


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ("post", "user", "created_at")
    raw_id_fields = ("post", "user")
