"""The review engine's tables: calls with their rubric, submissions with authors and attachments, the expert pool
(fields and declared conflicts), assignments, reviews and appeals.

What a submission may do next is :mod:`.workflow`'s table; what a kind adds (its metadata form, what acceptance
publishes) is :mod:`.kinds`'. Scores are ``Decimal``: a weighted total is on a 100-point scale with two decimals.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhijiao.core.models import BaseModel
from zhijiao.core.uploads import private_storage

from .workflow import Status

# The attachment roles a call may ask for; a kind may use others (shown by their code).
ATTACHMENT_ROLES: dict[str, str] = {
    "application": _("申报书"),  # type: ignore[dict-item]
    "full_text": _("全文"),  # type: ignore[dict-item]
    "teaching_note": _("教学指导手册"),  # type: ignore[dict-item]
    "video": _("视频"),  # type: ignore[dict-item]
    "other": _("其他材料"),  # type: ignore[dict-item]
}


def role_label(role: str) -> str:
    return str(ATTACHMENT_ROLES.get(role, role))


class Call(BaseModel):
    """A call for submissions (征集 / 申报通知): its dates, who may apply, what to send, and how it is reviewed."""

    class Aggregation(models.TextChoices):
        MEAN = "mean", _("算术平均")
        TRIMMED_MEAN = "trimmed_mean", _("去掉最高分和最低分后平均")

    kind = models.CharField(_("评审类型"), max_length=32, db_index=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("通知正文"), blank=True)
    opens_on = models.DateField(_("申报开始日期"))
    closes_on = models.DateField(_("申报截止日期"))
    review_deadline = models.DateField(_("评审截止日期"))
    eligible_org_kinds = models.JSONField(
        _("可申报的机构类型"), default=list, blank=True, help_text=_("都不选表示不限。")
    )
    required_roles = models.JSONField(_("必交材料"), default=list, blank=True, help_text=_("申报时必须上传的材料。"))
    reviewers_per_submission = models.PositiveSmallIntegerField(
        _("每件评审专家数"), default=3, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    aggregation = models.CharField(_("汇总方式"), max_length=16, choices=Aggregation.choices, default=Aggregation.MEAN)
    disagreement_threshold = models.DecimalField(
        _("分歧阈值（分）"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("专家总分（百分制）最高与最低之差超过此值时，标记分歧并增派一位专家。"),
    )
    notice_starts_on = models.DateField(_("公示开始日期"), null=True, blank=True)
    notice_ends_on = models.DateField(_("公示结束日期"), null=True, blank=True)
    appeal_deadline = models.DateField(_("申诉截止日期"), null=True, blank=True)
    is_published = models.BooleanField(_("已发布"), default=True)

    class Meta:
        verbose_name = _("评审通知")
        verbose_name_plural = _("评审通知")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="review_call_dates"),
            models.CheckConstraint(
                condition=Q(review_deadline__gte=models.F("closes_on")), name="review_call_deadline_after_close"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        from . import kinds

        errors: dict[str, str] = {}
        try:
            kinds.get(self.kind)
        except LookupError:
            errors["kind"] = str(_("没有这种评审类型"))
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            errors["closes_on"] = str(_("截止日期不能早于开始日期"))
        if self.closes_on and self.review_deadline and self.review_deadline < self.closes_on:
            errors["review_deadline"] = str(_("评审截止日期不能早于申报截止日期"))
        if (self.notice_starts_on is None) != (self.notice_ends_on is None):
            errors["notice_ends_on"] = str(_("公示开始和结束日期须同时填写"))
        elif self.notice_starts_on and self.notice_ends_on and self.notice_ends_on < self.notice_starts_on:
            errors["notice_ends_on"] = str(_("公示结束日期不能早于开始日期"))
        if self.appeal_deadline and self.notice_starts_on and self.appeal_deadline < self.notice_starts_on:
            errors["appeal_deadline"] = str(_("申诉截止日期不能早于公示开始日期"))
        for name in ("eligible_org_kinds", "required_roles"):
            value = getattr(self, name)
            if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
                errors[name] = str(_("请填写由字符串组成的列表"))
        if errors:
            raise ValidationError(errors)

    @property
    def kind_label(self) -> str:
        from . import kinds

        try:
            return str(kinds.get(self.kind).label)
        except LookupError:
            return self.kind

    def is_open(self, *, on: object = None) -> bool:
        today = on or timezone.localdate()
        return self.is_published and self.opens_on <= today <= self.closes_on  # type: ignore[operator]

    def in_notice(self, *, on: object = None) -> bool:
        today = on or timezone.localdate()
        return bool(
            self.notice_starts_on and self.notice_ends_on and self.notice_starts_on <= today <= self.notice_ends_on  # type: ignore[operator]
        )

    def get_absolute_url(self) -> str:
        return reverse("reviews:call", args=[self.pk])


class Criterion(models.Model):
    """One line of a call's rubric: its weight in the total and the highest score an expert may give."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("评审通知"))
    position = models.PositiveSmallIntegerField(_("顺序"), default=1)
    name = models.CharField(_("评审指标"), max_length=60)
    description = models.CharField(_("评分要点"), max_length=300, blank=True)
    weight = models.DecimalField(
        _("权重"), max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    max_score = models.PositiveSmallIntegerField(
        _("满分"), default=10, validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )

    class Meta:
        verbose_name = _("评审指标")
        verbose_name_plural = _("评审指标")
        ordering = ["call", "position", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.weight}）"


class Submission(BaseModel):
    """An applicant's entry to a call, from draft to decision; what experts see of it is blind (see selectors)."""

    Status = Status

    class Decision(models.TextChoices):
        ACCEPT = "accept", _("通过")
        REVISE = "revise", _("修改后重新提交")
        REJECT = "reject", _("不通过")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("评审通知"))
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_submissions", verbose_name=_("申报人")
    )
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="review_submissions", verbose_name=_("申报单位")
    )
    title = models.CharField(_("题目"), max_length=200)
    abstract = models.TextField(_("摘要"), max_length=5000, blank=True)
    metadata = models.JSONField(_("其他信息"), default=dict, blank=True)
    field = models.CharField(
        _("所属领域"), max_length=8, blank=True, db_index=True, help_text=_("一级学科代码，按领域分配专家。")
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    round = models.PositiveSmallIntegerField(_("评审轮次"), default=1)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), max_length=1000, blank=True)
    score = models.DecimalField(_("综合得分"), max_digits=5, decimal_places=2, null=True, blank=True)
    score_spread = models.DecimalField(_("分差"), max_digits=5, decimal_places=2, null=True, blank=True)
    flagged = models.BooleanField(_("分歧较大"), default=False)
    decision = models.CharField(_("评审结论"), max_length=8, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(_("结论说明"), max_length=2000, blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("决定人"),
    )
    accession_no = models.CharField(_("入库编号"), max_length=32, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("申报")
        verbose_name_plural = _("申报")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["call", "status"], name="review_sub_call_status"),
            models.Index(fields=["applicant", "-created_at"], name="review_sub_mine"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        """The number everyone quotes (experts too: it says nothing about who applied)."""
        return f"PS{self.pk or 0:06d}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:submission", args=[self.pk])


class IterableManager(models.Manager["Any"]):
    """A manager whose related sets iterate like lists: a kind's ``on_accept`` reads ``submission.authors`` and
    ``submission.attachments`` as ordered iterables (``for author in submission.authors``), as the interface between
    the engine and the kinds promises, without knowing they are Django relations."""

    def __iter__(self) -> Iterator[Any]:
        return iter(self.all())


class Author(models.Model):
    """An author in the order printed (the applicant usually first); conflicts of interest are read from these."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="authors", verbose_name=_("申报"))
    position = models.PositiveSmallIntegerField(_("署名顺序"), default=1)
    name = models.CharField(_("姓名"), max_length=50)
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("单位"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="review_authorships",
        verbose_name=_("账号"),
    )

    objects = IterableManager()

    class Meta:
        verbose_name = _("作者")
        verbose_name_plural = _("作者")
        ordering = ["submission", "position", "id"]

    def __str__(self) -> str:
        return self.name


def attachment_path(instance: Attachment, filename: str) -> str:
    """A random name under the month; the original name stays in the row (and is never shown to experts)."""
    extension = PurePosixPath(filename).suffix.lower()[:8]
    return f"reviews/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


class Attachment(BaseModel):
    """A file of a submission in one of the roles the call asks for (全文, 教学指导手册, 视频 …)."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("申报")
    )
    role = models.CharField(_("材料类型"), max_length=20)
    file = models.FileField(_("文件"), upload_to=attachment_path, storage=private_storage, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))

    objects = IterableManager()

    class Meta:
        verbose_name = _("申报材料")
        verbose_name_plural = _("申报材料")
        ordering = ["submission", "role", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def role_label(self) -> str:
        return role_label(self.role)

    @property
    def blind_name(self) -> str:
        """The name experts download it under: the role and the number, never what the applicant called it."""
        extension = PurePosixPath(self.original_name).suffix.lower()[:8]
        return f"PS{self.submission_id or 0:06d}-{self.role}-{self.pk}{extension}"


class ExpertProfile(BaseModel):
    """An expert's review fields (一级学科 codes) and whether they take assignments now."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_profile", verbose_name=_("专家")
    )
    fields = models.JSONField(_("评审领域"), default=list, blank=True, help_text=_("一级学科代码，例如 0401、1251。"))
    is_available = models.BooleanField(_("接受分配"), default=True)

    class Meta:
        verbose_name = _("专家信息")
        verbose_name_plural = _("专家信息")

    def __str__(self) -> str:
        return str(self.user)


class DeclaredConflict(BaseModel):
    """An expert's declared conflict of interest: an organisation, or a person by name, they must not review."""

    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="declared_conflicts", verbose_name=_("专家")
    )
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("单位")
    )
    person_name = models.CharField(_("人员姓名"), max_length=50, blank=True)
    reason = models.CharField(_("原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("利益冲突声明")
        verbose_name_plural = _("利益冲突声明")
        constraints = [
            models.CheckConstraint(
                condition=Q(organization__isnull=False) | ~Q(person_name=""), name="review_conflict_names_someone"
            )
        ]

    def __str__(self) -> str:
        return self.person_name or str(self.organization)


class Assignment(BaseModel):
    """An expert asked to review a submission in a round, by a deadline."""

    class State(models.TextChoices):
        ASSIGNED = "assigned", _("待评审")
        SUBMITTED = "submitted", _("已评审")
        RECUSED = "recused", _("已回避")

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("申报")
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments", verbose_name=_("专家")
    )
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.ASSIGNED)
    due_on = models.DateField(_("评审截止日期"))
    automatic = models.BooleanField(_("自动分配"), default=False)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("分配人"),
    )
    recuse_reason = models.CharField(_("回避原因"), max_length=200, blank=True)
    reminded_at = models.DateTimeField(_("最近提醒时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评审分配")
        verbose_name_plural = _("评审分配")
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["submission", "expert"], name="review_assignment_once")]
        indexes = [models.Index(fields=["expert", "state", "due_on"], name="review_assign_queue")]

    def __str__(self) -> str:
        return f"{self.submission.number} → {self.expert}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:review", args=[self.pk])


class Review(BaseModel):
    """An expert's scores (per criterion, within its range) and comments on one assignment; final once submitted."""

    assignment = models.OneToOneField(
        Assignment, on_delete=models.CASCADE, related_name="review", verbose_name=_("评审分配")
    )
    scores = models.JSONField(_("各项得分"), default=dict)
    total = models.DecimalField(_("总分（百分制）"), max_digits=5, decimal_places=2)
    comment = models.TextField(_("评审意见"), max_length=3000)
    confidential_comment = models.TextField(_("仅供工作人员的意见"), max_length=2000, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    class Meta:
        verbose_name = _("评审意见")
        verbose_name_plural = _("评审意见")

    def __str__(self) -> str:
        return f"{self.assignment} {self.total}"


class Appeal(BaseModel):
    """An applicant's appeal against a decision, within the call's appeal window; staff uphold or dismiss it."""

    class State(models.TextChoices):
        PENDING = "pending", _("待处理")
        UPHELD = "upheld", _("申诉成立，重新评审")
        DISMISSED = "dismissed", _("维持原结论")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="appeals", verbose_name=_("申报"))
    reason = models.TextField(_("申诉理由"), max_length=2000)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.PENDING)
    response = models.TextField(_("处理意见"), max_length=2000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("处理人"),
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("申诉")
        verbose_name_plural = _("申诉")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission"], condition=Q(state="pending"), name="review_one_pending_appeal"
            )
        ]

    def __str__(self) -> str:
        return f"{self.submission.number} {self.get_state_display()}"
