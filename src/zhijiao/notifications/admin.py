from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .kinds import kind_label
from .models import Notification


class KindFilter(admin.SimpleListFilter):
    """The kinds of message sent so far, by name."""

    title = _("类别")
    parameter_name = "kind"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        kinds = Notification.objects.exclude(kind="").order_by("kind").values_list("kind", flat=True).distinct()
        return [(kind, kind_label(kind)) for kind in kinds]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Notification]) -> QuerySet[Notification]:
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "user", "kind_name", "created_at", "read_at")
    list_filter = (KindFilter,)
    search_fields = ("title",)
    raw_id_fields = ("user",)
    readonly_fields = ("created_at", "updated_at", "read_at", "emailed_at")

    @admin.display(description=_("类别"), ordering="kind")
    def kind_name(self, notification: Notification) -> str:
        return kind_label(notification.kind)
