"""The case library API (/api/v1/cases/): the catalogue (public), a case as the caller's role may see it, and its
stamped full text for members. The same selectors and services as /higher/cases/."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from zhijiao.core.actors import MemberRequest
from zhijiao.core.api_auth import session_auth, session_or_token, token_auth
from zhijiao.core.api_errors import ErrorOut
from zhijiao.core.errors import DomainError
from zhijiao.core.params import Id, one_of

from . import selectors, services
from .models import Case, CaseType
from .schemas import CaseCardOut, CaseCataloguePageOut, CaseDetailOut, CategoryGroupOut

router = Router(tags=["cases"])


def _visitor(request: HttpRequest) -> bool:
    """Anyone may read a case's public parts: the last of the detail's auth methods lets visitors through."""
    return True


# A token or a session shows what that person may read; without either, the public view.
by_role: list[Any] = [token_auth, session_auth, _visitor]
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class CaseCatalogueParams(Schema):
    q: str = Field("", max_length=100, description="关键词（经统一搜索）")
    category: str = Field("", pattern=r"^([0-9]{4})?$", description="专业学位类别代码，如 0251、1251")
    case_type: one_of(CaseType.values) = Field("", description="text、video、micro、short_video")  # type: ignore[valid-type]
    field: str = Field("", max_length=40, description="领域/行业")
    sort: one_of(selectors.SORTS) = Field("", description="newest（默认）、hot；有关键词时另有 relevance")  # type: ignore[valid-type]
    page: int = Field(1, ge=1, le=selectors.MAX_PAGE, description="页码（每页 20 个）")


def case_card(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "accession_no": case.accession_no,
        "title": case.title,
        "url": case.get_absolute_url(),
        "category": case.category,
        "category_name": case.category_name,
        "case_type": case.case_type,
        "field": case.field,
        "year": case.year,
        "abstract": case.abstract,
        "keywords": list(case.keywords),
    }


@router.get(
    "",
    response={200: CaseCataloguePageOut, **ERRORS},
    auth=None,
    operation_id="cases_catalogue",
    summary="案例目录：类别、类型、领域、关键词",
)
def catalogue(request: HttpRequest, params: Query[CaseCatalogueParams]) -> Any:
    query, errors = selectors.clean_catalogue_query(params.dict())
    if errors:
        raise DomainError("invalid", _("提交的内容有误"), fields=errors, status=422)
    page = selectors.catalogue_page(actor=request.user, query=query, page=params.page)
    return {
        "items": [case_card(case) for case in page.cases],
        "count": page.total,
        "count_exact": page.total_exact,
        "page": page.page,
        "pages": page.pages,
        "sort": query.order,
        "facets": [
            {
                "name": facet.name,
                "label": str(facet.label),
                "values": [
                    {"value": v.value, "label": v.label, "count": v.count, "selected": v.selected} for v in facet.values
                ],
            }
            for facet in page.facets
        ],
    }


@router.get(
    "/categories",
    response=list[CategoryGroupOut],
    auth=None,
    operation_id="cases_categories",
    summary="专业学位类别及其案例数",
)
def categories(request: HttpRequest) -> Any:
    return [
        {"code": g.code, "name": str(g.name), "count": g.count, "categories": [vars(c) for c in g.categories]}
        for g in selectors.category_counts()
    ]


@router.get("/hot", response=list[CaseCardOut], auth=None, operation_id="cases_hot", summary="热门案例")
def hot(request: HttpRequest) -> Any:
    return [case_card(item.case) for item in selectors.hot_cases()]


@router.get("/newest", response=list[CaseCardOut], auth=None, operation_id="cases_newest", summary="最新入库的案例")
def newest(request: HttpRequest) -> Any:
    return [case_card(case) for case in selectors.newest_cases()]


@router.get(
    "/{case_id}",
    response={200: CaseDetailOut, **ERRORS},
    auth=by_role,
    # OpenAPI's way of saying "or no credentials at all": an empty requirement beside the two schemes.
    openapi_extra={"security": [{"TokenAuth": []}, {"SessionAuth": []}, {}]},
    operation_id="cases_case_get",
    summary="案例详情（按角色：摘要公开，全文仅成员单位师生）",
)
def case_get(request: HttpRequest, case_id: Id) -> Any:
    case = selectors.access_case(actor=request.user, case_id=case_id)
    read = selectors.can_read_full_text(request.user, case)
    note = selectors.can_read_teaching_note(request.user, case)
    return {
        **case_card(case),
        "authors": [{"name": a.name, "organization": a.organization_name} for a in case.authors.all()],
        "applicable_courses": list(case.applicable_courses),
        "knowledge_points": list(case.knowledge_points),
        "accepted_at": case.accepted_at.isoformat(),
        "download_count": case.download_count,
        "adoption_count": case.adoption_count,
        "access": {"full_text": read, "teaching_note": note, "adopt": selectors.can_adopt(request.user)},
        "body": case.body if read and case.body else None,
        "full_text_url": reverse("cases:full_text", args=[case.pk]) if read and case.full_text else None,
        "video_url": reverse("cases:video", args=[case.pk]) if read and case.video else None,
        "teaching_note_url": reverse("cases:teaching_note", args=[case.pk]) if note and case.teaching_note else None,
    }


@router.get(
    "/{case_id}/full-text",
    response={200: None, **ERRORS},
    auth=session_or_token,
    operation_id="cases_full_text",
    summary="下载案例正文 PDF（每页加盖下载人姓名、单位和时间）",
)
def full_text(request: MemberRequest, case_id: Id) -> Any:
    case = selectors.access_full_text(actor=request.user, case_id=case_id)
    data, filename = services.case_download(actor=request.user, case=case)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename) or ""
    return response
