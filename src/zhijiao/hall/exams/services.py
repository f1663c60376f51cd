"""Every write of the exam services, and the score lookup (which writes its audit entries and counters).

Imports land whole or not at all: every row is checked first, and one bad row refuses the file with a report of
every bad row; the good file is written with ``bulk_create`` in large batches inside one transaction, its blind
indexes computed beforehand.
"""

from __future__ import annotations

import hmac
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import connections, models, transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijiao.accounts.models import User
from zhijiao.core.actors import Actor, Origin, client_ip
from zhijiao.core.audit import audit_actions
from zhijiao.core.bulk import insert_rows
from zhijiao.core.crypto import blind_index
from zhijiao.core.errors import DomainError, NotFound
from zhijiao.core.masking import mask_id_number
from zhijiao.core.models import AuditLog
from zhijiao.core.params import parse_int
from zhijiao.core.ratelimit import RateLimited, client_key, count_hit, count_hits, hits_so_far, parse_rate
from zhijiao.core.services import audit_record
from zhijiao.core.uploads import OFFICE_DOCUMENTS, check_upload
from zhijiao.credentials.models import Credential
from zhijiao.credentials.services import credential_issue

from . import audit, captcha, imports, selectors
from .models import (
    ID_INDEX_CONTEXT,
    ExamNotice,
    ExamSitting,
    NoticeAttachment,
    ScoreImport,
    ScoreRecord,
    SpecialCandidate,
    SpecialList,
    score_claims,
)

# What the audit log calls the actions recorded here.
AUDIT_ACTIONS = audit_actions(
    {
        "exams.notice.create": gettext_lazy("创建考试通知"),
        "exams.notice.publish": gettext_lazy("发布考试通知"),
        "exams.notice.withdraw": gettext_lazy("撤下考试通知"),
        "exams.notice.attach": gettext_lazy("添加通知附件"),
        "exams.sitting.create": gettext_lazy("创建考试场次"),
        "exams.sitting.release_at": gettext_lazy("设定成绩发布时间"),
        "exams.scores.import": gettext_lazy("导入考试成绩"),
        "exams.score.lookup": gettext_lazy("查询考试成绩"),
        "exams.score.certificate": gettext_lazy("生成成绩电子证书"),
        "exams.special_list.import": gettext_lazy("导入特殊类型招生名单"),
    }
)


IMPORT_BATCH = 5000
TOKEN_SALT = "zhijiao.exams.score-certificate"  # noqa: S105 - a signing namespace, not a secret


def _require_officer(actor: Actor, message: str) -> User:
    """The actor, when they are a service-hall officer; anybody else is refused with ``message``."""
    if not selectors.is_hall_officer(actor):
        raise PermissionDenied(message)
    return actor


class ImportRejected(DomainError):
    """A file with bad rows: nothing was written; ``errors`` lists every bad row with its reasons."""

    def __init__(self, errors: list[imports.RowError], *, total: int) -> None:
        shown = errors[:200]
        super().__init__(
            "import_rejected",
            _("共 %(bad)d 行有误（共 %(total)d 行），未导入任何数据，请修改后重新上传")
            % {"bad": len(errors), "total": total},
            fields={_("第 %(line)d 行") % {"line": error.line}: error.messages for error in shown},
            status=422,
        )
        self.errors = errors
        self.total = total


def _file_error(exc: imports.FileError) -> DomainError:
    return DomainError("invalid_file", str(exc), fields={"file": [str(exc)]}, status=422)


# --- Notices ------------------------------------------------------------------------------------------------------


@transaction.atomic
def notice_create(
    *,
    actor: Actor,
    title: str,
    kind: str,
    year: int,
    body: str,
    province_code: str | None = None,
    publish: bool = False,
    origin: Origin | None = None,
) -> ExamNotice:
    """An officer writes a policy or notice; published at once or kept as a draft."""
    actor = _require_officer(actor, _("只有服务大厅工作人员可以发布考试政策与公告"))
    notice = ExamNotice(
        title=title.strip(),
        kind=kind,
        year=year,
        body=body.strip(),
        province_id=province_code or None,
        author=actor,
    )
    if publish:
        notice.status = ExamNotice.Status.PUBLISHED
        notice.published_at = timezone.now()
    notice.full_clean()
    notice.save()
    audit_record(action="exams.notice.create", actor=actor, obj=notice, detail={"publish": publish}, origin=origin)
    return notice


@transaction.atomic
def notice_publish(*, actor: Actor, notice: ExamNotice, origin: Origin | None = None) -> ExamNotice:
    """An officer publishes a draft notice."""
    actor = _require_officer(actor, _("只有服务大厅工作人员可以发布考试政策与公告"))
    if notice.status != ExamNotice.Status.PUBLISHED:
        notice.status = ExamNotice.Status.PUBLISHED
        notice.published_at = timezone.now()
        notice.save(update_fields=["status", "published_at", "updated_at"])
        audit_record(action="exams.notice.publish", actor=actor, obj=notice, origin=origin)
    return notice


@transaction.atomic
def notice_withdraw(*, actor: Actor, notice: ExamNotice, origin: Origin | None = None) -> ExamNotice:
    """An officer takes a notice back to draft."""
    actor = _require_officer(actor, _("只有服务大厅工作人员可以撤回考试政策与公告"))
    notice.status = ExamNotice.Status.DRAFT
    notice.save(update_fields=["status", "updated_at"])
    audit_record(action="exams.notice.withdraw", actor=actor, obj=notice, origin=origin)
    return notice


@transaction.atomic
def attachment_add(
    *, actor: Actor, notice: ExamNotice, upload: UploadedFile, origin: Origin | None = None
) -> NoticeAttachment:
    """An officer attaches a PDF or Office file, checked by content and size."""
    actor = _require_officer(actor, _("只有服务大厅工作人员可以上传附件"))
    limit = int(settings.HALL_ATTACHMENT_MAX_BYTES)
    fmt = check_upload(upload, allowed=OFFICE_DOCUMENTS, max_bytes=limit)
    attachment = NoticeAttachment(
        notice=notice,
        file=upload,
        name=(upload.name or "file")[-150:],
        mime_type=fmt.mime,
        size_bytes=upload.size or 0,
    )
    attachment.full_clean(exclude=["file"])
    attachment.save()
    audit_record(action="exams.notice.attach", actor=actor, obj=notice, detail={"file": attachment.name}, origin=origin)
    return attachment


# --- Special-type lists ----------------------------------------------------------------------------------------


def _province_lookup() -> dict[str, str]:
    found: dict[str, str] = {}
    for code, name in selectors.provinces().values_list("code", "name"):
        found[code] = code
        found[name] = code
        for suffix in ("省", "市", "自治区", "壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区"):
            if name.endswith(suffix) and len(name) > len(suffix) + 1:
                found[name.removesuffix(suffix)] = code
    return found


@transaction.atomic
def special_list_import(
    *,
    actor: Actor,
    title: str,
    program: str,
    year: int,
    notice_start: datetime,
    notice_end: datetime,
    data: bytes,
    filename: str,
    publish: bool = True,
    origin: Origin | None = None,
) -> SpecialList:
    """An officer imports a special-type candidate list from Excel/CSV: every row checked, all in or none."""
    actor = _require_officer(actor, _("只有服务大厅工作人员可以导入考生名单"))
    special_list = SpecialList(
        title=title.strip(),
        program=program,
        year=year,
        notice_start=notice_start,
        notice_end=notice_end,
        is_published=publish,
        created_by=actor,
    )
    special_list.full_clean()
    provinces = _province_lookup()
    errors: list[imports.RowError] = []
    good: list[imports.CandidateRow] = []
    seen: dict[str, int] = {}
    try:
        for line, raw in imports.read_table(data, filename=filename, headers=imports.CANDIDATE_HEADERS):
            result = imports.validate_candidate_row(line, raw, provinces=provinces)
            if isinstance(result, imports.RowError):
                errors.append(result)
                continue
            if result.id_number in seen:
                errors.append(
                    imports.RowError(line, [_("与第 %(line)d 行的身份证号码重复") % {"line": seen[result.id_number]}])
                )
                continue
            seen[result.id_number] = line
            good.append(result)
    except imports.FileError as exc:
        raise _file_error(exc) from exc
    total = len(good) + len(errors)
    if errors:
        raise ImportRejected(errors, total=total)
    if not good:
        raise DomainError("empty_file", _("文件中没有考生"), fields={"file": [_("文件中没有考生")]}, status=422)
    special_list.save()
    SpecialCandidate.objects.bulk_create(
        [
            SpecialCandidate(
                special_list=special_list,
                line=row.line,
                name=row.name,
                gender=row.gender,
                school=row.school,
                province_id=row.province_code,
                university=row.university,
                major=row.major,
                id_number=row.id_number,
                id_number_index=blind_index(row.id_number, context=ID_INDEX_CONTEXT),
                id_number_masked=mask_id_number(row.id_number),
            )
            for row in good
        ],
        batch_size=IMPORT_BATCH,
    )
    audit_record(
        action="exams.special_list.import",
        actor=actor,
        obj=special_list,
        detail={"rows": len(good), "file": filename[-100:]},
        origin=origin,
    )
    return special_list


# --- Sittings and score imports --------------------------------------------------------------------------------


@transaction.atomic
def sitting_create(
    *,
    actor: Actor,
    exam_type: str,
    session: str,
    held_on: date,
    release_at: datetime,
    origin: Origin | None = None,
) -> ExamSitting:
    """An officer opens a sitting (an exam and its session) and sets when its scores are released."""
    actor = _require_officer(actor, _("只有服务大厅工作人员可以创建考试场次"))
    sitting = ExamSitting(
        exam_type=exam_type, session=session.strip(), held_on=held_on, release_at=release_at, created_by=actor
    )
    sitting.full_clean()
    sitting.save()
    audit_record(action="exams.sitting.create", actor=actor, obj=sitting, origin=origin)
    transaction.on_commit(selectors.sittings_clear_cache)
    return sitting


@transaction.atomic
def sitting_set_release(
    *, actor: Actor, sitting: ExamSitting, release_at: datetime, origin: Origin | None = None
) -> ExamSitting:
    """An officer sets (or moves) the time a sitting's scores become visible."""
    actor = _require_officer(actor, _("只有服务大厅工作人员可以设置成绩发布时间"))
    old = sitting.release_at
    sitting.release_at = release_at
    sitting.full_clean()
    sitting.save(update_fields=["release_at", "updated_at"])
    audit_record(
        action="exams.sitting.release_at",
        actor=actor,
        obj=sitting,
        detail={"from": old.isoformat(), "to": release_at.isoformat()},
        origin=origin,
    )
    transaction.on_commit(selectors.sittings_clear_cache)
    return sitting


@dataclass
class ImportReport:
    created: int
    seconds: float
    import_id: int
    timings: dict[str, float] = field(default_factory=dict)


def _check_scores(
    rows: Any, *, exam_type: str, existing: set[str]
) -> tuple[list[imports.ScoreRow], list[imports.RowError]]:
    errors: list[imports.RowError] = []
    good: list[imports.ScoreRow] = []
    seen: dict[str, int] = {}
    checked_columns = False
    today = timezone.localdate()
    for line, raw in rows:
        if not checked_columns:
            missing = imports.score_columns_missing(raw.keys(), exam_type)
            if missing:
                raise imports.FileError(_("缺少列：%(names)s") % {"names": _("、").join(missing)})
            checked_columns = True
        result = imports.validate_score_row(line, raw, exam_type=exam_type, today=today)
        if isinstance(result, imports.RowError):
            errors.append(result)
            continue
        ticket = result.ticket_number
        if ticket in seen:
            errors.append(imports.RowError(line, [_("准考证号与第 %(line)d 行重复") % {"line": seen[ticket]}]))
            continue
        if ticket in existing:
            errors.append(imports.RowError(line, [_("准考证号已存在于本场次")]))
            continue
        seen[ticket] = line
        good.append(result)
    return good, errors


# The columns written by an import, in order; each value goes through its model field's own preparation where
# that does something (sealing the ID number, the database's decimal format).
_INSERT_FIELDS = (
    "sitting",
    "ticket_number",
    "name",
    "id_number",
    "id_number_index",
    "id_number_masked",
    "school",
    "total",
    "listening",
    "reading",
    "writing",
    "subjects_passed",
    "grade",
    "passed",
)


def _insert_scores(*, sitting_id: int, rows: list[imports.ScoreRow]) -> None:
    """Write checked rows with ``executemany`` in batches of ``IMPORT_BATCH``, inside the caller's transaction.

    Not ``bulk_create``: for 14 columns Django spends ~140 µs of CPU per row building the statement, ten times
    the cost of sealing the ID number (AES-GCM) and its blind index; a million rows would take minutes. The
    values are still prepared by the model's fields (the ID number is sealed by ``EncryptedTextField`` itself)."""
    using = ScoreRecord.objects.db
    connection = connections[using]
    meta = ScoreRecord._meta
    sealed = cast(models.Field[Any, Any], meta.get_field("id_number"))
    total = cast(models.Field[Any, Any], meta.get_field("total"))
    insert_rows(
        ScoreRecord,
        _INSERT_FIELDS,
        (
            (
                sitting_id,
                row.ticket_number,
                row.name,
                sealed.get_db_prep_save(row.id_number, connection),
                blind_index(row.id_number, context=ID_INDEX_CONTEXT),
                mask_id_number(row.id_number),
                row.school,
                total.get_db_prep_save(row.total, connection) if row.total is not None else None,
                row.listening,
                row.reading,
                row.writing,
                row.subjects_passed,
                row.grade,
                row.passed,
            )
            for row in rows
        ),
        batch_size=IMPORT_BATCH,
        using=using,
    )


def scores_import(
    *,
    actor: Actor,
    sitting: ExamSitting,
    data: bytes | None = None,
    filename: str = "",
    rows: Any = None,
    origin: Origin | None = None,
) -> ImportReport:
    """An officer imports a sitting's scores from Excel/CSV (or already-parsed rows): every row checked first,
    then all of them written in one transaction — or, with any bad row, none and a report of every bad row."""
    actor = _require_officer(actor, _("只有服务大厅工作人员可以导入成绩"))
    started = time.perf_counter()
    timings: dict[str, float] = {}
    try:
        source = (
            rows
            if rows is not None
            else imports.read_table(data or b"", filename=filename, headers=imports.SCORE_HEADERS)
        )
        existing = set(sitting.scores.values_list("ticket_number", flat=True)) if sitting.scores.exists() else set()
        good, errors = _check_scores(source, exam_type=sitting.exam_type, existing=existing)
    except imports.FileError as exc:
        raise _file_error(exc) from exc
    timings["check"] = time.perf_counter() - started
    if errors:
        raise ImportRejected(errors, total=len(good) + len(errors))
    if not good:
        raise DomainError("empty_file", _("文件中没有成绩"), fields={"file": [_("文件中没有成绩")]}, status=422)
    mark = time.perf_counter()
    with transaction.atomic():
        _insert_scores(sitting_id=sitting.pk, rows=good)
        timings["write"] = time.perf_counter() - mark
        seconds = time.perf_counter() - started
        record = ScoreImport.objects.create(
            sitting=sitting,
            filename=filename[-150:],
            row_count=len(good),
            seconds=Decimal(f"{seconds:.2f}"),
            created_by=actor,
        )
        audit_record(
            action="exams.scores.import",
            actor=actor,
            obj=sitting,
            detail={"rows": len(good), "file": filename[-100:], "import": record.pk},
            origin=origin,
        )
    return ImportReport(created=len(good), seconds=seconds, import_id=record.pk, timings=timings)


# --- The score lookup -----------------------------------------------------------------------------------------


def _rate(name: str, default: str) -> tuple[int, int]:
    return parse_rate(str(getattr(settings, name, default)))


def ip_rate() -> tuple[int, int]:
    """Lookups per client address (a school behind one address shares it)."""
    return _rate("HALL_SCORES_IP_RATE", "30/min")


def candidate_rate() -> tuple[int, int]:
    """Lookups per candidate (one ticket number or one ID number in one sitting)."""
    return _rate("HALL_SCORES_CANDIDATE_RATE", "10/h")


def misses_before_captcha() -> int:
    return int(getattr(settings, "HALL_SCORES_MISSES_BEFORE_CAPTCHA", 3))


def miss_budget() -> tuple[int, int]:
    """Misses per client address per day; beyond them the address waits for the next window."""
    return _rate("HALL_SCORES_IP_MISSES", "30/d")


def _ip_key(request: HttpRequest) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), (client_ip(request) or "unknown").encode(), "sha256").hexdigest()[:24]


def _ip_limit_key(request: HttpRequest) -> str:
    # The key core.api.rate_limit(request, "hall.scores", …) counts under: one counter whichever path counts.
    return f"hall.scores:{client_key(request)}"


def _miss_key(ip_key: str) -> str:
    return f"hall.scores.miss:{ip_key}"


def _misses(ip_key: str) -> int:
    return hits_so_far(_miss_key(ip_key), miss_budget()[1])


def captcha_required(request: HttpRequest) -> bool:
    """Whether this address has missed often enough that the next lookup needs a solved captcha."""
    return _misses(_ip_key(request)) >= misses_before_captcha()


def no_match_message() -> str:
    return _("未查询到匹配的成绩，请核对考试、准考证号或身份证号和姓名")


def not_released_message(release_at: datetime) -> str:
    when = date_format(timezone.localtime(release_at), "DATETIME_FORMAT")
    return _("本次考试成绩将于 %(when)s 发布，届时方可查询") % {"when": when}


class NotReleased(DomainError):
    def __init__(self, release_at: datetime) -> None:
        super().__init__("not_released", not_released_message(release_at), status=409)
        self.release_at = release_at


@dataclass
class LookupResult:
    score_id: int
    sitting: selectors.SittingInfo
    name: str
    ticket_number: str
    id_number_masked: str
    passed: bool
    claims: dict[str, str]
    token: str


def _token_signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=TOKEN_SALT)


def score_token(*, score_id: int) -> str:
    """A short-lived signed token that lets its bearer download this one score's certificate."""
    return _token_signer().sign(str(score_id))


def token_max_age() -> int:
    return int(getattr(settings, "HALL_SCORES_TOKEN_SECONDS", 15 * 60))


def score_from_token(token: str) -> int:
    """The score id a token was issued for; expired, forged or malformed tokens are not found."""
    try:
        value = _token_signer().unsign(token, max_age=token_max_age())
    except (signing.BadSignature, ValueError, TypeError):
        raise NotFound(_("下载链接已失效，请重新查询成绩")) from None
    score_id = parse_int(value)
    if score_id is None:
        raise NotFound(_("下载链接已失效，请重新查询成绩"))
    return score_id


def score_lookup(
    *,
    request: HttpRequest,
    sitting_id: int,
    name: str,
    ticket_number: str = "",
    id_number: str = "",
    altcha: str = "",
) -> LookupResult:
    """A candidate looks up a score by (sitting, ticket number or ID number, name).

    Only a full match answers; every wrong combination answers the same ``no_match``. Before the release time
    nothing is looked up. Per-address and per-candidate limits, a captcha after a few misses, and an audit
    entry for every lookup (no plaintext ID number in it)."""
    ip_limit, ip_window = ip_rate()
    ip_key = _ip_key(request)
    # One round trip with Redis: this address's lookups counted, its misses so far read (for the captcha).
    [(hits, retry_after)], [misses] = count_hits(
        [(_ip_limit_key(request), ip_window)], [(_miss_key(ip_key), miss_budget()[1])]
    )
    if hits > ip_limit:
        raise RateLimited(retry_after)
    sitting = selectors.sitting_info(sitting_id)
    if not sitting.is_released():
        raise NotReleased(sitting.release_at)
    name = name.strip()
    ticket = ticket_number.strip().upper()
    id_text = id_number.strip()
    problems: dict[str, list[str]] = {}
    if not name:
        problems["name"] = [_("请输入姓名")]
    if bool(ticket) == bool(id_text):
        problems["ticket_number"] = [_("请输入准考证号或身份证号（二选一）")]
    if problems:
        raise DomainError("invalid", _("提交的内容有误"), fields=problems, status=422)
    if misses >= misses_before_captcha():
        if not altcha:
            raise DomainError("captcha_required", _("请先完成人机验证"), status=403)
        if not captcha.solution_accept(altcha):
            raise DomainError("captcha_invalid", _("人机验证未通过或已使用，请重新验证"), status=403)
    by = "ticket" if ticket else "id_number"
    id_index = ""
    if not ticket:
        number = imports.fast_id_number(id_text)  # same rules as core.identifiers, without its per-call cost
        id_index = blind_index(number, context=ID_INDEX_CONTEXT) if number else ""
    candidate_key = ticket or id_index or "invalid"
    cand_limit, cand_window = candidate_rate()
    hits, retry_after = count_hit(f"hall.scores.cand:{sitting.id}:{candidate_key[:64]}", cand_window)
    actor = audit.actor_of(request)
    if hits > cand_limit:
        audit.record(
            request=request,
            action="exams.score.lookup",
            result=AuditLog.Result.DENIED,
            object_id=str(sitting.id),
            detail={"sitting": sitting.id, "by": by, "reason": "candidate_rate"},
            actor=actor,
        )
        raise RateLimited(retry_after)
    row = None
    if ticket and imports.TICKET.match(ticket):
        row = selectors.score_find(sitting_id=sitting.id, ticket_number=ticket)
    elif id_index:
        row = selectors.score_find(sitting_id=sitting.id, id_index=id_index)
    # Compare names in constant time, and compare something even without a row, so timing tells nothing.
    expected = row["name"] if row is not None else "\x00" * max(len(name), 1)
    matched = hmac.compare_digest(expected.encode(), name.encode()) and row is not None
    if not matched:
        miss_limit, miss_window = miss_budget()
        misses, miss_retry = count_hit(_miss_key(ip_key), miss_window)
        audit.record(
            request=request,
            action="exams.score.lookup",
            result=AuditLog.Result.FAILURE,
            object_id=str(sitting.id),
            detail={"sitting": sitting.id, "by": by},
            actor=actor,
        )
        if misses > miss_limit:
            raise RateLimited(miss_retry)
        raise DomainError("no_match", no_match_message(), status=404)
    assert row is not None
    audit.record(
        request=request,
        action="exams.score.lookup",
        result=AuditLog.Result.SUCCESS,
        object_id=str(row["id"]),
        detail={"sitting": sitting.id, "by": by},
        actor=actor,
    )
    return LookupResult(
        score_id=row["id"],
        sitting=sitting,
        name=row["name"],
        ticket_number=row["ticket_number"],
        id_number_masked=row["id_number_masked"],
        passed=row["passed"],
        claims=score_claims(
            exam_type=sitting.exam_type,
            total=row["total"],
            listening=row["listening"],
            reading=row["reading"],
            writing=row["writing"],
            subjects_passed=row["subjects_passed"],
            grade=row["grade"],
            passed=row["passed"],
        ),
        # Only a passed score has a certificate to download: no token (and no signature to compute) otherwise.
        token=score_token(score_id=row["id"]) if row["passed"] else "",
    )


# --- Certificates -----------------------------------------------------------------------------------------------


def certificate_issue(
    *, score: ScoreRecord, holder_user: Actor | None = None, origin: Origin | None = None
) -> Credential:
    """The e-certificate of a passed score (issued once per score; again returns the same credential)."""
    if not score.passed:
        raise DomainError("not_passed", _("该成绩未达到合格标准，不能下载证书"), status=409)
    sitting = score.sitting
    # An official document: worded in Chinese whoever downloads it first, like every later download of it.
    with translation.override("zh-hans"):
        claims = {str(_("考试")): sitting.get_exam_type_display(), str(_("考次")): sitting.session}
        claims.update(score.claims())
        claims[str(_("准考证号"))] = score.ticket_number
        title = _("%(exam)s成绩证书") % {"exam": sitting.get_exam_type_display()}
    credential = credential_issue(
        kind=Credential.Kind.EXAM_SCORE,
        source_key=f"exams.score:{score.pk}",
        # The candidate as the exam authority registered them (name and ID number of the score row).
        holder_name=score.name,
        holder_id_number=score.id_number,
        title=title,
        claims=claims,
        issuer_name=sitting.issuer.name,
        issued_on=timezone.localdate(sitting.release_at),
        holder_user=holder_user,
    )
    audit_record(
        action="exams.score.certificate",
        actor=holder_user,
        obj=score,
        object_repr=f"{sitting} {score.ticket_number}",
        origin=origin,
    )
    return credential
