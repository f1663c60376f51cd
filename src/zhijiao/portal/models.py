from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhijiao.core.models import BaseModel
from zhijiao.core.platforms import Platform

from .validators import validate_cover_image


class Article(BaseModel):
    """News, notices and policy documents (资讯、通知公告、政策文件) published on the portal or a platform."""

    class Kind(models.TextChoices):
        NEWS = "news", _("资讯")
        NOTICE = "notice", _("通知公告")
        POLICY = "policy", _("政策文件")
        FEATURE = "feature", _("专题报道")

    platform = models.CharField(_("所属平台"), max_length=16, choices=Platform.choices, db_index=True)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices, default=Kind.NEWS)
    title = models.CharField(_("标题"), max_length=120)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    body = models.TextField(_("正文"))
    source = models.CharField(_("来源"), max_length=60, blank=True)
    published_at = models.DateTimeField(_("发布时间"), default=timezone.now, db_index=True)
    is_published = models.BooleanField(_("已发布"), default=True)

    class Meta:
        verbose_name = _("文章")
        verbose_name_plural = _("文章")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["platform", "is_published", "-published_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:article", args=[self.pk])


class Topic(BaseModel):
    """A curated topic (专题) gathering items from any platform."""

    title = models.CharField(_("标题"), max_length=60)
    slug = models.SlugField(_("网址标识"), max_length=60, unique=True)
    cover = models.ImageField(
        _("封面"),
        upload_to="topics/",
        blank=True,
        validators=[validate_cover_image],
        help_text=_("JPEG、PNG、WebP 或 GIF 图片；不上传时自动生成封面。"),
    )
    description = models.TextField(_("简介"), blank=True)
    position = models.PositiveIntegerField(_("排序"), default=0)
    is_published = models.BooleanField(_("已发布"), default=True)

    class Meta:
        verbose_name = _("专题")
        verbose_name_plural = _("专题")
        ordering = ["position", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:topic", args=[self.slug])

    @property
    def cover_variant(self) -> int:
        """Which of the generated covers a topic without an uploaded one wears (stable per topic)."""
        return (self.pk or 0) % 6


class TopicItem(models.Model):
    """One item of a topic: any object of any platform, in the order staff choose."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="items", verbose_name=_("专题"))
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("内容类型"))
    object_id = models.PositiveBigIntegerField(_("内容编号"))
    content_object = GenericForeignKey("content_type", "object_id")
    note = models.CharField(_("推荐语"), max_length=200, blank=True)
    position = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("专题条目")
        verbose_name_plural = _("专题条目")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "content_type", "object_id"], name="topic_item_unique_object")
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.topic} · {self.content_object}"

    def clean(self) -> None:
        super().clean()
        if self.content_type_id is None or self.object_id is None:
            return
        content_type = ContentType.objects.get_for_id(self.content_type_id)
        model = content_type.model_class()
        if model is None or not is_topic_content(model):
            raise ValidationError({"content_type": _("专题不能收录这种内容。")})
        if not model._default_manager.filter(pk=self.object_id).exists():
            raise ValidationError(
                {
                    "object_id": _("找不到编号为 %(id)s 的%(type)s。")
                    % {"id": self.object_id, "type": model._meta.verbose_name}
                }
            )


# Objects about people, credentials or machinery are never the content of a topic.
_NOT_TOPIC_CONTENT_APPS = {"core", "accounts"}
_NOT_TOPIC_CONTENT_MODELS = {"portal.topicitem", "orgs.membership"}


def is_topic_content(model: type[models.Model]) -> bool:
    """Whether objects of ``model`` may be gathered in a topic: any platform content of Zhijiao."""
    return (
        model.__module__.startswith("zhijiao.")
        and model._meta.app_label not in _NOT_TOPIC_CONTENT_APPS
        and model._meta.label_lower not in _NOT_TOPIC_CONTENT_MODELS
    )
