"""GET /api/v1/search: the unified search as JSON, the same selector as the page."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from zhijiao.core.api_errors import ErrorOut
from zhijiao.core.errors import DomainError
from zhijiao.core.params import one_of
from zhijiao.core.platforms import Platform

from . import selectors
from .backends import SORTS

router = Router(tags=["search"])


class SearchParams(Schema):
    q: str = Field("", description='关键词：空格分隔（全部匹配）、"短语"、-排除；最多 100 字，超出部分忽略')
    platform: one_of(Platform.values) | None = Field(  # type: ignore[valid-type]
        None, description="平台：portal、k12、vocational、higher、employment、hall"
    )
    type: str | None = Field(None, description="内容类型，例如 portal.article、orgs.organization；须是已登记的类型")
    sort: one_of(SORTS) = Field(  # type: ignore[valid-type]
        "relevance", description="排序：relevance（相关度）、newest（最新）、popular（最热）"
    )
    limit: int = Field(20, ge=1, le=selectors.MAX_LIMIT, description="每页条数（1–50）")
    offset: int = Field(0, ge=0, le=selectors.MAX_OFFSET, description="跳过的条数（0–1000）")


class HitOut(Schema):
    kind: str
    object_id: str
    title: str
    title_html: str = Field(description="标题，HTML 已转义，匹配词以 <mark> 标出")
    snippet_html: str = Field(description="原文摘录，HTML 已转义，匹配词以 <mark> 标出")
    url: str
    platform: str
    platform_label: str
    type_label: str
    date: datetime | None
    popularity: float


class FacetValueOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class FacetOut(Schema):
    name: str
    label: str
    values: list[FacetValueOut]


class SearchOut(Schema):
    q: str = Field(description="实际使用的查询（已去除首尾空白并截断）")
    truncated: bool
    total: int = Field(description="匹配条数；total_exact 为 false 时为下限（匹配超过 10000 条）")
    total_exact: bool = Field(description="false：匹配超过 10000 条，按相关度只在其中 10000 条内排序")
    limit: int
    offset: int
    sort: str
    results: list[HitOut]
    facets: list[FacetOut]
    facets_exact: bool = Field(description="false：结果很多时分面计数只统计了前 1000 条匹配")


@router.get(
    "",
    response={200: SearchOut, 422: ErrorOut},
    operation_id="search",
    summary="全站搜索",
    description=(
        "跨平台搜索已发布且您有权查看的内容。除 platform、type 外，还可按各内容类型声明的筛选项过滤，"
        "例如 region（行政区划代码，含下级）、category、org_kind；未知的筛选项返回 422。"
    ),
)
def search(request: HttpRequest, params: Query[SearchParams]) -> Any:
    filters, errors = selectors.clean_filters(request.GET)
    sort = selectors.clean_sort(params.sort)  # empty: the default, as the description says
    if sort is None:
        errors["sort"] = [_("未知的排序方式")]
    if errors or sort is None:
        raise DomainError("invalid_filter", _("筛选条件有误"), fields=errors, status=422)
    result = selectors.search(
        actor=request.user, q=params.q, filters=filters, sort=sort, limit=params.limit, offset=params.offset
    )
    return {
        "q": result.query.text,
        "truncated": result.query.truncated,
        "total": result.total,
        "total_exact": result.total_exact,
        "limit": result.limit,
        "offset": result.offset,
        "sort": result.sort,
        "facets_exact": result.facets_exact,
        "results": [
            {
                "kind": hit.document.kind,
                "object_id": hit.document.object_id,
                "title": hit.document.title,
                "title_html": str(hit.title_html),
                "snippet_html": str(hit.snippet_html),
                "url": hit.document.url,
                "platform": hit.document.platform,
                "platform_label": hit.platform_label,
                "type_label": hit.document.type_label,
                "date": hit.document.date,
                "popularity": hit.document.popularity,
            }
            for hit in result.hits
        ],
        "facets": [
            {"name": facet.name, "label": facet.label, "values": [value.__dict__ for value in facet.values]}
            for facet in result.facets
        ],
    }
