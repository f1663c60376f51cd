"""A district's collections of resources, and how its schools' students use the platform."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, cast

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from zhijiao.core.actors import Actor
from zhijiao.core.errors import NotFound
from zhijiao.orgs.models import Organization, Role
from zhijiao.orgs.selectors import region_code_prefix

from ..models import Collection, CollectionItem, Progress, ScanStat
from .permissions import can_manage_collection, district_agencies, is_k12_staff


def collections_for(*, actor: Actor) -> QuerySet[Collection]:
    qs = Collection.objects.select_related("district", "subject").annotate(item_count=Count("items"))
    if is_k12_staff(actor):
        return qs
    return qs.filter(district__in=[org.pk for org in district_agencies(actor)])


def access_collection(*, actor: Actor, collection_id: int) -> Collection:
    collection = Collection.objects.select_related("district", "subject").filter(pk=collection_id).first()
    if collection is None or not (collection.is_published or can_manage_collection(actor, collection)):
        raise NotFound
    return collection


def collection_items(*, collection: Collection) -> list[CollectionItem]:
    return list(
        collection.items.select_related("resource__subject", "resource__lesson__unit__book__edition").order_by(
            "position"
        )
    )


@dataclass
class DistrictUsage:
    district: Organization
    students: int
    active_week: int
    active_month: int
    top_resources: list[dict[str, Any]]
    scans_month: int

    @property
    def week_share(self) -> int:
        return round(100 * self.active_week / self.students) if self.students else 0

    @property
    def month_share(self) -> int:
        return round(100 * self.active_month / self.students) if self.students else 0


def access_district(*, actor: Actor, district_id: int | None = None) -> Organization:
    agencies = district_agencies(actor)
    if district_id is None and agencies:
        return agencies[0]
    for agency in agencies:
        if agency.pk == district_id:
            return agency
    raise NotFound


def district_usage(*, district: Organization, today: date | None = None) -> DistrictUsage:
    """The share of the district's students active this week and month, top resources and scans (30 days)."""
    today = today or timezone.localdate()
    prefix = region_code_prefix(district.region)
    from zhijiao.orgs.models import Membership

    student_ids = Membership.objects.filter(
        role=Role.STUDENT,
        is_active=True,
        organization__kind=Organization.Kind.SCHOOL,
        organization__region__code__startswith=prefix,
    ).values("user_id")
    students = student_ids.distinct().count()
    now = timezone.now()
    recent = Progress.objects.filter(student_id__in=student_ids)
    active_week = recent.filter(updated_at__gte=now - timedelta(days=7)).values("student_id").distinct().count()
    active_month = recent.filter(updated_at__gte=now - timedelta(days=30)).values("student_id").distinct().count()
    top: list[dict[str, Any]] = cast(
        list[dict[str, Any]],
        list(
            recent.filter(updated_at__gte=now - timedelta(days=30))
            .order_by()
            .values("resource_id", "resource__title")
            .annotate(learners=Count("student_id", distinct=True), seconds=Sum("seconds_spent"))
            .order_by("-learners", "-seconds", "resource_id")[:10]
        ),
    )
    scans = (
        ScanStat.objects.filter(day__gte=today - timedelta(days=29))
        .filter(Q(region__startswith=prefix) | Q(code__batch__organization=district))
        .aggregate(total=Sum("count"))["total"]
        or 0
    )
    return DistrictUsage(
        district=district,
        students=students,
        active_week=active_week,
        active_month=active_month,
        top_resources=top,
        scans_month=int(scans),
    )
