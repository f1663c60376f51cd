"""The JSON API at /api/v1/: one ninja router per app, one error shape for every 4xx.

Docs at /api/v1/docs (Swagger UI served from our own static files), the schema at /api/v1/openapi.json;
docs/openapi.json is its committed snapshot (``uv run python -m django openapi_snapshot``).
"""

from django.http import HttpRequest
from ninja import Schema, Status

from zhijiao.accounts.api import router as accounts_router
from zhijiao.analytics.api import router as stats_router
from zhijiao.assessment.api import router as assessment_router
from zhijiao.cases.api import router as cases_router
from zhijiao.core.api import ZhijiaoAPI
from zhijiao.courses.api import router as courses_router
from zhijiao.credentials.api import router as credentials_router
from zhijiao.discussion.api import router as discussion_router
from zhijiao.employment.api import router as employment_router
from zhijiao.hall.abroad.api import router as abroad_router
from zhijiao.hall.exams.api import router as exams_router
from zhijiao.hall.records.api import router as records_router
from zhijiao.higher.api import router as higher_router
from zhijiao.k12.api import router as k12_router
from zhijiao.orgs.api import router as orgs_router
from zhijiao.portal import selectors as portal_selectors
from zhijiao.portal.api import router as portal_router
from zhijiao.reviews.api import router as reviews_router
from zhijiao.search.api import router as search_router

api = ZhijiaoAPI(
    title="智教 API",
    version="1",
    description=(
        "智教平台的开放接口。会话（网站登录，写操作需 CSRF 令牌）或个人 API 令牌"
        "（Authorization: Bearer …）均可认证；出错时统一返回 {code, message, fields}。"
    ),
    urls_namespace="api",
)
api.add_router("/accounts/", accounts_router)
api.add_router("/orgs/", orgs_router)
api.add_router("/portal/", portal_router)
api.add_router("/search", search_router)
api.add_router("/stats/", stats_router)
api.add_router("/k12/", k12_router)
api.add_router("/courses/", courses_router)
api.add_router("/discussion/", discussion_router)
api.add_router("/assessment/", assessment_router)
api.add_router("/higher/", higher_router)
api.add_router("/cases/", cases_router)
api.add_router("/employment/", employment_router)
api.add_router("/hall/", exams_router)
api.add_router("/credentials/", credentials_router)
api.add_router("/credentials/", records_router)  # the records' operations keep the paths they had in credentials
api.add_router("/abroad/", abroad_router)
api.add_router("/reviews/", reviews_router)


class HealthOut(Schema):
    status: str


@api.get(
    "/health",
    response={200: HealthOut, 503: HealthOut},
    auth=None,
    operation_id="health",
    tags=["core"],
    summary="健康检查（含数据库）",
)
def health(request: HttpRequest) -> Status[dict[str, str]]:
    if not portal_selectors.database_is_up():
        return Status(503, {"status": "unavailable"})
    return Status(200, {"status": "ok"})
