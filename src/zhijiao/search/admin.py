"""Staff screens of the search: dictionary words (搜索词条) and, read-only, what is in the index."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from zhijiao.core.admin import ReadOnlyAdmin
from zhijiao.core.audit import audit_object_label
from zhijiao.core.platforms import Platform

from .models import SearchDocument, SearchTerm
from .services import reindex_later, search_term_save


@admin.register(SearchTerm)
class SearchTermAdmin(admin.ModelAdmin):
    """New words split text at once for searches; already indexed text needs the "rebuild" action."""

    list_display = ("word", "note", "updated_at")
    search_fields = ("word", "note")
    fields = ("word", "note")
    actions = ("rebuild_index",)

    def save_model(self, request: HttpRequest, obj: SearchTerm, form: Any, change: bool) -> None:
        search_term_save(term=obj)
        self.message_user(request, _("词条已生效。已收录的内容需“重建搜索索引”后才会按新词切分。"), messages.INFO)

    @admin.action(description=_("重建搜索索引（后台任务）"))
    def rebuild_index(self, request: HttpRequest, queryset: QuerySet[SearchTerm]) -> None:
        reindex_later()
        self.message_user(request, _("已安排重建搜索索引，稍后由后台任务完成。"), messages.SUCCESS)


class KindFilter(admin.SimpleListFilter):
    """The kinds of thing in the index, as people call them."""

    title = _("类型标识")
    parameter_name = "kind"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        kinds = SearchDocument.objects.order_by("kind").values_list("kind", flat=True).distinct()
        return [(kind, audit_object_label(kind)) for kind in kinds]

    def queryset(self, request: HttpRequest, queryset: QuerySet[SearchDocument]) -> QuerySet[SearchDocument]:
        return queryset.filter(kind=self.value()) if self.value() else queryset


class PlatformFilter(admin.SimpleListFilter):
    title = _("平台")
    parameter_name = "platform"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(value, str(label)) for value, label in Platform.choices]

    def queryset(self, request: HttpRequest, queryset: QuerySet[SearchDocument]) -> QuerySet[SearchDocument]:
        return queryset.filter(platform=self.value()) if self.value() else queryset


@admin.register(SearchDocument)
class SearchDocumentAdmin(ReadOnlyAdmin):
    """What the index holds, to check why something is (not) found; it is rebuilt from the content itself."""

    list_display = ("title", "kind_name", "platform_name", "type_label", "is_public", "date", "indexed_at")
    list_filter = (KindFilter, PlatformFilter, "is_public")
    search_fields = ("=object_id", "title")
    readonly_fields = [
        {"kind": "kind_name", "platform": "platform_name"}.get(field.name, field.name)
        for field in SearchDocument._meta.fields
    ]
    fields = tuple(readonly_fields)

    @admin.display(description=_("类型标识"), ordering="kind")
    def kind_name(self, document: SearchDocument) -> str:
        return audit_object_label(document.kind)

    @admin.display(description=_("平台"), ordering="platform")
    def platform_name(self, document: SearchDocument) -> str:
        return str(Platform(document.platform).label) if document.platform in Platform.values else document.platform
