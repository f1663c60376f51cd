"""What the portal's API answers: topics with their items, articles and the platform totals."""

from datetime import datetime
from typing import Any, Literal

from ninja import Schema

from .models import Topic

# Plain literals rather than the models' TextChoices: ninja names enum components by class name alone, and
# ``Article.Kind`` would clash with every other ``Kind``. A test keeps these equal to the model choices.
PlatformKey = Literal["portal", "k12", "vocational", "higher", "employment", "hall"]
ArticleKind = Literal["news", "notice", "policy", "feature"]


class TopicOut(Schema):
    slug: str
    title: str
    description: str
    cover: str | None
    url: str


class TopicItemOut(Schema):
    """One item of a topic; ``url`` is empty for content without a page of its own."""

    title: str
    url: str
    platform: PlatformKey
    type: str
    type_label: str
    note: str


class TopicDetailOut(TopicOut):
    items: list[TopicItemOut]


class ArticleOut(Schema):
    id: int
    platform: PlatformKey
    kind: ArticleKind
    title: str
    summary: str
    source: str
    published_at: datetime
    url: str

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return str(obj.get_absolute_url())


class ArticleDetailOut(ArticleOut):
    body: str


class FigureOut(Schema):
    key: str
    label: str
    count: int


class SummaryOut(Schema):
    """Platform totals: published articles per platform, active organisations per kind, users and topics."""

    articles: list[FigureOut]
    organizations: list[FigureOut]
    users: int
    topics: int


def topic_fields(topic: Topic) -> dict[str, Any]:
    """A topic's own fields as the API shows them (the cover and the page as URLs)."""
    return {
        "slug": topic.slug,
        "title": topic.title,
        "description": topic.description,
        "cover": topic.cover.url if topic.cover else None,
        "url": topic.get_absolute_url(),
    }
