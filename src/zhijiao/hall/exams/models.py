"""The exam services of the service hall: notices, special-type candidate lists, exam sittings and their scores.

Score rows are the big table (tens of millions on a national deployment): they carry no timestamps of their own,
the ID number sealed (AES-GCM) with its blind index beside it, and exactly the two indexes the lookup needs —
(sitting, ticket number), unique, and (sitting, ID-number index).
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from zhijiao.core.fields import EncryptedTextField
from zhijiao.core.models import BaseModel
from zhijiao.credentials.selectors import Authority, authority

ID_INDEX_CONTEXT = "id_number"  # the same index as accounts.Identity, so a record matches a signed-in person


class ExamNotice(BaseModel):
    """A policy or notice (e.g. 高考招生政策) an officer publishes, for one province (or nationwide) and year."""

    class Kind(models.TextChoices):
        POLICY = "policy", _("考试政策")
        NOTICE = "notice", _("通知公告")
        ADMISSION = "admission", _("招生信息")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    title = models.CharField(_("标题"), max_length=150)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices, default=Kind.NOTICE)
    province = models.ForeignKey(
        "orgs.Region",
        verbose_name=_("省份"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": 1},
        help_text=_("留空表示全国"),
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    body = models.TextField(_("正文"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("考试政策与公告")
        verbose_name_plural = _("考试政策与公告")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "year", "province"])]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.province_id and self.province and self.province.level != 1:
            raise ValidationError({"province": _("请选择省级行政区")})
        if self.year and not 2000 <= self.year <= 2100:
            raise ValidationError({"year": _("年份不正确")})

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("hall:notice_detail", args=[self.pk])


def _attachment_path(instance: NoticeAttachment, filename: str) -> str:
    import secrets
    from pathlib import PurePosixPath

    return f"exams/notices/{timezone.now():%Y/%m}/{secrets.token_hex(8)}{PurePosixPath(filename).suffix.lower()}"


class NoticeAttachment(BaseModel):
    """A PDF or Office file attached to a notice (checked by its content, not its name)."""

    notice = models.ForeignKey(ExamNotice, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("公告"))
    file = models.FileField(_("文件"), upload_to=_attachment_path, max_length=200)
    name = models.CharField(_("文件名"), max_length=150)
    mime_type = models.CharField(_("类型"), max_length=100)
    size_bytes = models.PositiveIntegerField(_("大小（字节）"))

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class SpecialList(BaseModel):
    """A public list of special-type candidates (特殊类型考生名单), visible only within its notice period."""

    class Program(models.TextChoices):
        STRONG_BASE = "strong_base", _("强基计划")
        SPORTS = "sports", _("高水平运动队")
        UNIVERSITY_SPECIAL = "university_special", _("高校专项计划")
        ARTS = "arts", _("高水平艺术团")
        COMPREHENSIVE = "comprehensive", _("综合评价招生")
        OTHER = "other", _("其他特殊类型")

    title = models.CharField(_("名单标题"), max_length=150)
    program = models.CharField(_("招生类型"), max_length=24, choices=Program.choices)
    year = models.PositiveSmallIntegerField(_("年份"))
    notice_start = models.DateTimeField(_("公示开始"))
    notice_end = models.DateTimeField(_("公示结束"))
    is_published = models.BooleanField(_("已发布"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("特殊类型考生名单")
        verbose_name_plural = _("特殊类型考生名单")
        ordering = ["-notice_start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(notice_end__gt=models.F("notice_start")), name="exams_list_period"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.notice_start and self.notice_end and self.notice_end <= self.notice_start:
            raise ValidationError({"notice_end": _("公示结束时间应晚于开始时间")})

    def is_visible(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.is_published and self.notice_start <= now <= self.notice_end


class SpecialCandidate(models.Model):
    """One person on a special-type list; the ID number is sealed and shown masked."""

    special_list = models.ForeignKey(
        SpecialList, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("名单")
    )
    line = models.PositiveIntegerField(_("行号"))
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=4, blank=True)
    school = models.CharField(_("中学"), max_length=100)
    province = models.ForeignKey("orgs.Region", verbose_name=_("省份"), on_delete=models.PROTECT, related_name="+")
    university = models.CharField(_("报考（录取）高校"), max_length=100, blank=True)
    major = models.CharField(_("项目或专业"), max_length=100, blank=True)
    id_number = EncryptedTextField(_("身份证号码（密文）"), context="exams.specialcandidate.id_number")
    id_number_index = models.CharField(_("身份证号码索引"), max_length=64, editable=False)
    id_number_masked = models.CharField(_("身份证号码"), max_length=18, editable=False)

    class Meta:
        verbose_name = _("特殊类型考生")
        verbose_name_plural = _("特殊类型考生")
        ordering = ["special_list", "line"]
        indexes = [
            models.Index(fields=["special_list", "name"]),
            models.Index(fields=["special_list", "school"]),
            models.Index(fields=["special_list", "province"]),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.id_number_masked}"


class ExamType(models.TextChoices):
    CET4 = "cet4", _("全国大学英语四级考试（CET-4）")
    CET6 = "cet6", _("全国大学英语六级考试（CET-6）")
    TEACHER = "teacher", _("中小学教师资格考试")
    PUTONGHUA = "putonghua", _("普通话水平测试")


class PutonghuaGrade(models.TextChoices):
    A1 = "1A", _("一级甲等")
    B1 = "1B", _("一级乙等")
    A2 = "2A", _("二级甲等")
    B2 = "2B", _("二级乙等")
    A3 = "3A", _("三级甲等")
    B3 = "3B", _("三级乙等")


class ExamSitting(BaseModel):
    """One session of an exam (e.g. CET-4, 2026年6月) with the time its scores become visible."""

    exam_type = models.CharField(_("考试"), max_length=16, choices=ExamType.choices)
    session = models.CharField(_("考次"), max_length=40, help_text=_("例如：2026年6月"))
    held_on = models.DateField(_("考试日期"))
    release_at = models.DateTimeField(_("成绩发布时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("考试场次")
        verbose_name_plural = _("考试场次")
        ordering = ["-held_on", "exam_type"]
        constraints = [models.UniqueConstraint(fields=["exam_type", "session"], name="exams_sitting_unique")]

    def __str__(self) -> str:
        return f"{self.get_exam_type_display()} {self.session}"

    def is_released(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.release_at

    @property
    def issuer(self) -> Authority:
        """The authority that issues this exam's certificates (``settings.ISSUING_AUTHORITIES["exams.<type>"]``)."""
        return authority(f"exams.{self.exam_type}")


class ScoreImport(BaseModel):
    """One officer's import of a score file into a sitting (all rows or none)."""

    sitting = models.ForeignKey(ExamSitting, on_delete=models.CASCADE, related_name="imports", verbose_name=_("考次"))
    filename = models.CharField(_("文件名"), max_length=150, blank=True)
    row_count = models.PositiveIntegerField(_("行数"), default=0)
    seconds = models.DecimalField(_("耗时（秒）"), max_digits=8, decimal_places=2, default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("成绩导入记录")
        verbose_name_plural = _("成绩导入记录")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.sitting} · {self.row_count}"


class ScoreRecord(models.Model):
    """One candidate's result in one sitting. Which score columns are filled depends on the exam:
    CET: total + listening / reading / writing-and-translation; teacher qualification: subjects passed and
    certificate eligibility; Putonghua: score and grade."""

    # No index of its own: (sitting, ticket) and (sitting, ID index) both start with it.
    sitting = models.ForeignKey(
        ExamSitting, on_delete=models.CASCADE, related_name="scores", db_index=False, verbose_name=_("考次")
    )
    ticket_number = models.CharField(_("准考证号"), max_length=20)
    name = models.CharField(_("姓名"), max_length=50)
    id_number = EncryptedTextField(_("身份证号码（密文）"), context="exams.scorerecord.id_number")
    id_number_index = models.CharField(_("身份证号码索引"), max_length=64, editable=False)
    id_number_masked = models.CharField(_("身份证号码"), max_length=18, editable=False)
    school = models.CharField(_("学校"), max_length=100, blank=True)
    total = models.DecimalField(_("总分"), max_digits=5, decimal_places=1, null=True, blank=True)
    listening = models.PositiveSmallIntegerField(_("听力"), null=True, blank=True)
    reading = models.PositiveSmallIntegerField(_("阅读"), null=True, blank=True)
    writing = models.PositiveSmallIntegerField(_("写作和翻译"), null=True, blank=True)
    subjects_passed = models.CharField(_("合格科目"), max_length=100, blank=True)
    grade = models.CharField(_("等级"), max_length=2, choices=PutonghuaGrade.choices, blank=True)
    passed = models.BooleanField(_("合格"), default=False)

    class Meta:
        verbose_name = _("成绩")
        verbose_name_plural = _("成绩")
        constraints = [models.UniqueConstraint(fields=["sitting", "ticket_number"], name="exams_score_ticket")]
        indexes = [models.Index(fields=["sitting", "id_number_index"], name="exams_score_idx")]

    def __str__(self) -> str:
        return f"{self.ticket_number} {self.name}"

    def claims(self) -> dict[str, Any]:
        """The result as ordered display fields (the page, the API and the certificate show the same)."""
        return score_claims(
            exam_type=self.sitting.exam_type,
            total=self.total,
            listening=self.listening,
            reading=self.reading,
            writing=self.writing,
            subjects_passed=self.subjects_passed,
            grade=self.grade,
            passed=self.passed,
        )


@lru_cache(maxsize=32)
def _labels(language: str | None) -> dict[str, str]:
    """The claim labels in one language (translated once per process, not once per lookup)."""
    return {
        "total": str(_("总分")),
        "listening": str(_("听力")),
        "reading": str(_("阅读")),
        "writing": str(_("写作和翻译")),
        "subjects": str(_("合格科目")),
        "certificate": str(_("证书")),
        "eligible": str(_("符合认定条件")),
        "not_yet": str(_("尚未全部合格")),
        "score": str(_("成绩")),
        "grade": str(_("等级")),
        **{f"grade:{value}": str(label) for value, label in PutonghuaGrade.choices},
    }


def score_claims(
    *,
    exam_type: str,
    total: Any,
    listening: Any,
    reading: Any,
    writing: Any,
    subjects_passed: str,
    grade: str,
    passed: bool,
) -> dict[str, str]:
    labels = _labels(get_language())

    def num(value: Any) -> str:
        if value is None:
            return "—"
        text = str(value)
        return text[:-2] if text.endswith(".0") else text

    if exam_type in (ExamType.CET4, ExamType.CET6):
        return {
            labels["total"]: num(total),
            labels["listening"]: num(listening),
            labels["reading"]: num(reading),
            labels["writing"]: num(writing),
        }
    if exam_type == ExamType.TEACHER:
        return {
            labels["subjects"]: subjects_passed or "—",
            labels["certificate"]: labels["eligible"] if passed else labels["not_yet"],
        }
    return {labels["score"]: num(total), labels["grade"]: labels.get(f"grade:{grade}", "—")}
