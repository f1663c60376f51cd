"""Staff screens for the portal: articles and curated topics (专题) with their ordered items."""

from typing import Any

from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, ForeignKey, QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Article, Topic, TopicItem, is_topic_content
from .services import article_save, article_set_published, topic_save, topic_set_published


def topic_content_types() -> QuerySet[ContentType]:
    """The kinds of content staff may put into a topic, for the item's "content type" choice."""
    allowed = [ct.pk for ct in ContentType.objects.all() if (model := ct.model_class()) and is_topic_content(model)]
    return ContentType.objects.filter(pk__in=allowed).order_by("app_label", "model")


class TopicItemInline(admin.TabularInline):
    model = TopicItem
    extra = 1
    fields = ("position", "content_type", "object_id", "resolved_title", "note")
    readonly_fields = ("resolved_title",)
    ordering = ("position", "id")

    def get_queryset(self, request: HttpRequest) -> QuerySet[TopicItem]:
        # The generic relation is prefetched: one query per content type, not one per row.
        return super().get_queryset(request).prefetch_related("content_object")

    def formfield_for_foreignkey(self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any) -> ModelChoiceField:
        if db_field.name == "content_type":
            kwargs["queryset"] = topic_content_types()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[return-value]

    @admin.display(description=_("内容标题"))
    def resolved_title(self, item: TopicItem) -> str:
        if item.pk is None:
            return "—"
        obj = item.content_object
        if obj is None:
            return str(_("（内容已删除）"))
        url = getattr(obj, "get_absolute_url", None)
        if callable(url):
            return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url(), obj)
        return str(obj)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "position", "is_published", "item_count", "updated_at")
    list_editable = ("position",)
    list_filter = ("is_published",)
    search_fields = ("title", "description")
    prepopulated_fields = {"slug": ("title",)}
    fields = ("title", "slug", "cover", "description", "position", "is_published")
    inlines = (TopicItemInline,)
    actions = ("publish", "withdraw")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Topic]:
        return super().get_queryset(request).annotate(item_total=Count("items"))

    def save_model(self, request: HttpRequest, obj: Topic, form: Any, change: bool) -> None:
        topic_save(topic=obj)

    @admin.display(description=_("条目数"), ordering="item_total")
    def item_count(self, topic: Topic) -> int:
        return getattr(topic, "item_total", 0)

    @admin.action(description=_("发布所选专题"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Topic]) -> None:
        for topic in queryset:
            topic_set_published(topic=topic, published=True)
        count = queryset.count()
        self.message_user(
            request, ngettext("已发布 %(n)d 个专题。", "已发布 %(n)d 个专题。", count) % {"n": count}, messages.SUCCESS
        )

    @admin.action(description=_("撤下所选专题"))
    def withdraw(self, request: HttpRequest, queryset: QuerySet[Topic]) -> None:
        for topic in queryset:
            topic_set_published(topic=topic, published=False)
        count = queryset.count()
        self.message_user(
            request, ngettext("已撤下 %(n)d 个专题。", "已撤下 %(n)d 个专题。", count) % {"n": count}, messages.SUCCESS
        )


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "platform", "kind", "source", "published_at", "is_published")
    list_filter = ("platform", "kind", "is_published")
    search_fields = ("title",)
    date_hierarchy = "published_at"
    fields = ("platform", "kind", "title", "summary", "body", "source", "published_at", "is_published")
    actions = ("publish", "withdraw")

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        article_save(article=obj)

    @admin.action(description=_("发布所选文章"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        for article in queryset:
            article_set_published(article=article, published=True)
        count = queryset.count()
        self.message_user(
            request, ngettext("已发布 %(n)d 篇文章。", "已发布 %(n)d 篇文章。", count) % {"n": count}, messages.SUCCESS
        )

    @admin.action(description=_("撤下所选文章"))
    def withdraw(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        for article in queryset:
            article_set_published(article=article, published=False)
        count = queryset.count()
        self.message_user(
            request, ngettext("已撤下 %(n)d 篇文章。", "已撤下 %(n)d 篇文章。", count) % {"n": count}, messages.SUCCESS
        )
