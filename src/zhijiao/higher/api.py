"""The higher-education API (/api/v1/higher/): the course catalogue with its filters, sorts and keyword search,
the disciplines with course counts, the hottest and the newest courses. Public: the same selectors as /higher/."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from zhijiao.core.api_errors import ErrorOut
from zhijiao.core.errors import DomainError
from zhijiao.core.params import one_of
from zhijiao.core.platforms import Platform
from zhijiao.courses import selectors as courses
from zhijiao.courses.models import Course, CourseLevel

from .schemas import CataloguePageOut, CourseCardOut, DisciplineCountOut, HotCourseOut

FLAGS = ("1", "0", "true", "false", "on")  # what courses.clean_catalogue_query reads as yes or no

router = Router(tags=["higher"])
ERRORS: dict[int, Any] = {422: ErrorOut, 429: ErrorOut}


class CatalogueParams(Schema):
    q: str = Field("", description="关键词（经统一搜索）；最多 100 字")
    discipline: str = Field(
        "",
        pattern=r"^([0-9]{2}|[0-9]{4})?$",
        description="学科门类（两位）或一级学科（四位）代码，如 08、0812；须是已有的学科（见 /disciplines）",
    )
    level: one_of(CourseLevel.values) = Field("", description="层次：undergraduate、vocational、graduate、lifelong")  # type: ignore[valid-type]
    university: str = Field("", pattern=r"^[0-9]{0,18}$", description="开课学校编号")
    first_class: one_of(FLAGS) = Field("", description="1：只看国家级一流课程")  # type: ignore[valid-type]
    enrolling: one_of(FLAGS) = Field("", description="1：只看有开放选课的课程")  # type: ignore[valid-type]
    sort: one_of(courses.CATALOGUE_SORTS) = Field(  # type: ignore[valid-type]
        "", description="hot（最热，默认）、newest（最新）、rating（评分最高）；有关键词时另有 relevance"
    )
    page: int = Field(1, ge=1, le=courses.CATALOGUE_MAX_PAGE, description="页码（每页 20 门）")


def course_card(course: Course) -> dict[str, Any]:
    return {
        "id": course.pk,
        "title": course.title,
        "url": course.get_absolute_url(),
        "cover": course.cover.url if course.cover else None,
        "university_id": course.university_id,
        "university": course.university.name if course.university else None,
        "discipline": {"code": course.discipline.code, "name": course.discipline.name} if course.discipline else None,
        "level": course.level,
        "first_class_year": course.first_class_year,
        "enrolment_count": course.enrolment_count,
        "rating_count": course.rating_count,
        "rating_average": course.rating_average,
        "published_at": course.published_at.isoformat() if course.published_at else None,
    }


@router.get(
    "/courses",
    response={200: CataloguePageOut, **ERRORS},
    operation_id="higher_course_catalogue",
    summary="课程目录：筛选、排序、关键词搜索",
)
def course_catalogue(request: HttpRequest, params: Query[CatalogueParams]) -> Any:
    query, errors = courses.clean_catalogue_query(params.dict())
    if errors:
        raise DomainError("invalid", _("提交的内容有误"), fields=errors, status=422)
    page = courses.catalogue_page(actor=request.user, platform=Platform.HIGHER, query=query, page=params.page)
    return {
        "items": [course_card(course) for course in page.courses],
        "count": page.total,
        "count_exact": page.total_exact,
        "page": page.page,
        "pages": page.pages,
        "sort": query.order,
        "facets": [
            {
                "name": facet.name,
                "label": facet.label,
                "values": [
                    {"value": v.value, "label": v.label, "count": v.count, "selected": v.selected} for v in facet.values
                ],
            }
            for facet in page.facets
        ],
    }


@router.get(
    "/disciplines",
    response=list[DisciplineCountOut],
    operation_id="higher_discipline_counts",
    summary="学科门类与一级学科及其课程数",
)
def discipline_counts(request: HttpRequest) -> Any:
    return courses.discipline_counts(platform=Platform.HIGHER)


@router.get("/courses/hot", response=list[HotCourseOut], operation_id="higher_course_hot", summary="十大热门课程")
def hot_courses(request: HttpRequest) -> Any:
    return [{**course_card(item.course), "views": item.views} for item in courses.hot_courses(platform=Platform.HIGHER)]


@router.get("/courses/newest", response=list[CourseCardOut], operation_id="higher_course_newest", summary="最新课程")
def newest_courses(request: HttpRequest) -> Any:
    return [course_card(course) for course in courses.newest_courses(platform=Platform.HIGHER)]
