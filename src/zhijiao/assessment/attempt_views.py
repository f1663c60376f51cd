"""A learner's assessment pages: the block inside a unit (its rules, their attempts, start or continue), the
attempt page (mobile first: a countdown from the server's deadline, each answer saved as it is given, and a plain
form that saves all or submits without JavaScript), and the result page (the score unless peer review still
hides it; right answers when the rules allow). Thin over the services and selectors."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from zhijiao.core.actors import MemberRequest
from zhijiao.core.errors import DomainError
from zhijiao.core.files import serve_file
from zhijiao.core.params import parse_int

from . import selectors, services
from .models import AttemptStatus
from .rules import ShowAnswers, parse_rules
from .schemas import answer_file_out

SHOW_LABELS = {
    ShowAnswers.AFTER_SUBMIT: gettext_lazy("提交后公布答案"),
    ShowAnswers.AFTER_CLOSE: gettext_lazy("截止后公布答案"),
    ShowAnswers.NEVER: gettext_lazy("不公布答案"),
}


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(str(m) for m in exc.messages)
    if isinstance(exc, DomainError):
        return str(exc.message)
    return str(exc) or _("没有权限")


@require_http_methods(["GET", "HEAD"])
def block(request: HttpRequest, content_id: Any) -> HttpResponse:
    """The reader's side of an assessment block: its rules against their run, their attempts so far, and a start
    or continue button. Open to visitors (it says who takes it)."""
    key = str(content_id)
    run, entry = selectors.assessment_of(actor=request.user, content_id=key)
    context: dict[str, Any] = {"run": run, "block": entry, "content_id": key}
    if run is not None and entry is not None:
        try:
            rules = parse_rules(entry.get("data") or {}, kind=entry["type"])
        except ValidationError:
            rules = None
        attempts = selectors.attempts_of(user_id=int(request.user.pk or 0), run=run, content_id=key)
        context.update(
            rules=rules,
            attempts=attempts,
            open_attempt=next((a for a in attempts if a.status == AttemptStatus.IN_PROGRESS), None),
            submitted=any(a.status != AttemptStatus.IN_PROGRESS for a in attempts),
            opens_at=rules.opens_at(run) if rules else None,
            closes_at=rules.closes_at(run) if rules else None,
            show_label=SHOW_LABELS.get(rules.show_answers, "") if rules else "",
            attempts_left=(
                None if rules is None or not rules.attempts_allowed else max(0, rules.attempts_allowed - len(attempts))
            ),
        )
    fragment = bool(request.headers.get("HX-Request"))
    return render(request, "assessment/_block.html" if fragment else "assessment/block.html", context)


@login_required
@require_POST
def start(request: MemberRequest, content_id: Any) -> HttpResponse:
    key = str(content_id)
    run, _block = selectors.assessment_of(actor=request.user, content_id=key)
    if run is None:
        messages.error(request, _("选课的学习者才能作答"))
        return redirect("attempts:block", content_id=key)
    try:
        attempt = services.attempt_start(actor=request.user, run=run, content_id=key)
    except (DomainError, PermissionDenied, ValidationError) as exc:
        if getattr(exc, "status", 0) == 404:
            raise
        messages.error(request, _message(exc))
        return redirect("attempts:block", content_id=key)
    return redirect("attempts:attempt", attempt_id=attempt.pk)


def _form_response(item: selectors.PaperItem, post: Any) -> tuple[bool, Any]:
    """The answer a submitted form gives for one question: (present, response). ``present`` is False when the
    form did not carry this question at all (a partial save)."""
    name = f"q{item.position}"
    if f"{name}-present" not in post or item.type == "file":
        return False, None  # a file question's answer comes as an upload (``_save_uploads``)
    if item.type == "multiple":
        values = [n for n in (parse_int(v, minimum=0, maximum=10_000) for v in post.getlist(name)) if n is not None]
        return True, values or None
    if item.type == "single":
        value = post.get(name, "")
        return True, parse_int(value, minimum=0, maximum=10_000)
    if item.type == "truefalse":
        value = post.get(name, "")
        return True, {"true": True, "false": False}.get(value)
    if item.type == "fill":
        blanks = [str(post.get(f"{name}-{i}", "")) for i in range(item.blanks)]
        return True, blanks if any(v.strip() for v in blanks) else None
    text = str(post.get(name, ""))
    return True, text if text.strip() else None


def _save_uploads(request: MemberRequest, paper: selectors.Paper, errors: dict[int, str]) -> DomainError | None:
    """Store the files the form carries for its file questions (field ``q<position>-file``); the errors by
    position. A DomainError (submitted, time up) stops it and is returned."""
    for item in paper.items:
        upload = request.FILES.get(f"q{item.position}-file")
        if item.type != "file" or upload is None:
            continue
        try:
            services.answer_upload(
                actor=request.user, attempt_id=paper.attempt.pk, position=item.position, upload=upload
            )
        except ValidationError as exc:
            errors[item.position] = _message(exc)
        except DomainError as exc:
            if exc.code in ("time_up", "submitted"):
                return exc
            errors[item.position] = _message(exc)
    return None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def attempt(request: MemberRequest, attempt_id: int) -> HttpResponse:
    """The running attempt. POST saves every answer in the form (``action=save``) or saves them and submits
    (``action=submit``)."""
    found = services.attempt_expire(attempt=selectors.access_attempt(actor=request.user, attempt_id=attempt_id))
    if found.status != AttemptStatus.IN_PROGRESS:
        if request.method == "POST":
            messages.warning(request, _("作答时间已到，试卷已按到时的答案提交"))
        return redirect("attempts:result", attempt_id=found.pk)
    paper = selectors.attempt_paper(attempt=found)
    errors: dict[int, str] = {}
    if request.method == "POST":
        for item in paper.items:
            present, response = _form_response(item, request.POST)
            if not present or response == item.response:
                continue
            try:
                services.answer_save(actor=request.user, attempt_id=found.pk, position=item.position, response=response)
            except (DomainError, ValidationError) as exc:
                errors[item.position] = _message(exc)
                if isinstance(exc, DomainError) and exc.code in ("time_up", "submitted"):
                    messages.error(request, _message(exc))
                    return redirect("attempts:result", attempt_id=found.pk)
        stopped = _save_uploads(request, paper, errors)
        if stopped is not None:
            messages.error(request, _message(stopped))
            return redirect("attempts:result", attempt_id=found.pk)
        if not errors and request.POST.get("action") == "submit":
            services.attempt_submit(actor=request.user, attempt_id=found.pk)
            messages.success(request, _("已提交"))
            return redirect("attempts:result", attempt_id=found.pk)
        if not errors:
            messages.success(request, _("答案已保存"))
            return redirect("attempts:attempt", attempt_id=found.pk)
        paper = selectors.attempt_paper(attempt=found)
    context = {"paper": paper, "attempt": found, "errors": errors}
    return render(request, "assessment/attempt.html", context, status=422 if errors else 200)


@login_required
@require_POST
def answer(request: MemberRequest, attempt_id: int, position: int) -> HttpResponse:
    """One answer saved as it is given (the attempt page's script posts the question's fields here); JSON."""
    found = selectors.access_attempt(actor=request.user, attempt_id=attempt_id)
    paper = selectors.attempt_paper(attempt=found)
    item = next((entry for entry in paper.items if entry.position == position), None)
    if item is None:
        return JsonResponse({"ok": False, "message": _("本次作答中没有这道题")}, status=422)
    if item.type == "file":  # its answer is an upload (``upload``); never cleared by a field-less post
        return JsonResponse({"ok": False, "code": "invalid", "message": _("请选择要上传的文件")}, status=422)
    _present, response = _form_response(item, request.POST)
    try:
        step = services.answer_save(actor=request.user, attempt_id=found.pk, position=position, response=response)
    except (DomainError, ValidationError) as exc:
        code = getattr(exc, "code", "invalid")
        return JsonResponse({"ok": False, "code": code, "message": _message(exc)}, status=409 if code else 422)
    return JsonResponse(
        {"ok": True, "saved_at": step.created_at.isoformat(), "seconds_left": selectors.seconds_left(step.attempt)}
    )


@login_required
@require_POST
def upload(request: MemberRequest, attempt_id: int, position: int) -> HttpResponse:
    """A file question's answer uploaded as soon as it is chosen (the attempt page's script); JSON."""
    found = selectors.access_attempt(actor=request.user, attempt_id=attempt_id)
    chosen = request.FILES.get("file") or request.FILES.get(f"q{position}-file")
    if chosen is None:
        return JsonResponse({"ok": False, "code": "invalid", "message": _("请选择要上传的文件")}, status=422)
    try:
        stored = services.answer_upload(actor=request.user, attempt_id=found.pk, position=position, upload=chosen)
    except ValidationError as exc:
        return JsonResponse({"ok": False, "code": "invalid", "message": _message(exc)}, status=422)
    except DomainError as exc:
        return JsonResponse({"ok": False, "code": exc.code, "message": _message(exc)}, status=409)
    return JsonResponse(
        {
            "ok": True,
            "saved_at": stored.created_at.isoformat(),
            "seconds_left": selectors.seconds_left(stored.attempt),
            "file": {**(answer_file_out(stored) or {}), "size_label": stored.size_label},
        }
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def answer_file(request: MemberRequest, file_id: int) -> HttpResponseBase:
    """An uploaded answer file, for its learner, the run's teaching team and its assigned peer reviewers."""
    stored = selectors.access_attempt_file(actor=request.user, file_id=file_id)
    return serve_file(
        request,
        stored.file,
        content_type=stored.mime,
        filename=getattr(stored, "shown_name", stored.original_name),
        download=True,
        public=False,
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def result(request: MemberRequest, attempt_id: int) -> HttpResponse:
    found = services.attempt_expire(attempt=selectors.access_attempt(actor=request.user, attempt_id=attempt_id))
    if found.status == AttemptStatus.IN_PROGRESS:
        return redirect("attempts:attempt", attempt_id=found.pk)
    paper = selectors.attempt_paper(attempt=found)
    peer = selectors.peer_progress(attempt=found)
    return render(request, "assessment/result.html", {"paper": paper, "attempt": found, "peer": peer})
