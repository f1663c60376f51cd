"""Reads of the portal: articles, topics and the platform totals shown on the home and data pages."""

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.functional import Promise

from zhijiao.core.actors import Actor, signed_in
from zhijiao.core.cache import content_cached
from zhijiao.core.errors import NotFound
from zhijiao.core.platforms import Platform
from zhijiao.orgs.models import Organization
from zhijiao.orgs.selectors import organization_list

from .models import Article, Topic
from .platforms import NAV_SECTIONS, Section

# --- Articles -----------------------------------------------------------------------------------------------

_LIST_FIELDS = ("id", "platform", "kind", "title", "summary", "source", "published_at")


def _visible_articles() -> QuerySet[Article]:
    """Published articles whose publication time has come, newest first."""
    return Article.objects.filter(is_published=True, published_at__lte=timezone.now()).order_by("-published_at", "-id")


def platform_choice(value: str | None) -> str | None:
    """A platform key from a query string, or None for "every platform" (unknown values included)."""
    return value if value in Platform.values else None


def articles_latest(*, platform: str | None = None, limit: int = 10) -> list[Article]:
    """The newest published articles, of one platform or of all of them."""
    return list(article_list(platform=platform)[:limit])


@dataclass
class PlatformArticles:
    """One platform's newest articles, for a block of the home page."""

    platform: str
    label: str | Promise
    articles: list[Article] = field(default_factory=list)


def articles_latest_by_platform(*, per_platform: int = 5) -> list[PlatformArticles]:
    """Each platform's newest articles; platforms without any are left out.

    One short query per platform, each walking the (platform, is_published, published_at) index: the cost
    stays flat however many articles there are, where ranking every article in one query would not.
    """
    blocks = []
    for value, label in Platform.choices:
        articles = articles_latest(platform=value, limit=per_platform)
        if articles:
            blocks.append(PlatformArticles(platform=value, label=label, articles=articles))
    return blocks


def access_article(*, actor: Actor, article_id: int) -> Article:
    """An article a visitor may read: published ones for everybody, drafts for staff who edit articles."""
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        raise NotFound
    visible = article.is_published and article.published_at <= timezone.now()
    if not visible and not (signed_in(actor) and actor.has_perm("portal.change_article")):
        raise NotFound
    return article


# --- Topics -------------------------------------------------------------------------------------------------


def topics_published(*, limit: int | None = None) -> list[Topic]:
    """Published topics in the order staff chose."""
    qs = Topic.objects.filter(is_published=True).only(
        "id", "title", "slug", "cover", "description", "position", "is_published"
    )
    return list(qs[:limit] if limit else qs)


def access_topic(*, actor: Actor, slug: str) -> Topic:
    """A topic page: published topics for everybody, drafts for staff who edit topics."""
    topic = Topic.objects.filter(slug=slug).first()
    if topic is None:
        raise NotFound
    if not topic.is_published and not (signed_in(actor) and actor.has_perm("portal.change_topic")):
        raise NotFound
    return topic


# Content without a ``platform`` of its own belongs to the platform of its app.
_APP_PLATFORMS: dict[str, str] = {
    "k12": Platform.K12,
    "vocational": Platform.VOCATIONAL,
    "higher": Platform.HIGHER,
    "employment": Platform.EMPLOYMENT,
    "exams": Platform.HALL,
    "credentials": Platform.HALL,
    "abroad": Platform.HALL,
}
_ORGANIZATION_PLATFORMS: dict[str, str] = {
    Organization.Kind.SCHOOL: Platform.K12,
    Organization.Kind.VOCATIONAL: Platform.VOCATIONAL,
    Organization.Kind.UNIVERSITY: Platform.HIGHER,
    Organization.Kind.EMPLOYER: Platform.EMPLOYMENT,
}


@dataclass(frozen=True)
class TopicEntry:
    """One item of a topic: what a visitor reads, and the machine keys the API gives."""

    title: str
    url: str
    platform: str
    platform_label: str
    type: str
    type_label: str
    note: str


def platform_key_of(obj: Any) -> str:
    """The platform an object belongs to, as its key (``k12``, ``hall`` …): its own field, else its app's."""
    value = getattr(obj, "platform", None)
    if value in Platform.values:
        return str(value)
    if isinstance(obj, Organization):
        return str(_ORGANIZATION_PLATFORMS.get(obj.kind, Platform.PORTAL))
    return str(_APP_PLATFORMS.get(obj._meta.app_label, Platform.PORTAL))


def is_public(obj: Any) -> bool:
    """Whether anybody may see an object a topic or a ranking points at: not hidden, unpublished or scheduled."""
    if obj is None:
        return False
    if getattr(obj, "is_published", True) is False or getattr(obj, "is_active", True) is False:
        return False
    published_at = getattr(obj, "published_at", None)
    return published_at is None or published_at <= timezone.now()


def topic_entries(*, topic: Topic) -> list[TopicEntry]:
    """The topic's items in order, resolved with one query per kind of content; hidden or deleted ones drop out."""
    # prefetch_related on a generic foreign key groups the items by content type: one query per type.
    items = topic.items.all().prefetch_related("content_object")
    entries = []
    for item in items:
        obj = item.content_object
        if obj is None or not is_public(obj):
            continue
        get_url = getattr(obj, "get_absolute_url", None)
        platform = platform_key_of(obj)
        entries.append(
            TopicEntry(
                title=str(obj),
                url=get_url() if callable(get_url) else "",
                platform=platform,
                platform_label=str(Platform(platform).label),
                type=obj._meta.label_lower,
                type_label=str(obj._meta.verbose_name),
                note=item.note,
            )
        )
    return entries


# --- Totals -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One labelled figure of a table or chart."""

    key: str
    label: str | Promise
    value: int


@dataclass(frozen=True)
class PlatformTotals:
    """The figures the home and data pages show: organisations by kind, people, articles by platform."""

    organizations: list[Figure]
    articles: list[Figure]
    users: int

    def organizations_of(self, kind: str) -> int:
        return next((c.value for c in self.organizations if c.key == kind), 0)

    @property
    def schools(self) -> int:
        return self.organizations_of(Organization.Kind.SCHOOL)

    @property
    def vocational_colleges(self) -> int:
        return self.organizations_of(Organization.Kind.VOCATIONAL)

    @property
    def universities(self) -> int:
        return self.organizations_of(Organization.Kind.UNIVERSITY)

    @property
    def employers(self) -> int:
        return self.organizations_of(Organization.Kind.EMPLOYER)

    @property
    def agencies(self) -> int:
        return self.organizations_of(Organization.Kind.AGENCY)

    @property
    def articles_total(self) -> int:
        return sum(c.value for c in self.articles)

    def articles_of(self, platform: str) -> int:
        return next((c.value for c in self.articles if c.key == platform), 0)


TOTALS_CACHE_KEY = "portal:platform-totals"


def newest_cache_key(*, language: str, platform: str | None) -> str:
    """Where the home page's rendered "newest" block for one language and tab is kept."""
    return f"portal:newest:{language}:{platform or 'all'}"


def content_cache_keys() -> list[str]:
    """Every cache entry built from articles, to forget when one changes."""
    return [TOTALS_CACHE_KEY] + [
        newest_cache_key(language=code, platform=platform)
        for code, _label in settings.LANGUAGES
        for platform in (None, *Platform.values)
    ]


def _count_rows() -> tuple[dict[str, int], dict[str, int], int]:
    org_rows = dict(organization_list().order_by().values("kind").annotate(n=Count("id")).values_list("kind", "n"))
    article_rows = dict(
        _visible_articles().order_by().values("platform").annotate(n=Count("id")).values_list("platform", "n")
    )
    users = get_user_model().objects.filter(is_active=True).count()
    return org_rows, article_rows, users


def platform_totals() -> PlatformTotals:
    """Active organisations per kind, active users and visible articles per platform.

    Counting whole tables costs more the bigger the platform grows, so the counts are kept for
    ``CONTENT_CACHE_SECONDS`` (a minute by default): statistics a minute old are still true enough.
    Only plain numbers are cached; labels are attached afterwards in the visitor's language.
    """
    org_rows, article_rows, users = content_cached(TOTALS_CACHE_KEY, _count_rows)
    return PlatformTotals(
        organizations=[Figure(value, label, org_rows.get(value, 0)) for value, label in Organization.Kind.choices],
        articles=[Figure(value, label, article_rows.get(value, 0)) for value, label in Platform.choices],
        users=users,
    )


def database_is_up() -> bool:
    """Whether the database answers a trivial query, for the health check."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() is not None
    except DatabaseError:
        return False


# --- Platform landing pages ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlatformPage:
    """What a platform's landing page shows: its section, newest articles and the portal's totals."""

    section: Section
    articles: list[Article]
    article_count: int
    totals: PlatformTotals


def platform_page(*, key: str, articles: int = 8) -> PlatformPage:
    """The landing page of the platform whose URL namespace is ``key`` (k12, vocational, higher, …)."""
    section = next((s for s in NAV_SECTIONS if s.key == key), None)
    if section is None:
        raise NotFound
    totals = platform_totals()
    latest = articles_latest(platform=section.platform, limit=articles) if section.platform else []
    return PlatformPage(
        section=section,
        articles=latest,
        article_count=totals.articles_of(section.platform) if section.platform else totals.articles_total,
        totals=totals,
    )


# --- Lists --------------------------------------------------------------------------------------------------


def article_list(*, platform: str | None = None, kind: str | None = None) -> QuerySet[Article]:
    """Published articles, newest first, optionally of one platform and one kind."""
    qs = _visible_articles().only(*_LIST_FIELDS)
    if platform:
        qs = qs.filter(platform=platform)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def topic_count_published() -> int:
    return Topic.objects.filter(is_published=True).count()
