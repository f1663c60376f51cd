"""Writes of the portal: articles and curated topics. Admin, demo data and API all come through here."""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files import File
from django.db import models, transaction
from django.db.models import Max

from zhijiao.core.platforms import Platform
from zhijiao.search.services import index_later

from .models import Article, Topic, TopicItem
from .search import TopicDocuments, article_index_later
from .selectors import content_cache_keys


@transaction.atomic
def article_create(
    *,
    platform: str,
    title: str,
    body: str,
    kind: str = Article.Kind.NEWS,
    summary: str = "",
    source: str = "",
    published_at: datetime | None = None,
    is_published: bool = True,
) -> Article:
    """Staff publish a news item, notice or policy document on the portal or one platform."""
    article = Article(
        platform=Platform(platform),
        kind=Article.Kind(kind),
        title=title,
        body=body,
        summary=summary,
        source=source,
        is_published=is_published,
    )
    if published_at is not None:
        article.published_at = published_at
    article.full_clean()
    article.save()
    article_index_later(article)
    return article


@transaction.atomic
def article_save(*, article: Article) -> Article:
    """Staff save an edited article (admin); the search index follows after commit."""
    article.full_clean()
    article.save()
    article_index_later(article)
    return article


@transaction.atomic
def article_set_published(*, article: Article, published: bool) -> Article:
    """Staff publish an article, or take it down so visitors no longer see it."""
    if article.is_published != published:
        article.is_published = published
        article.full_clean()
        article.save(update_fields=["is_published", "updated_at"])
        article_index_later(article)
    return article


@transaction.atomic
def topic_create(
    *,
    title: str,
    slug: str,
    description: str = "",
    cover: File | None = None,
    position: int = 0,
    is_published: bool = True,
) -> Topic:
    """Staff open a new topic (专题); its items are added with ``topic_item_add``."""
    topic = Topic(title=title, slug=slug, description=description, position=position, is_published=is_published)
    if cover is not None:
        topic.cover = cover
    topic.full_clean()
    topic.save()
    index_later(TopicDocuments.kind, topic.pk)
    return topic


@transaction.atomic
def topic_save(*, topic: Topic) -> Topic:
    """Staff save an edited topic (admin); the search index follows after commit."""
    topic.full_clean()
    topic.save()
    index_later(TopicDocuments.kind, topic.pk)
    return topic


@transaction.atomic
def topic_item_add(*, topic: Topic, obj: models.Model, note: str = "", position: int | None = None) -> TopicItem:
    """Staff add any platform's content to a topic; without a position it goes last."""
    if position is None:
        last = topic.items.aggregate(last=Max("position"))["last"]
        position = 0 if last is None else last + 1
    item = TopicItem(
        topic=topic,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        note=note,
        position=position,
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def topic_set_published(*, topic: Topic, published: bool) -> Topic:
    """Staff publish a topic, or withdraw it from the portal."""
    if topic.is_published != published:
        topic.is_published = published
        topic.full_clean()
        topic.save(update_fields=["is_published", "updated_at"])
        index_later(TopicDocuments.kind, topic.pk)
    return topic


def content_cache_forget() -> None:
    """Drop the cached totals and "newest" lists so visitors see an article change at once."""
    cache.delete_many(content_cache_keys())
