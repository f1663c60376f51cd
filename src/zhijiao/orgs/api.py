"""The orgs API: the region tree and the directory of organisations, both public."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from zhijiao.core.api_errors import ErrorOut
from zhijiao.core.pagination import Page, PageParams, paginate
from zhijiao.core.params import Id

from . import selectors
from .models import Organization, Region
from .schemas import OrganizationDetailOut, OrganizationOut, RegionDetailOut, RegionOut

router = Router(tags=["orgs"])


def _region_out(region: Region) -> dict[str, Any]:
    return {"code": region.code, "name": region.name, "level": region.level, "parent_code": region.parent_id}


def _organization_out(organization: Organization) -> dict[str, Any]:
    return {
        "id": organization.pk,
        "kind": organization.kind,
        "kind_label": str(organization.get_kind_display()),
        "name": organization.name,
        "short_name": organization.short_name,
        "region_code": organization.region_id,
        "region_name": organization.region.name,
        "is_verified": organization.is_verified,
    }


class RegionFilter(Schema):
    parent: str | None = Field(None, pattern=r"^\d{6}$", description="上级区划代码；不填则列出省级")


class OrganizationFilter(Schema):
    kind: Organization.Kind | None = None
    region: str | None = Field(None, pattern=r"^\d{6}$", description="区划代码，含其下级区划")
    q: str | None = Field(None, max_length=50, description="按名称或简称查找")


@router.get(
    "/regions",
    response={200: list[RegionOut], 422: ErrorOut},
    operation_id="orgs_region_children",
    summary="下级行政区划",
)
def region_children(request: HttpRequest, filters: Query[RegionFilter]) -> Any:
    return [_region_out(region) for region in selectors.region_children(parent_code=filters.parent)]


@router.get(
    "/regions/{code}",
    response={200: RegionDetailOut, 404: ErrorOut},
    operation_id="orgs_region_get",
    summary="行政区划及其路径与下级",
)
def region_get(request: HttpRequest, code: str) -> Any:
    region = selectors.region_get(code=code)
    return {
        **_region_out(region),
        "path": [_region_out(r) for r in selectors.region_ancestors(region=region)],
        "children": [_region_out(r) for r in selectors.region_children(parent_code=region.code)],
    }


@router.get(
    "/organizations",
    response={200: Page[OrganizationOut], 422: ErrorOut},
    operation_id="orgs_organization_list",
    summary="机构名录",
)
def organization_list(request: HttpRequest, filters: Query[OrganizationFilter], page: Query[PageParams]) -> Any:
    result = paginate(selectors.organization_list(kind=filters.kind, region_code=filters.region, q=filters.q), page)
    result["items"] = [_organization_out(o) for o in result["items"]]
    return result


@router.get(
    "/organizations/{organization_id}",
    response={200: OrganizationDetailOut, 404: ErrorOut},
    operation_id="orgs_organization_get",
    summary="机构详情",
)
def organization_get(request: HttpRequest, organization_id: Id) -> Any:
    organization = selectors.organization_get(organization_id=organization_id)
    return {
        **_organization_out(organization),
        "uscc": organization.uscc,
        "stage": organization.stage,
        "website": organization.website,
        "description": organization.description,
        "region_path": [_region_out(r) for r in selectors.region_ancestors(region=organization.region)],
    }
