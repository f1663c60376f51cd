"""The portal's read-only API: topics, articles and platform totals, public like the pages."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from zhijiao.core.api_errors import ErrorOut
from zhijiao.core.pagination import Page, PageParams, paginate
from zhijiao.core.params import Id

from . import selectors
from .schemas import (
    ArticleDetailOut,
    ArticleKind,
    ArticleOut,
    FigureOut,
    PlatformKey,
    SummaryOut,
    TopicDetailOut,
    TopicOut,
    topic_fields,
)

router = Router(tags=["portal"])


@router.get("/topics", response=list[TopicOut], operation_id="portal_topic_list", summary="专题列表")
def topic_list(request: HttpRequest) -> Any:
    return [topic_fields(topic) for topic in selectors.topics_published()]


@router.get(
    "/topics/{slug}",
    response={200: TopicDetailOut, 404: ErrorOut},
    operation_id="portal_topic_get",
    summary="专题及其条目",
)
def topic_get(request: HttpRequest, slug: str) -> Any:
    topic = selectors.access_topic(actor=request.user, slug=slug)
    return {**topic_fields(topic), "items": selectors.topic_entries(topic=topic)}


@router.get("/articles", response=Page[ArticleOut], operation_id="portal_article_list", summary="文章列表（最新在前）")
def article_list(
    request: HttpRequest,
    page: Query[PageParams],
    platform: PlatformKey | None = None,
    kind: ArticleKind | None = None,
) -> Any:
    return paginate(selectors.article_list(platform=platform, kind=kind), page)


@router.get(
    "/articles/{article_id}",
    response={200: ArticleDetailOut, 404: ErrorOut},
    operation_id="portal_article_get",
    summary="文章详情",
)
def article_get(request: HttpRequest, article_id: Id) -> Any:
    return selectors.access_article(actor=request.user, article_id=article_id)


@router.get("/summary", response=SummaryOut, operation_id="portal_summary", summary="平台总量")
def summary(request: HttpRequest) -> Any:
    totals = selectors.platform_totals()
    return SummaryOut(
        articles=[FigureOut(key=f.key, label=str(f.label), count=f.value) for f in totals.articles],
        organizations=[FigureOut(key=f.key, label=str(f.label), count=f.value) for f in totals.organizations],
        users=totals.users,
        topics=selectors.topic_count_published(),
    )
