"""Staff screens of the search: dictionary words (搜索词条) and, read-only, what is in the index."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

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


@admin.register(SearchDocument)
class SearchDocumentAdmin(admin.ModelAdmin):
    """What the index holds, to check why something is (not) found; it is rebuilt from the content itself."""

    list_display = ("title", "kind", "platform", "type_label", "is_public", "date", "indexed_at")
    list_filter = ("kind", "platform", "is_public")
    search_fields = ("=object_id", "title")
    readonly_fields = [field.name for field in SearchDocument._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
