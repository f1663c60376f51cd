"""The employment platform's tables: employers and their verification, jobs (schema.org JobPosting), their
sources and shares, graduates, resumes, applications with their pipeline, three-party agreements and job push.

Money is whole yuan per month (``PositiveIntegerField``); dates are ``date``; times are aware ``datetime``.
"""

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhijiao.core.models import BaseModel
from zhijiao.orgs.disciplines import DisciplineCategory


class Industry(models.TextChoices):
    """GB/T 4754-2017 门类 (sections A–T)."""

    A = "A", _("农、林、牧、渔业")
    B = "B", _("采矿业")
    C = "C", _("制造业")
    D = "D", _("电力、热力、燃气及水生产和供应业")
    E = "E", _("建筑业")
    F = "F", _("批发和零售业")
    G = "G", _("交通运输、仓储和邮政业")
    H = "H", _("住宿和餐饮业")
    I = "I", _("信息传输、软件和信息技术服务业")  # noqa: E741 - the standard's own letter
    J = "J", _("金融业")
    K = "K", _("房地产业")
    L = "L", _("租赁和商务服务业")
    M = "M", _("科学研究和技术服务业")
    N = "N", _("水利、环境和公共设施管理业")
    O = "O", _("居民服务、修理和其他服务业")  # noqa: E741
    P = "P", _("教育")
    Q = "Q", _("卫生和社会工作")
    R = "R", _("文化、体育和娱乐业")
    S = "S", _("公共管理、社会保障和社会组织")
    T = "T", _("国际组织")


# 学科门类 of the national degree catalogue: what a job's "majors" and a graduate's major are matched by.
Discipline = DisciplineCategory


class Education(models.IntegerChoices):
    """An education level; a job's requirement is met by that level or any higher one."""

    ANY = 0, _("学历不限")
    VOCATIONAL = 2, _("大专")
    BACHELOR = 3, _("本科")
    MASTER = 4, _("硕士研究生")
    DOCTOR = 5, _("博士研究生")


# schema.org educationRequirements.credentialCategory of each level.
EDUCATION_CREDENTIAL = {
    Education.ANY: "",
    Education.VOCATIONAL: "associate degree",
    Education.BACHELOR: "bachelor degree",
    Education.MASTER: "postgraduate degree",
    Education.DOCTOR: "postgraduate degree",
}


class EmploymentType(models.TextChoices):
    """schema.org employmentType values."""

    FULL_TIME = "FULL_TIME", _("全职")
    PART_TIME = "PART_TIME", _("兼职")
    INTERN = "INTERN", _("实习")
    CONTRACTOR = "CONTRACTOR", _("劳务派遣/外包")
    TEMPORARY = "TEMPORARY", _("临时")


class Occupation(models.TextChoices):
    """Broad job functions (schema.org occupationalCategory), what graduates pick for job push."""

    RESEARCH = "research", _("研发与技术")
    PRODUCT = "product", _("产品与设计")
    PRODUCTION = "production", _("生产与制造")
    SALES = "sales", _("销售与市场")
    FINANCE = "finance", _("财务与金融")
    ADMIN = "admin", _("人力与行政")
    TEACHING = "teaching", _("教育与培训")
    MEDICAL = "medical", _("医疗与健康")
    LEGAL = "legal", _("法务与合规")
    OPERATIONS = "operations", _("运营与客服")
    PUBLIC = "public", _("公共管理")
    OTHER = "other", _("其他")


# --- Employers ---------------------------------------------------------------------------------------------


class EmployerProfile(BaseModel):
    """An employer's registration and its one verification, trusted by every university."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        VERIFIED = "verified", _("已认证")
        REJECTED = "rejected", _("未通过")
        SUSPENDED = "suspended", _("已暂停")

    organization = models.OneToOneField(
        "orgs.Organization", on_delete=models.CASCADE, related_name="employer_profile", verbose_name=_("用人单位")
    )
    status = models.CharField(_("认证状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    credit_code = models.CharField(_("统一社会信用代码（申报）"), max_length=18)
    needs_manual_review = models.BooleanField(
        _("需人工核验"), default=False, help_text=_("申报的信用代码未通过校验码检查，需工作人员对照执照人工核验。")
    )
    licence = models.FileField(_("营业执照扫描件"), upload_to="employment/licences/%Y/%m/", blank=True)
    contact_name = models.CharField(_("联系人"), max_length=30)
    contact_phone = models.CharField(_("联系电话"), max_length=20)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    rejection_reason = models.CharField(_("审核意见"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("用人单位资质")
        verbose_name_plural = _("用人单位资质")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return str(self.organization)

    @property
    def is_verified(self) -> bool:
        return self.status == self.Status.VERIFIED


# --- Jobs --------------------------------------------------------------------------------------------------


class Job(BaseModel):
    """A job posting (schema.org JobPosting). Open while published, verified and between its dates."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        CLOSED = "closed", _("已关闭")

    employer = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="jobs", verbose_name=_("用人单位")
    )
    title = models.CharField(_("岗位名称"), max_length=100)
    description = models.TextField(_("岗位描述"))
    regions = models.ManyToManyField(
        "orgs.Region", through="JobLocation", related_name="jobs", verbose_name=_("工作地点")
    )
    industry = models.CharField(_("行业"), max_length=1, choices=Industry.choices)
    occupation = models.CharField(_("职能类别"), max_length=16, choices=Occupation.choices, default=Occupation.OTHER)
    education = models.PositiveSmallIntegerField(_("学历要求"), choices=Education.choices, default=Education.ANY)
    salary_min = models.PositiveIntegerField(_("月薪下限（元）"), validators=[MaxValueValidator(1_000_000)])
    salary_max = models.PositiveIntegerField(_("月薪上限（元）"), validators=[MaxValueValidator(1_000_000)])
    headcount = models.PositiveIntegerField(
        _("招聘人数"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100_000)]
    )
    employment_type = models.CharField(
        _("工作性质"), max_length=16, choices=EmploymentType.choices, default=EmploymentType.FULL_TIME
    )
    date_posted = models.DateField(_("发布日期"))
    valid_through = models.DateField(_("截止日期"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    is_public = models.BooleanField(
        _("公开"), default=True, help_text=_("不公开的校园招聘岗位只对本校及其共享的高校、地区的毕业生可见。")
    )
    owner_university = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="campus_jobs",
        verbose_name=_("发布高校"),
    )
    # employer · normalised title · sorted location codes · dates: equal keys are one job from several sources.
    dedup_key = models.CharField(_("去重键"), max_length=64, db_index=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("创建人"),
    )

    class Meta:
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        ordering = ["-date_posted", "-id"]
        indexes = [
            models.Index(fields=["status", "date_posted"]),
            models.Index(fields=["employer", "status"]),
            models.Index(fields=["industry", "date_posted"]),
            models.Index(fields=["status", "valid_through"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(salary_min__lte=F("salary_max")), name="job_salary_min_le_max"),
            models.CheckConstraint(condition=Q(date_posted__lte=F("valid_through")), name="job_posted_before_expiry"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("employment:job_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list[Any]] = {}
        if self.salary_min is not None and self.salary_max is not None and self.salary_min > self.salary_max:
            errors["salary_max"] = [_("月薪上限不能低于下限")]
        if self.date_posted and self.valid_through and self.valid_through < self.date_posted:
            errors["valid_through"] = [_("截止日期不能早于发布日期")]
        if errors:
            raise ValidationError(errors)

    def is_open(self, *, on: date | None = None) -> bool:
        """Whether graduates may apply on ``on`` (today by default): published, in its dates, employer verified."""
        from django.utils import timezone

        on = on or timezone.localdate()
        if self.status != self.Status.PUBLISHED or not (self.date_posted <= on <= self.valid_through):
            return False
        profile = getattr(self.employer, "employer_profile", None)
        return profile is not None and profile.status == EmployerProfile.Status.VERIFIED

    @property
    def salary_label(self) -> str:
        return f"{self.salary_min:,}–{self.salary_max:,}"


class JobLocation(models.Model):
    """One place a job is done (a county- or city-level region)."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="locations", verbose_name=_("岗位"))
    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("地区"))

    class Meta:
        verbose_name = _("工作地点")
        verbose_name_plural = _("工作地点")
        constraints = [models.UniqueConstraint(fields=["job", "region"], name="job_location_unique")]

    def __str__(self) -> str:
        return f"{self.job_id}@{self.region_id}"


class JobArea(models.Model):
    """A job's location codes at every level (district, city, province): equality joins for push matching, and,
    with the job's industry copied here, one index range for the job list's most common filter (city + industry)."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="areas", verbose_name=_("岗位"))
    code = models.CharField(max_length=6, verbose_name=_("地区代码"))
    industry = models.CharField(max_length=1, choices=Industry.choices, verbose_name=_("行业"))
    # Copied from the job and its employer by ``services.job_areas_refresh`` whenever either changes, so the job
    # list's place filters are answered from one covering index range: ``listed`` = published, public and from a
    # verified employer; the dates are the job's (expiry is checked against them at query time).
    listed = models.BooleanField(default=False, verbose_name=_("公开"))
    date_posted = models.DateField(null=True, verbose_name=_("发布日期"))
    valid_through = models.DateField(null=True, verbose_name=_("截止日期"))

    class Meta:
        verbose_name = _("岗位地区索引")
        verbose_name_plural = _("岗位地区索引")
        constraints = [models.UniqueConstraint(fields=["job", "code"], name="job_area_unique")]
        indexes = [
            models.Index(fields=["code", "job"]),
            models.Index(fields=["code", "industry", "job"]),
            models.Index(
                fields=["code", "industry", "date_posted", "valid_through", "job"],
                condition=Q(listed=True),
                name="job_area_listed_industry",
            ),
            models.Index(
                fields=["code", "date_posted", "valid_through", "job"],
                condition=Q(listed=True),
                name="job_area_listed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job_id}@{self.code}"


class JobMajor(models.Model):
    """A discipline a job is open to; a job without any is open to every major."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="majors", verbose_name=_("岗位"))
    discipline = models.CharField(_("学科门类"), max_length=2, choices=Discipline.choices)

    class Meta:
        verbose_name = _("专业要求")
        verbose_name_plural = _("专业要求")
        constraints = [models.UniqueConstraint(fields=["job", "discipline"], name="job_major_unique")]

    def __str__(self) -> str:
        return str(self.get_discipline_display())


class JobSource(BaseModel):
    """Where a job came from: its employer, a university's campus recruitment, or a partner feed."""

    class Kind(models.TextChoices):
        EMPLOYER = "employer", _("用人单位发布")
        UNIVERSITY = "university", _("高校发布")
        FEED = "feed", _("合作渠道导入")

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="sources", verbose_name=_("岗位"))
    kind = models.CharField(_("来源类型"), max_length=16, choices=Kind.choices)
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("来源机构"),
    )
    feed = models.CharField(_("渠道名称"), max_length=60, blank=True)
    external_id = models.CharField(_("外部编号"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("岗位来源")
        verbose_name_plural = _("岗位来源")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "feed", "external_id"],
                condition=~Q(external_id=""),
                name="job_source_unique_external_id",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.feed or ''} {self.external_id}".strip()


class JobShare(BaseModel):
    """A university shares one of its campus jobs with another university or with a region's universities."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="shares", verbose_name=_("岗位"))
    shared_by = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+", verbose_name=_("共享高校")
    )
    target_organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="jobs_shared_with",
        verbose_name=_("共享给高校"),
    )
    target_region = models.ForeignKey(
        "orgs.Region", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("共享给地区")
    )

    class Meta:
        verbose_name = _("岗位共享")
        verbose_name_plural = _("岗位共享")
        constraints = [
            models.CheckConstraint(
                condition=Q(target_organization__isnull=False, target_region__isnull=True)
                | Q(target_organization__isnull=True, target_region__isnull=False),
                name="job_share_one_target",
            ),
            models.UniqueConstraint(fields=["job", "target_organization"], name="job_share_unique_org"),
            models.UniqueConstraint(fields=["job", "target_region"], name="job_share_unique_region"),
        ]


class ImportBatch(BaseModel):
    """One feed import: what came in, what was merged into existing jobs, and every refused row with its reason."""

    source_kind = models.CharField(_("来源类型"), max_length=16, choices=JobSource.Kind.choices)
    feed = models.CharField(_("渠道名称"), max_length=60)
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    rows = models.PositiveIntegerField(_("总行数"), default=0)
    created = models.PositiveIntegerField(_("新增岗位"), default=0)
    merged = models.PositiveIntegerField(_("合并到已有岗位"), default=0)
    errors = models.JSONField(_("错误行"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("创建人")
    )

    class Meta:
        verbose_name = _("岗位导入")
        verbose_name_plural = _("岗位导入")
        ordering = ["-created_at"]


class SavedSearch(BaseModel):
    """A search a person keeps, to run again from their list."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_job_searches", verbose_name=_("用户")
    )
    name = models.CharField(_("名称"), max_length=60)
    query = models.CharField(_("查询条件"), max_length=500)

    class Meta:
        verbose_name = _("保存的搜索")
        verbose_name_plural = _("保存的搜索")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "query"], name="saved_search_unique_query")]


# --- Graduates and resumes ------------------------------------------------------------------------------------


class Graduate(BaseModel):
    """A graduate's registration with their university and year, confirmed by its employment office."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待学校确认")
        CONFIRMED = "confirmed", _("已确认")
        REJECTED = "rejected", _("学校未确认")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="graduate", verbose_name=_("用户")
    )
    university = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="graduates", verbose_name=_("毕业院校")
    )
    graduation_year = models.PositiveSmallIntegerField(
        _("毕业年份"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    real_name = models.CharField(_("姓名"), max_length=30)
    student_number = models.CharField(_("学号"), max_length=30, blank=True)
    major = models.CharField(_("专业"), max_length=60)
    discipline = models.CharField(_("学科门类"), max_length=2, choices=Discipline.choices)
    education = models.PositiveSmallIntegerField(
        _("学历"), choices=[c for c in Education.choices if c[0] != Education.ANY], default=Education.BACHELOR
    )
    status = models.CharField(_("确认状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("确认人"),
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    # Job push preferences; the lists live in PushPreference rows, these flags keep the matching SQL simple.
    push_enabled = models.BooleanField(_("接收岗位推送"), default=True)
    push_salary_min = models.PositiveIntegerField(_("期望月薪不低于（元）"), null=True, blank=True)
    has_industry_pref = models.BooleanField(default=False, editable=False, verbose_name=_("设置了行业偏好"))
    has_occupation_pref = models.BooleanField(default=False, editable=False, verbose_name=_("设置了职位偏好"))
    has_region_pref = models.BooleanField(default=False, editable=False, verbose_name=_("设置了地区偏好"))
    # Graduates who want the same things (places, industries, occupations, salary, education, discipline) share
    # one profile; the daily match ranks jobs once per profile, not once per graduate (services.push_profile_of).
    push_profile = models.CharField(max_length=40, blank=True, default="", editable=False, verbose_name=_("推送画像"))

    class Meta:
        verbose_name = _("毕业生")
        verbose_name_plural = _("毕业生")
        indexes = [
            models.Index(fields=["university", "graduation_year", "status"]),
            models.Index(fields=["push_enabled", "status"]),
            models.Index(fields=["push_profile"]),
        ]

    def __str__(self) -> str:
        return _("%(name)s（%(university)s）") % {"name": self.real_name, "university": self.university}


class RosterEntry(BaseModel):
    """One line of a university's list of its graduates (生源名单), imported by its employment office. A graduate
    who registers (or has registered) with the same university, student number and name is confirmed by it."""

    university = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="roster_entries", verbose_name=_("高校")
    )
    student_number = models.CharField(_("学号"), max_length=30)
    real_name = models.CharField(_("姓名"), max_length=30)
    graduation_year = models.PositiveSmallIntegerField(
        _("毕业年份"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    major = models.CharField(_("专业"), max_length=60)
    discipline = models.CharField(_("学科门类"), max_length=2, choices=Discipline.choices)
    education = models.PositiveSmallIntegerField(
        _("学历"), choices=[c for c in Education.choices if c[0] != Education.ANY], default=Education.BACHELOR
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("导入人"),
    )

    class Meta:
        verbose_name = _("毕业生名单")
        verbose_name_plural = _("毕业生名单")
        constraints = [
            models.UniqueConstraint(fields=["university", "student_number"], name="roster_unique_student_number")
        ]

    def __str__(self) -> str:
        return f"{self.university_id}:{self.student_number}"


class PushPreference(models.Model):
    """One thing a graduate wants pushed: a region code, an industry letter or an occupation."""

    class Kind(models.TextChoices):
        REGION = "region", _("城市")
        INDUSTRY = "industry", _("行业")
        OCCUPATION = "occupation", _("职能")

    graduate = models.ForeignKey(
        Graduate, on_delete=models.CASCADE, related_name="preferences", verbose_name=_("毕业生")
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, verbose_name=_("偏好类型"))
    value = models.CharField(max_length=16, verbose_name=_("偏好值"))

    class Meta:
        verbose_name = _("推送偏好")
        verbose_name_plural = _("推送偏好")
        constraints = [models.UniqueConstraint(fields=["graduate", "kind", "value"], name="push_preference_unique")]
        indexes = [models.Index(fields=["kind", "value"])]

    def __str__(self) -> str:
        return f"{self.kind}={self.value}"


class JobPush(models.Model):
    """A job pushed to a graduate on a day (each pair at most once)."""

    graduate = models.ForeignKey(Graduate, on_delete=models.CASCADE, related_name="pushes", verbose_name=_("毕业生"))
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="pushes", verbose_name=_("岗位"))
    day = models.DateField(db_index=True, verbose_name=_("推送日期"))

    class Meta:
        verbose_name = _("岗位推送")
        verbose_name_plural = _("岗位推送")
        constraints = [models.UniqueConstraint(fields=["graduate", "job"], name="job_push_unique")]

    def __str__(self) -> str:
        return f"{self.day} {self.graduate_id}→{self.job_id}"


class PushRun(models.Model):
    """One day's push: how many pushes went to how many graduates, and how long matching took."""

    day = models.DateField(_("日期"), unique=True)
    pushes = models.PositiveIntegerField(_("推送条数"), default=0)
    recipients = models.PositiveIntegerField(_("接收人数"), default=0)
    seconds = models.FloatField(_("耗时（秒）"), default=0)

    class Meta:
        verbose_name = _("每日推送")
        verbose_name_plural = _("每日推送")
        ordering = ["-day"]

    def __str__(self) -> str:
        return str(self.day)


class Resume(BaseModel):
    """One version of a graduate's structured resume."""

    class Privacy(models.TextChoices):
        PRIVATE = "private", _("仅投递的单位可见")
        VERIFIED_EMPLOYERS = "verified", _("所有认证单位可见")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resumes", verbose_name=_("本人")
    )
    title = models.CharField(_("版本名称"), max_length=60)
    full_name = models.CharField(_("姓名"), max_length=30)
    phone = models.CharField(_("手机"), max_length=20, blank=True)
    email = models.EmailField(_("邮箱"), blank=True)
    objective = models.CharField(_("求职意向"), max_length=100, blank=True)
    summary = models.TextField(_("自我评价"), blank=True, max_length=2000)
    privacy = models.CharField(_("谁可以看"), max_length=16, choices=Privacy.choices, default=Privacy.PRIVATE)

    class Meta:
        verbose_name = _("简历")
        verbose_name_plural = _("简历")
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return f"{self.full_name} · {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("employment:resume_edit", args=[self.pk])


class ResumeEntry(models.Model):
    """One line of a resume section: a school, an internship, a project, a skill, an award or a certificate."""

    class Section(models.TextChoices):
        EDUCATION = "education", _("教育经历")
        INTERNSHIP = "internship", _("实习经历")
        PROJECT = "project", _("项目经历")
        SKILL = "skill", _("技能")
        AWARD = "award", _("获奖")
        CERTIFICATE = "certificate", _("证书")

    resume = models.ForeignKey(Resume, on_delete=models.CASCADE, related_name="entries", verbose_name=_("简历"))
    section = models.CharField(_("栏目"), max_length=16, choices=Section.choices)
    title = models.CharField(_("名称"), max_length=100, help_text=_("学校、单位、项目、技能、奖项或证书名称"))
    subtitle = models.CharField(_("专业/职务/级别"), max_length=100, blank=True)
    start = models.DateField(_("开始"), null=True, blank=True)
    end = models.DateField(_("结束"), null=True, blank=True)
    detail = models.TextField(_("说明"), blank=True, max_length=2000)
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("顺序"))

    class Meta:
        verbose_name = _("简历条目")
        verbose_name_plural = _("简历条目")
        ordering = ["section", "position", "id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": [_("结束时间不能早于开始时间")]})


# --- Applications ----------------------------------------------------------------------------------------------


class Application(BaseModel):
    """A graduate's application to a job with one resume, moving through the employer's pipeline."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("已投递")
        VIEWED = "viewed", _("已查看")
        WRITTEN_TEST = "written_test", _("笔试")
        INTERVIEW = "interview", _("面试")
        OFFER = "offer", _("录用通知")
        ACCEPTED = "accepted", _("已接受录用")
        DECLINED = "declined", _("已婉拒录用")
        REJECTED = "rejected", _("未通过")
        WITHDRAWN = "withdrawn", _("已撤回")

    graduate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="job_applications", verbose_name=_("毕业生")
    )
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="applications", verbose_name=_("岗位"))
    resume = models.ForeignKey(Resume, on_delete=models.PROTECT, related_name="applications", verbose_name=_("简历"))
    # The resume as it was when sent: later edits of the resume do not change what the employer received.
    resume_snapshot = models.JSONField(_("投递时的简历"), default=dict)
    cover_letter = models.TextField(_("附言"), blank=True, max_length=2000)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)

    class Meta:
        verbose_name = _("投递")
        verbose_name_plural = _("投递")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["graduate", "job"], name="application_one_per_job")]
        indexes = [models.Index(fields=["job", "status"]), models.Index(fields=["graduate", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.job} · {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("employment:application_detail", args=[self.pk])


class ApplicationEvent(BaseModel):
    """One step of an application: the new status, when and where (or the link), and a note for the graduate."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="events", verbose_name=_("求职申请")
    )
    status = models.CharField(_("状态"), max_length=16, choices=Application.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("操作人")
    )
    scheduled_at = models.DateTimeField(_("时间"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    link = models.URLField(_("线上链接"), blank=True)
    note = models.TextField(_("说明"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("投递进展")
        verbose_name_plural = _("投递进展")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_status_display()}"


# --- Three-party agreements ------------------------------------------------------------------------------------


class Agreement(BaseModel):
    """The three-party employment agreement (三方协议) of an accepted offer, signed online by each party in turn."""

    class Status(models.TextChoices):
        SIGNING = "signing", _("签署中")
        SIGNED = "signed", _("已签署")
        TERMINATED = "terminated", _("已解约")

    class Party(models.TextChoices):
        GRADUATE = "graduate", _("毕业生")
        EMPLOYER = "employer", _("用人单位")
        UNIVERSITY = "university", _("学校")

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="agreement", verbose_name=_("求职申请")
    )
    number = models.CharField(_("协议编号"), max_length=24, unique=True)
    code = models.CharField(_("验证码"), max_length=32, unique=True)
    graduate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("毕业生")
    )
    employer = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("用人单位")
    )
    university = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("高校")
    )
    terms = models.JSONField(_("协议条款"), default=dict)
    text = models.TextField(_("协议正文"))
    text_sha256 = models.CharField(_("正文 SHA-256"), max_length=64)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.SIGNING)
    terminated_at = models.DateTimeField(_("解约时间"), null=True, blank=True)
    terminated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("解除人"),
    )
    termination_reason = models.CharField(_("解约原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("三方协议")
        verbose_name_plural = _("三方协议")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("employment:agreement_detail", args=[self.pk])


class AgreementSignature(BaseModel):
    """One party's signature: who, when, and the SHA-256 of the exact text they signed."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="signatures", verbose_name=_("协议")
    )
    party = models.CharField(_("签署方"), max_length=16, choices=Agreement.Party.choices)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("签署人")
    )
    signer_name = models.CharField(_("签署人"), max_length=60)
    signed_at = models.DateTimeField(_("签署时间"))
    text_sha256 = models.CharField(_("所签正文 SHA-256"), max_length=64)
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("协议签署")
        verbose_name_plural = _("协议签署")
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "party"], condition=Q(voided_at__isnull=True), name="agreement_one_live_signature"
            )
        ]
