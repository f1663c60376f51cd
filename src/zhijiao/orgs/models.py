from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zhijiao.core.identifiers import validate_uscc
from zhijiao.core.models import BaseModel


class Region(models.Model):
    """An administrative division with its GB/T 2260 six-digit code (省 → 市 → 区县)."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("省级")
        CITY = 2, _("地级")
        COUNTY = 3, _("县级")

    code = models.CharField(
        _("区划代码"), max_length=6, primary_key=True, validators=[RegexValidator(r"^\d{6}$", _("区划代码为 6 位数字"))]
    )
    name = models.CharField(_("名称"), max_length=50)
    level = models.PositiveSmallIntegerField(_("级别"), choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("上级")
    )

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"


class Organization(BaseModel):
    """A school, college, university, employer or agency; people belong to it through memberships."""

    class Kind(models.TextChoices):
        SCHOOL = "school", _("中小学校")
        VOCATIONAL = "vocational", _("职业院校")
        UNIVERSITY = "university", _("高等学校")
        EMPLOYER = "employer", _("用人单位")
        AGENCY = "agency", _("教育行政与服务机构")

    class Stage(models.TextChoices):
        PRIMARY = "primary", _("小学")
        JUNIOR = "junior", _("初级中学")
        SENIOR = "senior", _("高级中学")
        NINE_YEAR = "nine_year", _("九年一贯制学校")
        COMPLETE = "complete", _("完全中学")

    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, db_index=True)
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="organizations", verbose_name=_("所在地区")
    )
    uscc = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, null=True, blank=True, validators=[validate_uscc]
    )
    stage = models.CharField(_("学段"), max_length=16, choices=Stage.choices, blank=True)
    website = models.URLField(_("网站"), blank=True)
    description = models.TextField(_("简介"), blank=True)
    is_verified = models.BooleanField(_("已认证"), default=False)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["kind", "name"]
        indexes = [models.Index(fields=["kind", "region"])]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name", "region"], name="organization_unique_name_in_region"),
            models.CheckConstraint(condition=Q(kind="school") | Q(stage=""), name="organization_stage_only_schools"),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """What a person does in an organisation; one permission question asks about one of these."""

    STUDENT = "student", _("学生")
    PARENT = "parent", _("家长")
    TEACHER = "teacher", _("教师")
    SCHOOL_ADMIN = "school_admin", _("学校管理员")
    DISTRICT_STAFF = "district_staff", _("区县教育工作人员")
    VOCATIONAL_STAFF = "vocational_staff", _("职业院校工作人员")
    UNIVERSITY_FACULTY = "university_faculty", _("高校教师")
    EMPLOYMENT_STAFF = "employment_staff", _("高校就业工作人员")
    REGISTRAR = "registrar", _("学籍学历管理人员")
    RECRUITER = "recruiter", _("用人单位招聘人员")
    EXPERT = "expert", _("评审专家")
    HALL_OFFICER = "hall_officer", _("服务大厅工作人员")
    PLATFORM_ADMIN = "platform_admin", _("平台管理员")


# Which kinds of organisation each role may belong to.
ROLE_ORGANIZATION_KINDS: dict[str, set[str]] = {
    Role.STUDENT: {Organization.Kind.SCHOOL, Organization.Kind.VOCATIONAL, Organization.Kind.UNIVERSITY},
    Role.PARENT: {Organization.Kind.SCHOOL, Organization.Kind.VOCATIONAL},
    Role.TEACHER: {Organization.Kind.SCHOOL, Organization.Kind.VOCATIONAL},
    Role.SCHOOL_ADMIN: {Organization.Kind.SCHOOL},
    Role.DISTRICT_STAFF: {Organization.Kind.AGENCY},
    Role.VOCATIONAL_STAFF: {Organization.Kind.VOCATIONAL},
    Role.UNIVERSITY_FACULTY: {Organization.Kind.UNIVERSITY},
    Role.EMPLOYMENT_STAFF: {Organization.Kind.UNIVERSITY},
    Role.REGISTRAR: {Organization.Kind.UNIVERSITY, Organization.Kind.VOCATIONAL},
    Role.RECRUITER: {Organization.Kind.EMPLOYER},
    Role.EXPERT: {Organization.Kind.AGENCY, Organization.Kind.UNIVERSITY, Organization.Kind.VOCATIONAL},
    Role.HALL_OFFICER: {Organization.Kind.AGENCY},
    Role.PLATFORM_ADMIN: {Organization.Kind.AGENCY},
}


class Membership(BaseModel):
    """A person's role in an organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("用户")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("机构")
    )
    role = models.CharField(_("角色"), max_length=24, choices=Role.choices, db_index=True)
    title = models.CharField(_("职务/班级"), max_length=60, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("成员身份")
        verbose_name_plural = _("成员身份")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "role"], name="membership_unique_role_in_org")
        ]
        indexes = [models.Index(fields=["organization", "role"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.organization} · {self.get_role_display()}"

    def clean(self) -> None:
        """A role only fits certain kinds of organisation (a recruiter belongs to an employer, not a school)."""
        super().clean()
        if not self.role or self.organization_id is None:
            return
        allowed = ROLE_ORGANIZATION_KINDS.get(self.role, set())
        if self.organization.kind not in allowed:
            kinds = gettext("、").join(str(Organization.Kind(kind).label) for kind in sorted(allowed))
            raise ValidationError(
                {
                    "role": _("“%(role)s”只能属于以下类型的机构：%(kinds)s")
                    % {"role": self.get_role_display(), "kinds": kinds}
                },
                code="role_kind_mismatch",
            )
