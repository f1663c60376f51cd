"""Staff screens of the review engine (review staff: platform admins). Calls and their rubric, the expert pool's
fields and declared conflicts are plain edits; everything that moves a submission — the format check, assignment
(by hand, or the automatic action on calls), decisions and appeals — goes through the services on the
submission's 处理 page, with the same checks, audit log and notifications as the API."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from zhijiao.accounts.models import User
from zhijiao.core.actors import Origin
from zhijiao.core.errors import NotFound
from zhijiao.core.views import service_errors
from zhijiao.orgs.models import Organization

from . import conflicts, kinds, selectors, services, workflow
from .models import (
    ATTACHMENT_ROLES,
    Appeal,
    Assignment,
    Attachment,
    Author,
    Call,
    Criterion,
    DeclaredConflict,
    ExpertProfile,
    Submission,
)


class ReviewStaffAdmin(admin.ModelAdmin):
    """Visible to review staff (platform admins, who are Django staff) as well as to those Django permits."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return selectors.is_review_staff(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return selectors.is_review_staff(request.user) or super().has_view_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return selectors.is_review_staff(request.user) or super().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return selectors.is_review_staff(request.user) or super().has_add_permission(request, *args)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return selectors.is_review_staff(request.user) or super().has_delete_permission(request, obj)


class CallForm(forms.ModelForm):
    kind = forms.ChoiceField(label=_("评审类型"), choices=kinds.choices)
    eligible_org_kinds = forms.MultipleChoiceField(
        label=_("可申报的机构类型"),
        choices=Organization.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("都不选表示不限。"),
    )
    required_roles = forms.MultipleChoiceField(
        label=_("必交材料"),
        choices=lambda: [(code, str(label)) for code, label in ATTACHMENT_ROLES.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Call
        fields = (
            "kind", "title", "body", "opens_on", "closes_on", "review_deadline", "eligible_org_kinds",
            "required_roles", "reviewers_per_submission", "aggregation", "disagreement_threshold",
            "notice_starts_on", "notice_ends_on", "appeal_deadline", "is_published",
        )  # fmt: skip


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 1
    fields = ("position", "name", "description", "weight", "max_score")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return selectors.is_review_staff(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return selectors.is_review_staff(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return selectors.is_review_staff(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return selectors.is_review_staff(request.user)


@admin.register(Call)
class CallAdmin(ReviewStaffAdmin):
    form = CallForm
    list_display = ("title", "kind", "opens_on", "closes_on", "review_deadline", "notice_starts_on", "is_published")
    list_filter = ("kind", "is_published")
    search_fields = ("title",)
    inlines = (CriterionInline,)
    actions = ("auto_assign",)

    @admin.action(description=_("自动分配评审专家（按领域、均衡负荷、回避利益冲突）"))
    def auto_assign(self, request: HttpRequest, queryset: QuerySet[Call]) -> None:
        for call in queryset:
            result = services.assignments_auto(actor=request.user, call=call, origin=Origin.of(request))
            loads = list(result.loads.values()) or [0]
            self.message_user(
                request,
                _(
                    "%(call)s：分配 %(n)s 人次，涉及 %(subs)s 件申报；专家负荷 %(low)s–%(high)s 件；"
                    "领域外 %(out)s 人次；%(short)s 件申报专家不足"
                )
                % {
                    "call": call.title,
                    "n": result.assigned,
                    "subs": result.submissions,
                    "low": min(loads),
                    "high": max(loads),
                    "out": result.out_of_field,
                    "short": len(result.short),
                },
                messages.WARNING if result.short else messages.SUCCESS,
            )


class ReadOnlyInline(admin.TabularInline):
    """Rows the services write; staff read them here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return selectors.is_review_staff(request.user)


class AuthorInline(ReadOnlyInline):
    model = Author
    fields = ("position", "name", "organization", "user")
    readonly_fields = fields


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ("role", "original_name", "content_type", "size")
    readonly_fields = fields


class AssignmentInline(ReadOnlyInline):
    model = Assignment
    fields = ("expert", "round", "state", "due_on", "automatic", "recuse_reason", "total")
    readonly_fields = fields

    @admin.display(description=_("总分"))
    def total(self, assignment: Assignment) -> str:
        review = getattr(assignment, "review", None)
        return str(review.total) if review is not None else "—"


class CheckForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("形式审查"), choices=[("1", _("通过")), ("0", _("退回修改"))], coerce=lambda v: v == "1"
    )
    reason = forms.CharField(label=_("退回理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(forms.Form):
    expert = forms.ModelChoiceField(label=_("评审专家"), queryset=User.objects.none())

    def __init__(self, *args: Any, choices: list[selectors.ExpertChoice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["expert"]
        field.queryset = User.objects.filter(pk__in=[c.user.pk for c in choices])  # type: ignore[attr-defined]
        labels = {}
        for c in choices:
            note = (
                conflicts.reason_label(c.conflict)
                if c.conflict
                else _("领域：%(f)s") % {"f": "、".join(c.fields) or "—"}
            )
            labels[c.user.pk] = f"{c.user}（{_('在审 %(n)s 件') % {'n': c.load}}；{note}）"
        field.label_from_instance = lambda user: labels.get(user.pk, str(user))  # type: ignore[attr-defined]


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("评审结论"), choices=[(k, workflow.Action(k).label) for k in workflow.DECISIONS]
    )
    reason = forms.CharField(label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AppealAnswerForm(forms.Form):
    appeal = forms.IntegerField(widget=forms.HiddenInput)
    uphold = forms.TypedChoiceField(
        label=_("处理"), choices=[("0", _("维持原结论")), ("1", _("申诉成立，重新决定"))], coerce=lambda v: v == "1"
    )
    response = forms.CharField(label=_("处理意见"), widget=forms.Textarea(attrs={"rows": 2}))


@admin.register(Submission)
class SubmissionAdmin(ReviewStaffAdmin):
    list_display = ("number", "title", "call", "organization", "status", "score", "flagged", "accession_no", "process")
    list_filter = ("status", "flagged", "call")
    search_fields = ("title", "accession_no", "applicant__phone", "authors__name")
    list_select_related = ("call", "organization")
    readonly_fields = (
        "call",
        "applicant",
        "organization",
        "title",
        "abstract",
        "metadata",
        "field",
        "status",
        "round",
        "submitted_at",
        "return_reason",
        "score",
        "score_spread",
        "flagged",
        "decision",
        "decision_reason",
        "decided_at",
        "decided_by",
        "accession_no",
    )
    inlines = (AuthorInline, AttachmentInline, AssignmentInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Submission]:
        return super().get_queryset(request).exclude(status=workflow.Status.DRAFT)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False  # applicants submit; staff only process

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("处理"))
    def process(self, submission: Submission) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:reviews_submission_process", args=[submission.pk]), _("处理")
        )

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "<int:submission_id>/process/",
                self.admin_site.admin_view(self.process_view),
                name="reviews_submission_process",
            ),
        ]
        return own + super().get_urls()

    def process_view(self, request: HttpRequest, submission_id: int) -> HttpResponse:
        """Format check, assignment, decision and appeals of one submission, each through its service."""
        submission = selectors.access_submission_for_staff(actor=request.user, submission_id=submission_id)
        op = request.POST.get("op", "") if request.method == "POST" else ""
        choices = selectors.expert_choices(submission) if submission.status in workflow.ASSIGNABLE else []
        forms_ = {
            "check": CheckForm(request.POST if op == "check" else None),
            "assign": AssignForm(request.POST if op == "assign" else None, choices=choices),
            "decide": DecideForm(request.POST if op == "decide" else None),
            "appeal": AppealAnswerForm(request.POST if op == "appeal" else None),
        }
        origin = Origin.of(request)
        form = forms_.get(op)
        if form is not None and form.is_valid():
            data = form.cleaned_data
            with service_errors(form) as outcome:
                if op == "check":
                    services.submission_check(
                        actor=request.user,
                        submission=submission,
                        passed=data["passed"],
                        reason=data["reason"],
                        origin=origin,
                    )
                elif op == "assign":
                    services.assignment_create(
                        actor=request.user, submission=submission, expert=data["expert"], origin=origin
                    )
                elif op == "decide":
                    services.submission_decide(
                        actor=request.user,
                        submission=submission,
                        decision=data["decision"],
                        reason=data["reason"],
                        origin=origin,
                    )
                else:
                    appeal = submission.appeals.filter(pk=data["appeal"]).first()
                    if appeal is None:
                        raise NotFound
                    services.appeal_decide(
                        actor=request.user,
                        appeal=appeal,
                        uphold=data["uphold"],
                        response=data["response"],
                        origin=origin,
                    )
            if outcome.ok:
                self.message_user(request, _("已处理"), messages.SUCCESS)
                return HttpResponseRedirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "title": _("处理申报 %(number)s") % {"number": submission.number},
            "opts": self.model._meta,
            "submission": submission,
            "assignments": list(submission.assignments.all()),
            "pending_appeals": [a for a in submission.appeals.all() if a.state == Appeal.State.PENDING],
            "refused": selectors.refused_assignments(submission),
            "forms": forms_,
            "can_check": submission.status == workflow.Status.SUBMITTED,
            "can_assign": submission.status in workflow.ASSIGNABLE,
            "can_decide": submission.status == workflow.Status.REVIEWED,
        }
        status = 422 if form is not None else 200
        return render(request, "admin/reviews/submission/process.html", context, status=status)


@admin.register(Appeal)
class AppealAdmin(ReviewStaffAdmin):
    list_display = ("submission", "state", "created_at", "decided_at", "process")
    list_filter = ("state",)
    readonly_fields = ("submission", "reason", "state", "response", "decided_by", "decided_at")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("处理"))
    def process(self, appeal: Appeal) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:reviews_submission_process", args=[appeal.submission_id]), _("处理")
        )


@admin.register(ExpertProfile)
class ExpertProfileAdmin(ReviewStaffAdmin):
    list_display = ("user", "fields", "is_available")
    list_filter = ("is_available",)
    search_fields = ("user__display_name", "user__phone")
    raw_id_fields = ("user",)


@admin.register(DeclaredConflict)
class DeclaredConflictAdmin(ReviewStaffAdmin):
    list_display = ("expert", "organization", "person_name", "reason")
    search_fields = ("expert__display_name", "person_name", "organization__name")
    raw_id_fields = ("expert", "organization")
