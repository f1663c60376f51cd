"""The K-12 platform's tables: the textbook catalogue, resources, 云码 codes, collections and classes.

The catalogue is a tree: stage → subject → edition → book (grade + volume) → unit → lesson → knowledge point.
A resource attaches at any level (a subject, a book, a unit, a lesson, knowledge points) or to an after-school
column. Workflows live in ``services.py``; these models hold fields and invariants only.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zhijiao.core.models import BaseModel

# Six characters, no look-alikes: no 0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V.
CODE_ALPHABET = "34679ACDEFGHJKMNPQRTWXY"
CODE_LENGTH = 6
code_validator = RegexValidator(rf"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$", _("云码为 6 位字母或数字"))


class Stage(models.TextChoices):
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初中")
    SENIOR = "senior", _("高中")


STAGE_GRADES: dict[str, range] = {Stage.PRIMARY: range(1, 7), Stage.JUNIOR: range(7, 10), Stage.SENIOR: range(10, 13)}


GRADE_LABELS = (
    _("一年级"), _("二年级"), _("三年级"), _("四年级"), _("五年级"), _("六年级"),
    _("七年级"), _("八年级"), _("九年级"), _("高一"), _("高二"), _("高三"),
)  # fmt: skip


def grade_label(grade: int) -> str:
    """一年级 … 九年级, 高一 … 高三, in the reader's language."""
    if 1 <= grade <= len(GRADE_LABELS):
        return str(GRADE_LABELS[grade - 1])
    return str(grade)


class Subject(models.Model):
    """A school subject as taught in one stage (小学数学 and 初中数学 are two subjects)."""

    stage = models.CharField(_("学段"), max_length=16, choices=Stage.choices, db_index=True)
    name = models.CharField(_("学科"), max_length=20)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("学科")
        verbose_name_plural = _("学科")
        ordering = ["stage", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["stage", "name"], name="k12_subject_unique_in_stage")]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}{self.name}"

    def get_absolute_url(self) -> str:
        return reverse("k12:subject", args=[self.pk])


class Edition(models.Model):
    """A textbook edition (教材版本): 统编版, 人教版, 北师大版 …"""

    name = models.CharField(_("版本"), max_length=30, unique=True)
    publisher = models.CharField(_("出版社"), max_length=60, blank=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("教材版本")
        verbose_name_plural = _("教材版本")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class Volume(models.TextChoices):
    UPPER = "upper", _("上册")
    LOWER = "lower", _("下册")
    REQUIRED_1 = "required1", _("必修第一册")
    REQUIRED_2 = "required2", _("必修第二册")
    REQUIRED_3 = "required3", _("必修第三册")
    ELECTIVE_1 = "elective1", _("选择性必修第一册")
    ELECTIVE_2 = "elective2", _("选择性必修第二册")
    ELECTIVE_3 = "elective3", _("选择性必修第三册")


class Book(models.Model):
    """One textbook: a subject's edition for a grade and volume (人教版 数学 七年级上册)."""

    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="books", verbose_name=_("学科"))
    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="books", verbose_name=_("版本"))
    grade = models.PositiveSmallIntegerField(_("年级"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    volume = models.CharField(_("册次"), max_length=16, choices=Volume.choices)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("教材")
        verbose_name_plural = _("教材")
        ordering = ["subject", "edition", "grade", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "edition", "grade", "volume"], name="k12_book_unique_volume")
        ]

    def __str__(self) -> str:
        return f"{self.edition.name} {self.subject.name} {self.label}"

    def get_absolute_url(self) -> str:
        return reverse("k12:book", args=[self.pk])

    @property
    def label(self) -> str:
        if self.volume in (Volume.UPPER, Volume.LOWER):
            return gettext("%(grade)s%(volume)s") % {
                "grade": grade_label(self.grade),
                "volume": self.get_volume_display(),
            }
        return str(self.get_volume_display())

    def clean(self) -> None:
        super().clean()
        if self.subject_id and self.grade and self.grade not in STAGE_GRADES[self.subject.stage]:
            raise ValidationError({"grade": _("年级与学科所在学段不符")})


class Unit(models.Model):
    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="units", verbose_name=_("教材"))
    position = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("单元"), max_length=100)

    class Meta:
        verbose_name = _("单元")
        verbose_name_plural = _("单元")
        ordering = ["book", "position"]
        constraints = [models.UniqueConstraint(fields=["book", "position"], name="k12_unit_unique_position")]

    def __str__(self) -> str:
        return self.title


class Lesson(models.Model):
    """One lesson (课时) of a unit; 云码 codes mostly open one of these."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="lessons", verbose_name=_("单元"))
    position = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("课时"), max_length=100)

    class Meta:
        verbose_name = _("课时")
        verbose_name_plural = _("课时")
        ordering = ["unit", "position"]
        constraints = [models.UniqueConstraint(fields=["unit", "position"], name="k12_lesson_unique_position")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("k12:lesson", args=[self.pk])


class KnowledgePoint(models.Model):
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="points", verbose_name=_("课时"))
    position = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("知识点"), max_length=100)

    class Meta:
        verbose_name = _("知识点")
        verbose_name_plural = _("知识点")
        ordering = ["lesson", "position"]
        constraints = [models.UniqueConstraint(fields=["lesson", "position"], name="k12_point_unique_position")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("k12:point", args=[self.pk])


class Column(models.TextChoices):
    """After-school service columns (课后服务), family education and homework design."""

    SCIENCE = "science", _("科普教育")
    SPORTS = "sports", _("体育锻炼")
    ARTS = "arts", _("文化艺术")
    READING = "reading", _("经典阅读")
    STUDY_TRAVEL = "study_travel", _("研学实践")
    FILM = "film", _("影视教育")
    FAMILY = "family", _("家庭教育")
    HOMEWORK = "homework", _("作业设计")


AFTER_SCHOOL_COLUMNS = (
    Column.SCIENCE,
    Column.SPORTS,
    Column.ARTS,
    Column.READING,
    Column.STUDY_TRAVEL,
    Column.FILM,
)


class Resource(BaseModel):
    """A video, audio, document, e-book, image set or outside link, with its metadata and review state."""

    class Kind(models.TextChoices):
        VIDEO = "video", _("视频")
        AUDIO = "audio", _("音频")
        DOCUMENT = "document", _("文档")
        EBOOK = "ebook", _("电子书")
        IMAGES = "images", _("图集")
        LINK = "link", _("展馆链接")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        REVIEW = "review", _("审核中")
        PUBLISHED = "published", _("已发布")
        WITHDRAWN = "withdrawn", _("已撤回")

    class Licence(models.TextChoices):
        PLATFORM = "platform", _("平台授权使用")
        CC_BY = "cc-by", _("知识共享 署名 4.0")
        CC_BY_NC = "cc-by-nc", _("知识共享 署名-非商业性使用 4.0")
        PUBLIC_DOMAIN = "public", _("公有领域")

    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, db_index=True)
    title = models.CharField(_("标题"), max_length=120)
    description = models.TextField(_("简介"), blank=True)
    teacher_name = models.CharField(_("主讲教师"), max_length=50, blank=True)
    school_name = models.CharField(_("学校"), max_length=100, blank=True)
    school = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("学校")
    )
    duration_seconds = models.PositiveIntegerField(_("时长（秒）"), default=0)
    size_bytes = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    licence = models.CharField(_("许可"), max_length=16, choices=Licence.choices, default=Licence.PLATFORM)
    tags = models.CharField(_("标签"), max_length=200, blank=True, help_text=_("用逗号分隔"))
    file = models.FileField(_("文件"), upload_to="k12/resources/%Y/%m/", max_length=200, blank=True)
    mime_type = models.CharField(_("文件类型"), max_length=60, blank=True)
    poster = models.FileField(_("封面"), upload_to="k12/posters/%Y/%m/", max_length=200, blank=True)
    url = models.URLField(_("外部链接"), blank=True)
    # Where it attaches in the catalogue (any level), or which column it belongs to.
    subject = models.ForeignKey(
        Subject, null=True, blank=True, on_delete=models.SET_NULL, related_name="resources", verbose_name=_("学科")
    )
    grade = models.PositiveSmallIntegerField(
        _("年级"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    book = models.ForeignKey(
        Book, null=True, blank=True, on_delete=models.SET_NULL, related_name="resources", verbose_name=_("教材")
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="resources", verbose_name=_("单元")
    )
    lesson = models.ForeignKey(
        Lesson, null=True, blank=True, on_delete=models.SET_NULL, related_name="resources", verbose_name=_("课时")
    )
    points = models.ManyToManyField(KnowledgePoint, blank=True, related_name="resources", verbose_name=_("知识点"))
    column = models.CharField(_("栏目"), max_length=16, choices=Column.choices, blank=True, db_index=True)
    is_explanation = models.BooleanField(_("教师讲解"), default=False, help_text=_("本课的主讲视频，扫码后最先播放"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    review_note = models.CharField(_("审核意见"), max_length=300, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="k12_resources",
        verbose_name=_("上传者"),
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("资源")
        verbose_name_plural = _("资源")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["lesson", "status"]),
            models.Index(fields=["column", "status"]),
            models.Index(fields=["status", "kind"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="link") | ~Q(url=""), name="k12_resource_link_has_url"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("k12:resource", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_playable(self) -> bool:
        return self.kind in (self.Kind.VIDEO, self.Kind.AUDIO) and bool(self.file)

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.replace("，", ",").split(",") if tag.strip()]

    @property
    def duration_label(self) -> str:
        minutes, seconds = divmod(self.duration_seconds, 60)
        return f"{minutes}:{seconds:02d}" if self.duration_seconds else ""

    def clean(self) -> None:
        super().clean()
        if self.kind == self.Kind.LINK and not self.url:
            raise ValidationError({"url": _("展馆链接需要填写网址")})


class ResourceImage(models.Model):
    """One picture of an image set, in order."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="images", verbose_name=_("资源"))
    position = models.PositiveSmallIntegerField(_("序号"))
    image = models.FileField(_("图片"), upload_to="k12/images/%Y/%m/", max_length=200)
    caption = models.CharField(_("说明"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("图片")
        verbose_name_plural = _("图片")
        ordering = ["resource", "position"]
        constraints = [models.UniqueConstraint(fields=["resource", "position"], name="k12_image_unique_position")]

    def __str__(self) -> str:
        return self.caption or f"#{self.position}"


# --- Collections (regional curation) ----------------------------------------------------------------------


class Collection(BaseModel):
    """A district's curated, ordered list of resources (by subject and lesson), for its schools."""

    title = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    district = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="k12_collections", verbose_name=_("区县教育部门")
    )
    subject = models.ForeignKey(
        Subject, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("学科")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("创建人")
    )
    is_published = models.BooleanField(_("已发布"), default=False)

    class Meta:
        verbose_name = _("精选合集")
        verbose_name_plural = _("精选合集")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("k12:collection", args=[self.pk])


class CollectionItem(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items", verbose_name=_("合集"))
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="+", verbose_name=_("资源"))
    position = models.PositiveIntegerField(_("序号"))

    class Meta:
        verbose_name = _("合集条目")
        verbose_name_plural = _("合集条目")
        ordering = ["collection", "position"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "resource"], name="k12_collection_item_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.collection} #{self.position}"


# --- 云码 ---------------------------------------------------------------------------------------------------


class CodeBatch(BaseModel):
    """Codes generated together for one book (or a district collection), printed on one sheet."""

    title = models.CharField(_("名称"), max_length=100)
    book = models.ForeignKey(
        Book, null=True, blank=True, on_delete=models.PROTECT, related_name="code_batches", verbose_name=_("教材")
    )
    collection = models.ForeignKey(
        Collection,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="code_batches",
        verbose_name=_("合集"),
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="k12_code_batches",
        verbose_name=_("所属机构"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("创建人")
    )

    class Meta:
        verbose_name = _("云码批次")
        verbose_name_plural = _("云码批次")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(book__isnull=False) | Q(collection__isnull=False), name="k12_batch_book_or_collection"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("k12:batch", args=[self.pk])


class Code(BaseModel):
    """One 云码: six unambiguous characters; a draft until published; never reissued once retired."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        RETIRED = "retired", _("已停用")

    code = models.CharField(_("云码"), max_length=CODE_LENGTH, unique=True, validators=[code_validator])
    batch = models.ForeignKey(CodeBatch, on_delete=models.PROTECT, related_name="codes", verbose_name=_("批次"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    lesson = models.ForeignKey(
        Lesson, null=True, blank=True, on_delete=models.PROTECT, related_name="codes", verbose_name=_("课时")
    )
    point = models.ForeignKey(
        KnowledgePoint, null=True, blank=True, on_delete=models.PROTECT, related_name="codes", verbose_name=_("知识点")
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("云码")
        verbose_name_plural = _("云码")
        ordering = ["batch", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(lesson__isnull=False) & Q(point__isnull=True))
                | (Q(lesson__isnull=True) & Q(point__isnull=False)),
                name="k12_code_one_target",
            )
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def target(self) -> Lesson | KnowledgePoint:
        return self.lesson if self.lesson_id else self.point  # type: ignore[return-value]

    @property
    def target_title(self) -> str:
        return str(self.target)

    def get_absolute_url(self) -> str:
        return reverse("code", args=[self.code])


class CodeTarget(models.Model):
    """The history of what a code opens: version 1 at generation, one more row per re-link or correction."""

    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="targets", verbose_name=_("云码"))
    version = models.PositiveIntegerField(_("版本"))
    lesson = models.ForeignKey(
        Lesson, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("课时")
    )
    point = models.ForeignKey(
        KnowledgePoint, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("知识点")
    )
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("操作人")
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("云码指向记录")
        verbose_name_plural = _("云码指向记录")
        ordering = ["code", "version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="k12_code_target_unique_version")]

    def __str__(self) -> str:
        return f"{self.code_id} v{self.version}"


class ScanStat(models.Model):
    """Scans of one code on one day from one region ("" when unknown): a counter, never a row per scan."""

    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="scan_stats", verbose_name=_("云码"))
    day = models.DateField(_("日期"))
    region = models.CharField(_("地区"), max_length=6, blank=True)
    count = models.PositiveIntegerField(_("次数"), default=0)

    class Meta:
        verbose_name = _("扫码统计")
        verbose_name_plural = _("扫码统计")
        constraints = [models.UniqueConstraint(fields=["code", "day", "region"], name="k12_scan_stat_unique")]
        indexes = [models.Index(fields=["day", "code"])]

    def __str__(self) -> str:
        return f"{self.code_id} {self.day} {self.region}: {self.count}"


# --- Classes, assignments, progress -----------------------------------------------------------------------


class SchoolClass(BaseModel):
    """A teacher's class in their school; students join with its code or are added by the teacher."""

    school = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="k12_classes", verbose_name=_("学校")
    )
    name = models.CharField(_("班级名称"), max_length=60)
    grade = models.PositiveSmallIntegerField(
        _("年级"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    # A deleted teacher account leaves the class to the school's administrators.
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="k12_classes_taught",
        verbose_name=_("教师"),
    )
    join_code = models.CharField(_("班级码"), max_length=8, unique=True)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("班级")
        verbose_name_plural = _("班级")
        ordering = ["school", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("k12:class", args=[self.pk])


class ClassMember(models.Model):
    klass = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="members", verbose_name=_("班级"))
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="k12_class_links", verbose_name=_("学生")
    )
    joined_at = models.DateTimeField(_("加入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("班级成员")
        verbose_name_plural = _("班级成员")
        ordering = ["klass", "joined_at"]
        constraints = [models.UniqueConstraint(fields=["klass", "student"], name="k12_class_member_unique")]

    def __str__(self) -> str:
        return f"{self.klass} · {self.student}"


class Assignment(BaseModel):
    """Resources a teacher gives a class for preview (预习) or review (复习), due on a date."""

    class Purpose(models.TextChoices):
        PREVIEW = "preview", _("预习")
        REVIEW = "review", _("复习")

    klass = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("班级"))
    title = models.CharField(_("标题"), max_length=120)
    purpose = models.CharField(_("用途"), max_length=16, choices=Purpose.choices)
    due_date = models.DateField(_("截止日期"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    lesson = models.ForeignKey(
        Lesson, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("课时")
    )
    collection = models.ForeignKey(
        Collection, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("合集")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("布置人")
    )

    class Meta:
        verbose_name = _("学习任务")
        verbose_name_plural = _("学习任务")
        ordering = ["-due_date", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("k12:assignment", args=[self.pk])


class AssignmentItem(models.Model):
    """One resource of an assignment, fixed when it is given (a lesson or collection changing later doesn't move it)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="items", verbose_name=_("布置"))
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="+", verbose_name=_("资源"))
    position = models.PositiveSmallIntegerField(_("序号"))

    class Meta:
        verbose_name = _("任务资源")
        verbose_name_plural = _("任务资源")
        ordering = ["assignment", "position"]
        constraints = [models.UniqueConstraint(fields=["assignment", "resource"], name="k12_assignment_item_unique")]

    def __str__(self) -> str:
        return f"{self.assignment_id}:{self.resource_id}"


class Progress(models.Model):
    """How far one student got with one resource: resumable position, time spent, done or not."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="k12_progress", verbose_name=_("学生")
    )
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="+", verbose_name=_("资源"))
    position_seconds = models.PositiveIntegerField(_("播放位置（秒）"), default=0)
    furthest_seconds = models.PositiveIntegerField(_("最远位置（秒）"), default=0)
    seconds_spent = models.PositiveIntegerField(_("学习时长（秒）"), default=0)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # The server's clock for time spent (see ``services.progress_record``): time is credited up to this moment,
    # never faster than it passes; a player's session and the seconds credited to it make a repeated report a no-op.
    clock_at = models.DateTimeField(_("计时至"), null=True, blank=True, editable=False)
    session = models.CharField(_("播放会话"), max_length=40, blank=True, editable=False)
    session_seconds = models.PositiveIntegerField(_("本次播放已计时长（秒）"), default=0, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("学习进度")
        verbose_name_plural = _("学习进度")
        constraints = [models.UniqueConstraint(fields=["student", "resource"], name="k12_progress_unique")]

    def __str__(self) -> str:
        return f"{self.student_id}:{self.resource_id}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


def target_kwargs(target: Any) -> dict[str, Any]:
    """``{"lesson": …, "point": None}`` or the other way round, for a lesson or knowledge point."""
    if isinstance(target, Lesson):
        return {"lesson": target, "point": None}
    if isinstance(target, KnowledgePoint):
        return {"lesson": None, "point": target}
    raise TypeError("a code opens a lesson or a knowledge point")
