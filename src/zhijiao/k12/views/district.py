"""District staff's pages: their collections of resources and how the district's students use the platform."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from zhijiao.core.params import parse_int
from zhijiao.core.views import service_errors

from .. import selectors, services
from ..forms import CollectionAddForm, CollectionForm
from ..models import Collection


@login_required
def collections(request: HttpRequest) -> HttpResponse:
    agencies = selectors.district_agencies(request.user)
    if not selectors.can_manage_collections(request.user):
        raise PermissionDenied(_("只有区县教育工作人员可以管理合集"))
    form = CollectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not agencies:
            raise PermissionDenied(_("只有区县教育工作人员可以创建合集"))
        with service_errors(form) as outcome:
            made = services.collection_create(
                actor=request.user,
                district=agencies[0],
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                subject_id=form.cleaned_data["subject"].pk if form.cleaned_data["subject"] else None,
            )
        if outcome.ok:
            messages.success(request, _("合集已创建，添加资源后发布"))
            return redirect(made)
    context = {"form": form, "collections": selectors.collections_for(actor=request.user)}
    return render(request, "k12/collections.html", context, status=422 if request.method == "POST" else 200)


def collection(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_collection(actor=request.user, collection_id=pk)
    can_manage = selectors.can_manage_collection(request.user, found)
    if request.method == "POST":
        if not can_manage:
            raise Http404
        action = request.POST.get("action", "")
        item_id = parse_int(request.POST.get("item")) or 0
        if action == "add":
            add_form = CollectionAddForm(request.POST, actor=request.user)
            if not add_form.is_valid():
                return _collection_page(request, found, add_form=add_form, status=422)
            services.collection_add(actor=request.user, collection=found, resource=add_form.cleaned_data["resource"])
        elif action in ("up", "down"):
            services.collection_move(actor=request.user, collection=found, item_id=item_id, up=action == "up")
        elif action == "remove":
            services.collection_remove(actor=request.user, collection=found, item_id=item_id)
        elif action in ("publish", "unpublish"):
            services.collection_publish(actor=request.user, collection=found, published=action == "publish")
        elif action == "codes":
            made = services.code_batch_generate(actor=request.user, collection=found)
            messages.success(request, _("已为合集生成云码批次"))
            return redirect(made)
        return redirect(found)
    return _collection_page(request, found, add_form=CollectionAddForm(actor=request.user))


def _collection_page(
    request: HttpRequest, found: Collection, *, add_form: CollectionAddForm, status: int = 200
) -> HttpResponse:
    context = {
        "collection": found,
        "items": selectors.collection_items(collection=found),
        "can_manage": selectors.can_manage_collection(request.user, found),
        "add_form": add_form,
        "item_actions": [("up", _("上移")), ("down", _("下移")), ("remove", _("移除"))],
    }
    return render(request, "k12/collection.html", context, status=status)


@login_required
def district(request: HttpRequest) -> HttpResponse:
    agency = selectors.access_district(actor=request.user)
    usage = selectors.district_usage(district=agency)
    return render(request, "k12/district.html", {"usage": usage})
