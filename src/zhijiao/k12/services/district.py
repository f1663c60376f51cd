"""Writes of a district's curated collections of resources, which its schools use and 云码 batches can print."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijiao.core.actors import Actor
from zhijiao.core.audit import audit_actions
from zhijiao.core.errors import DomainError
from zhijiao.core.services import audit_record
from zhijiao.orgs.models import Organization

from .. import selectors
from ..models import Collection, CollectionItem, Resource

# What the audit log calls the actions recorded here.
AUDIT_ACTIONS = audit_actions(
    {
        "k12.collection.create": gettext_lazy("创建资源合集"),
        "k12.collection.publish": gettext_lazy("发布资源合集"),
        "k12.collection.unpublish": gettext_lazy("撤下资源合集"),
    }
)


@transaction.atomic
def collection_create(
    *, actor: Actor, district: Organization, title: str, description: str = "", subject_id: int | None = None
) -> Collection:
    """District staff start a curated collection for their district's schools."""
    if not selectors.can_create_collection(actor, district):
        raise PermissionDenied(_("只有本区县的教育工作人员可以创建合集"))
    collection = Collection(
        title=title.strip(), description=description.strip(), district=district, subject_id=subject_id, created_by=actor
    )
    collection.full_clean()
    collection.save()
    audit_record(action="k12.collection.create", actor=actor, obj=collection)
    return collection


def _require_collection(actor: Actor, collection: Collection) -> None:
    if not selectors.can_manage_collection(actor, collection):
        raise PermissionDenied(_("您不能修改这个合集"))


@transaction.atomic
def collection_add(*, actor: Actor, collection: Collection, resource: Resource) -> CollectionItem:
    """Add a published resource at the end of the collection (ordered by subject and lesson as added)."""
    _require_collection(actor, collection)
    if not resource.is_published:
        raise DomainError("not_published", _("只能加入已发布的资源"))
    existing = CollectionItem.objects.filter(collection=collection, resource=resource).first()
    if existing is not None:
        return existing
    last = collection.items.aggregate(last=Max("position"))["last"] or 0
    item = CollectionItem.objects.create(collection=collection, resource=resource, position=last + 1)
    return item


@transaction.atomic
def collection_move(*, actor: Actor, collection: Collection, item_id: int, up: bool) -> None:
    """Swap an item with its neighbour above (or below)."""
    _require_collection(actor, collection)
    items = list(collection.items.select_for_update().order_by("position"))
    index = next((i for i, item in enumerate(items) if item.pk == item_id), None)
    if index is None:
        raise DomainError("not_found", _("找不到该条目"), status=404)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(items):
        return
    first, second = items[index], items[other]
    first_position, second_position = first.position, second.position
    first.position = 0
    first.save(update_fields=["position"])
    second.position = first_position
    second.save(update_fields=["position"])
    first.position = second_position
    first.save(update_fields=["position"])


@transaction.atomic
def collection_remove(*, actor: Actor, collection: Collection, item_id: int) -> None:
    _require_collection(actor, collection)
    collection.items.filter(pk=item_id).delete()


@transaction.atomic
def collection_publish(*, actor: Actor, collection: Collection, published: bool = True) -> Collection:
    _require_collection(actor, collection)
    collection.is_published = published
    collection.save(update_fields=["is_published", "updated_at"])
    audit_record(
        action="k12.collection.publish" if published else "k12.collection.unpublish", actor=actor, obj=collection
    )
    return collection
