"""The service hall's exam API: sittings, the score lookup (same rules as the page), notices, special-type lists,
and the officers' imports."""

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.urls import get_script_prefix, reverse
from ninja import File, Query, Router, Schema, UploadedFile
from ninja.decorators import decorate_view

from zhijiao.core.actors import Origin
from zhijiao.core.api_auth import session_or_token
from zhijiao.core.api_errors import ErrorOut
from zhijiao.core.errors import NotFound
from zhijiao.core.pagination import Page, PageParams, paginate
from zhijiao.core.params import Id, Int

from . import captcha, selectors, services
from .models import ExamNotice, ExamSitting, SpecialList
from .schemas import (
    CandidateOut,
    ChallengeOut,
    LookupIn,
    LookupOut,
    NoticeDetailOut,
    NoticeIn,
    NoticeOut,
    ScoreImportOut,
    SittingIn,
    SittingOut,
    SpecialListOut,
)

router = Router(tags=["hall"], auth=session_or_token)
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def sitting_out(info: selectors.SittingInfo) -> dict[str, Any]:
    return {
        "id": info.id,
        "exam_type": info.exam_type,
        "label": info.label,
        "session": info.session,
        "release_at": info.release_at,
        "released": info.is_released(),
    }


@functools.lru_cache(maxsize=8)
def _certificate_urls(script_prefix: str) -> tuple[str, str]:
    return reverse("hall:score_certificate_pdf"), reverse("hall:score_certificate_json")


def lookup_out(result: services.LookupResult) -> dict[str, Any]:
    pdf = json_url = None
    if result.passed:
        pdf_base, json_base = _certificate_urls(get_script_prefix())
        pdf = f"{pdf_base}?t={result.token}"
        json_url = f"{json_base}?t={result.token}"
    return {
        "sitting": result.sitting.label,
        "exam_type": result.sitting.exam_type,
        "name": result.name,
        "ticket_number": result.ticket_number,
        "id_number_masked": result.id_number_masked,
        "passed": result.passed,
        "scores": result.claims,
        "certificate_token": result.token if result.passed else "",
        "certificate_pdf": pdf,
        "certificate_json": json_url,
    }


@router.get(
    "/sittings",
    response=list[SittingOut],
    auth=None,
    operation_id="hall_sitting_list",
    summary="考试场次（含成绩发布时间）",
)
def sitting_list(request: HttpRequest) -> Any:
    return [sitting_out(info) for info in selectors.sittings_public()]


@router.get(
    "/scores/challenge",
    response=ChallengeOut,
    auth=None,
    operation_id="hall_score_challenge",
    url_name="hall_score_challenge",
    summary="人机验证（ALTCHA 工作量证明）题目",
)
def score_challenge(request: HttpRequest) -> Any:
    return captcha.challenge_new()


# The lookup's hot path. On release night every request is a lookup, and ninja's generic machinery (reading the
# body into the schema through its attribute getter, validating the answer against LookupOut again, a temporary
# response) costs about as much CPU as the lookup itself. A body whose every field already has exactly the type
# and length LookupIn asks for is answered here: the same service, the same answer (built by lookup_out in
# LookupOut's field order, rendered by the API's own renderer), errors through the API's own handlers. Anything
# else — a body that is not a JSON object, a number as a string, a field too long, a null — goes through
# ninja's full path unchanged, so every validation error keeps its exact shape. The OpenAPI operation is the
# one declared below.
_LOOKUP_TEXT_LIMITS = (("ticket_number", 40), ("id_number", 40), ("altcha", 4000))


def _lookup_values(request: HttpRequest, api: Any) -> dict[str, Any] | None:
    """The service's arguments when the body is plainly valid for LookupIn, else None (ninja then decides)."""
    try:
        data = api.parser.parse_body(request)
    except Exception:  # not JSON, too big…: ninja's own path gives its own answer
        return None
    if type(data) is not dict:
        return None
    sitting_id, name = data.get("sitting_id"), data.get("name")
    if type(sitting_id) is not int or type(name) is not str or len(name) > 50:  # LookupIn's limit
        return None
    values: dict[str, Any] = {"sitting_id": sitting_id, "name": name}
    for key, limit in _LOOKUP_TEXT_LIMITS:
        value = data.get(key, "")
        if type(value) is not str or len(value) > limit:
            return None
        values[key] = value
    return values


def _lookup_fast(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    operation: Any = getattr(run, "__self__", None)

    @functools.wraps(run)
    def view(request: HttpRequest, **kwargs: Any) -> HttpResponseBase:
        if operation is None or operation.api is None or kwargs:
            return run(request, **kwargs)
        values = _lookup_values(request, operation.api)
        if values is None:
            return run(request, **kwargs)
        refused = operation._run_checks(request)  # auth and throttles as declared (none today)
        if refused is not None:
            return refused
        try:
            result = services.score_lookup(request=request, **values)
            return operation.api.create_response(request, lookup_out(result), status=200)
        except Exception as exc:  # the API's handlers answer (or re-raise) exactly as in ninja's run
            return operation.api.on_exception(request, exc)

    return view


@router.post(
    "/scores/lookup",
    response={200: LookupOut, **ERRORS},
    throttle=[],  # the lookup has its own per-address and per-candidate limits
    auth=None,
    operation_id="hall_score_lookup",
    summary="成绩查询：考试 + 准考证号或身份证号 + 姓名，全部匹配才返回成绩",
    description=(
        "任何不匹配的组合都返回同一个 404 no_match；成绩发布前返回 409 not_released（含发布时间）；"
        "同一来源多次未匹配后需提交 ALTCHA 验证结果（403 captcha_required）；超出频率限制返回 429。"
    ),
)
@decorate_view(_lookup_fast)
def score_lookup(request: HttpRequest, data: LookupIn) -> Any:
    result = services.score_lookup(
        request=request,
        sitting_id=data.sitting_id,
        name=data.name,
        ticket_number=data.ticket_number,
        id_number=data.id_number,
        altcha=data.altcha,
    )
    return lookup_out(result)


# --- Notices ------------------------------------------------------------------------------------------------------


def notice_out(notice: ExamNotice) -> dict[str, Any]:
    return {
        "id": notice.pk,
        "title": notice.title,
        "kind": notice.kind,
        "province": notice.province_id,
        "province_name": notice.province.name if notice.province else "全国",
        "year": notice.year,
        "published_at": notice.published_at,
        "url": notice.get_absolute_url(),
    }


class NoticeFilter(Schema):
    province: str = ""
    year: Int | None = None
    kind: str = ""


@router.get("/notices", response=Page[NoticeOut], auth=None, operation_id="hall_notice_list", summary="考试政策与公告")
def notice_list(request: HttpRequest, filters: Query[NoticeFilter], page: Query[PageParams]) -> Any:
    qs = selectors.notice_list(province=filters.province, year=filters.year, kind=filters.kind)
    out = paginate(qs, page)
    out["items"] = [notice_out(notice) for notice in out["items"]]
    return out


@router.get(
    "/notices/{notice_id}",
    response={200: NoticeDetailOut, **ERRORS},
    auth=None,
    operation_id="hall_notice_get",
    summary="公告详情及附件",
)
def notice_get(request: HttpRequest, notice_id: Id) -> Any:
    notice = selectors.access_notice(actor=request.user, notice_id=notice_id)
    return {
        **notice_out(notice),
        "body": notice.body,
        "attachments": [
            {
                "name": item.name,
                "mime_type": item.mime_type,
                "size_bytes": item.size_bytes,
                "url": reverse("hall:attachment", args=[item.pk]),
            }
            for item in notice.attachments.all()
        ],
    }


@router.post(
    "/notices",
    response={201: NoticeOut, **ERRORS},
    operation_id="hall_notice_create",
    summary="发布考试政策或公告（服务大厅工作人员）",
)
def notice_create(request: HttpRequest, data: NoticeIn) -> Any:
    notice = services.notice_create(
        actor=request.user,
        title=data.title,
        kind=data.kind,
        year=data.year,
        body=data.body,
        province_code=data.province,
        publish=data.publish,
        origin=Origin.of(request),
    )
    return 201, notice_out(notice)


# --- Special-type lists ------------------------------------------------------------------------------------------


def special_list_out(item: SpecialList) -> dict[str, Any]:
    return {
        "id": item.pk,
        "title": item.title,
        "program": item.program,
        "program_label": item.get_program_display(),
        "year": item.year,
        "notice_start": item.notice_start,
        "notice_end": item.notice_end,
    }


@router.get(
    "/special-lists",
    response=list[SpecialListOut],
    auth=None,
    operation_id="hall_special_list_list",
    summary="公示中的特殊类型考生名单",
)
def special_list_list(request: HttpRequest) -> Any:
    return [special_list_out(item) for item in selectors.special_lists_visible()]


class CandidateFilter(Schema):
    name: str = ""
    school: str = ""
    province: str = ""


@router.get(
    "/special-lists/{list_id}/candidates",
    response={200: Page[CandidateOut], **ERRORS},
    auth=None,
    operation_id="hall_special_candidates",
    summary="按姓名、中学、省份查询名单（身份证号码已遮蔽）",
)
def special_candidates(
    request: HttpRequest, list_id: Id, filters: Query[CandidateFilter], page: Query[PageParams]
) -> Any:
    found = selectors.access_special_list(actor=request.user, list_id=list_id)
    qs = selectors.special_candidates(
        special_list=found, name=filters.name, school=filters.school, province=filters.province
    )
    out = paginate(qs, page)
    out["items"] = [
        {
            "name": item.name,
            "gender": item.gender,
            "school": item.school,
            "province": item.province.name,
            "university": item.university,
            "major": item.major,
            "id_number_masked": item.id_number_masked,
        }
        for item in out["items"]
    ]
    return out


# --- Officers: sittings and imports ----------------------------------------------------------------------------


@router.post(
    "/sittings",
    response={201: SittingOut, **ERRORS},
    operation_id="hall_sitting_create",
    summary="创建考试场次并设置成绩发布时间（服务大厅工作人员）",
)
def sitting_create(request: HttpRequest, data: SittingIn) -> Any:
    sitting = services.sitting_create(
        actor=request.user,
        exam_type=data.exam_type,
        session=data.session,
        held_on=data.held_on,
        release_at=data.release_at,
        origin=Origin.of(request),
    )
    selectors.sittings_clear_cache()
    return 201, sitting_out(selectors.sitting_info(sitting.pk))


@router.post(
    "/sittings/{sitting_id}/scores/import",
    response={201: ScoreImportOut, **ERRORS},
    operation_id="hall_scores_import",
    summary="导入成绩（Excel/CSV；有任何错误行则整批不导入，并逐行报告）",
)
def scores_import(
    request: HttpRequest,
    sitting_id: Id,
    file: UploadedFile = File(...),  # noqa: B008 - ninja's way to declare an upload
) -> Any:
    if not selectors.is_hall_officer(request.user):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    sitting = ExamSitting.objects.filter(pk=sitting_id).first()
    if sitting is None:
        raise NotFound
    report = services.scores_import(
        actor=request.user, sitting=sitting, data=file.read(), filename=file.name or "", origin=Origin.of(request)
    )
    return 201, {"created": report.created, "seconds": round(report.seconds, 2)}
