"""The search index: one ``SearchDocument`` per findable object, its filter values and its audience.

The matched text lives in a backend table created by the migrations: on SQLite the FTS5 virtual table
``search_fts`` (rowid = document id), on PostgreSQL ``search_vector`` (a tsvector with a GIN index). Both hold the
segmented words (``core.tokenizer``) space-separated; ``SearchDocument`` keeps the original text for snippets.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhijiao.core.models import BaseModel


class SearchDocument(models.Model):
    """What the search shows about one object of a registered document type."""

    kind = models.CharField(_("类型标识"), max_length=64)
    object_id = models.CharField(_("对象编号"), max_length=64)
    title = models.CharField(_("标题"), max_length=300)
    body = models.TextField(_("正文"), blank=True)
    url = models.CharField(_("网址"), max_length=300)
    platform = models.CharField(_("平台"), max_length=16, db_index=True)
    type_label = models.CharField(_("类型"), max_length=40)
    filters = models.JSONField(_("筛选值"), default=dict, blank=True)
    date = models.DateTimeField(_("日期"), null=True, blank=True)
    popularity = models.FloatField(_("热度"), default=0.0)
    is_public = models.BooleanField(_("公开"), default=True)
    audience = models.JSONField(_("可见范围"), default=list, blank=True)
    indexed_at = models.DateTimeField(_("收录时间"), auto_now=True)

    class Meta:
        verbose_name = _("搜索文档")
        verbose_name_plural = _("搜索文档")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique_object")]
        indexes = [models.Index(fields=["date"]), models.Index(fields=["popularity"])]

    def __str__(self) -> str:
        return self.title


class SearchFilterValue(models.Model):
    """One (filter, value) pair of a document, platform and type included: the rows facets are counted from."""

    document = models.ForeignKey(
        SearchDocument, on_delete=models.CASCADE, related_name="filter_values", verbose_name=_("文档")
    )
    name = models.CharField(max_length=32, verbose_name=_("名称"))
    value = models.CharField(max_length=100, verbose_name=_("值"))

    class Meta:
        verbose_name = _("筛选值")
        verbose_name_plural = _("筛选值")
        indexes = [models.Index(fields=["document", "name"])]

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class SearchTerm(BaseModel):
    """A word staff teach the tokenizer so it is never split (a new programme, a school's short name)."""

    word = models.CharField(
        _("词条"),
        max_length=30,
        unique=True,
        validators=[RegexValidator(r"^\S+$", _("词条不能包含空格"))],
        help_text=_("添加后立即用于新的搜索和新收录的内容；已收录的内容需“重建索引”后才按新词切分。"),
    )
    note = models.CharField(_("备注"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("搜索词条")
        verbose_name_plural = _("搜索词条")
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word
