"""Shapes of /api/v1/higher/: the course catalogue."""

from decimal import Decimal

from ninja import Field, Schema


class CourseDisciplineOut(Schema):
    code: str
    name: str


class CourseCardOut(Schema):
    """A course as the catalogue lists it."""

    id: int
    title: str
    url: str = Field(description="课程页面")
    cover: str | None = Field(description="封面图片地址；没有上传封面时为空")
    university_id: int | None
    university: str | None
    discipline: CourseDisciplineOut | None = Field(description="一级学科")
    level: str = Field(description="层次：undergraduate、vocational、graduate、lifelong")
    first_class_year: int | None = Field(description="国家级一流课程认定年份；不是一流课程时为空")
    enrolment_count: int
    rating_count: int
    rating_average: Decimal | None = Field(description="平均评分（1–5，一位小数）；无人评价时为空")
    published_at: str | None


class CatalogueFacetValueOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class CatalogueFacetOut(Schema):
    name: str
    label: str
    values: list[CatalogueFacetValueOut]


class CataloguePageOut(Schema):
    items: list[CourseCardOut]
    count: int = Field(description="符合条件的课程数；count_exact 为 false 时为下限")
    count_exact: bool
    page: int
    pages: int
    sort: str = Field(description="实际使用的排序")
    facets: list[CatalogueFacetOut] = Field(description="按关键词搜索时，结果按学科、层次、学校等的分布")


class DisciplineCountOut(Schema):
    code: str
    name: str
    count: int
    children: list["DisciplineCountOut"] = []


class HotCourseOut(CourseCardOut):
    views: int = Field(description="近 30 天课程页面浏览量")
