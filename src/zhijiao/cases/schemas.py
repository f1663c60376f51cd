"""Shapes of /api/v1/cases/: the catalogue and a case as each role sees it."""

from ninja import Field, Schema


class CaseAuthorOut(Schema):
    name: str
    organization: str


class CaseCardOut(Schema):
    id: int
    accession_no: str = Field(description="入库编号")
    title: str
    url: str = Field(description="案例页面")
    category: str = Field(description="专业学位类别代码，如 1251")
    category_name: str
    case_type: str = Field(
        description="text（文字案例）、video（视频案例）、micro（小微案例）、short_video（短视频案例）"
    )
    field: str = Field(description="领域/行业")
    year: int
    abstract: str
    keywords: list[str]


class FacetValueOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class FacetOut(Schema):
    name: str
    label: str
    values: list[FacetValueOut]


class CaseCataloguePageOut(Schema):
    items: list[CaseCardOut]
    count: int
    count_exact: bool
    page: int
    pages: int
    sort: str
    facets: list[FacetOut] = Field(description="有关键词时：搜索结果按类别、类型、领域的分面计数")


class CategoryOut(Schema):
    code: str
    name: str
    count: int


class CategoryGroupOut(Schema):
    code: str = Field(description="学科门类代码")
    name: str
    count: int
    categories: list[CategoryOut]


class CaseAccessOut(Schema):
    full_text: bool = Field(description="可阅读全文和视频（成员单位的教师、学生）")
    teaching_note: bool = Field(description="可下载教学指导手册（成员单位的教师）")
    adopt: bool = Field(description="可在教学中采用（加入案例集、课程单元）")


class CaseDetailOut(CaseCardOut):
    authors: list[CaseAuthorOut]
    applicable_courses: list[str]
    knowledge_points: list[str]
    accepted_at: str
    download_count: int
    adoption_count: int
    access: CaseAccessOut
    body: str | None = Field(description="小微案例正文；无权阅读时为空")
    full_text_url: str | None = Field(description="加盖下载人信息的案例正文 PDF；无权阅读时为空")
    video_url: str | None = Field(description="案例视频；无权观看时为空")
    teaching_note_url: str | None = Field(description="教学指导手册 PDF；仅教师")
