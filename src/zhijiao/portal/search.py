"""The portal's findable content: published articles and topics (see zhijiao.search.registry)."""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhijiao.core.platforms import Platform
from zhijiao.search.registry import PUBLIC, STAFF, Document, DocumentType, FilterField
from zhijiao.search.services import index_later

from .models import Article, Topic


class ArticleDocuments(DocumentType):
    """Articles: public once published and due; scheduled ones are found by staff only; drafts not at all."""

    kind = "portal.article"
    model = Article
    label = _("文章")
    filters = (FilterField("category", _("栏目"), lambda values: dict(Article.Kind.choices)),)

    def queryset(self) -> QuerySet[Article]:
        return Article.objects.all()

    def to_document(self, article: Article) -> Document | None:
        if not article.is_published:
            return None
        due = article.published_at <= timezone.now()
        return Document(
            kind=self.kind,
            object_id=str(article.pk),
            title=article.title,
            body=f"{article.summary}\n{article.body}" if article.summary else article.body,
            platform=article.platform,
            type_label=str(self.label),
            url=article.get_absolute_url(),
            filters={"category": article.kind},
            date=article.published_at,
            visibility=PUBLIC if due else [STAFF],
        )


class TopicDocuments(DocumentType):
    """Topics (专题): public when published."""

    kind = "portal.topic"
    model = Topic
    label = _("专题")

    def queryset(self) -> QuerySet[Topic]:
        return Topic.objects.all()

    def to_document(self, topic: Topic) -> Document | None:
        if not topic.is_published:
            return None
        return Document(
            kind=self.kind,
            object_id=str(topic.pk),
            title=topic.title,
            body=topic.description,
            platform=Platform.PORTAL,
            type_label=str(self.label),
            url=topic.get_absolute_url(),
            date=topic.updated_at,
            visibility=PUBLIC,
        )


def article_index_later(article: Any) -> None:
    """Re-index an article after commit, and once more when a scheduled one falls due (where tasks can wait)."""
    index_later(ArticleDocuments.kind, article.pk)
    if article.is_published and article.published_at > timezone.now():
        index_later(ArticleDocuments.kind, article.pk, at=article.published_at)
