"""The teachers' question bank pages, under the course's authoring area (/courses/<id>/edit/questions/): the bank
with its filters, one form per question type (a save adds a version), a question's history, archive and restore,
and the Excel template, import and export. Work without JavaScript; the same services as the API.

The whole teaching team reads the bank; its lead and teachers write it (``selectors.can_write_bank``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhijiao.core.errors import NotFound
from zhijiao.core.ratelimit import rate_limit
from zhijiao.core.views import service_errors
from zhijiao.courses.models import Course

from . import selectors, services
from .downloads import IMPORT_RATE_KEY, IMPORTS_PER_HOUR, export_response, template_response
from .forms import BankFilterForm, ImportForm, QuestionForm
from .question_types import QuestionType, get_type, question_types

PAGE_SIZE = 30


def _writable(request: HttpRequest, course_id: int) -> Course:
    course = selectors.access_bank(actor=request.user, course_id=course_id)
    if not selectors.can_write_bank(request.user, course):
        raise PermissionDenied(_("只有本课程的主讲教师可以修改题库"))
    return course


def _kind(name: str) -> QuestionType:
    kind = get_type(name)
    if kind is None:
        raise NotFound
    return kind


@login_required
def bank(request: HttpRequest, course_id: int) -> HttpResponse:
    """题库: the course's questions with filters, and the buttons to add, import and export."""
    course = selectors.access_bank(actor=request.user, course_id=course_id)
    form = BankFilterForm(request.GET or None)
    filters = selectors.BankFilter()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.BankFilter(
            type=data["type"] or "",
            tag=data["tag"],
            knowledge_point=data["knowledge_point"],
            difficulty=data["difficulty"],
            text=data["text"],
            archived=data["archived"],
        )
    page = Paginator(selectors.questions_of(course=course, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "course": course,
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "types": question_types(),
        "labels": {kind.name: kind.label for kind in question_types()},
        "facets": selectors.bank_facets(course=course),
        "can_write": selectors.can_write_bank(request.user, course),
        "import_form": ImportForm(),
    }
    return render(request, "assessment/bank.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def question_new(request: HttpRequest, course_id: int, type_name: str) -> HttpResponse:
    course = _writable(request, course_id)
    kind = _kind(type_name)
    form = QuestionForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        with service_errors(form) as outcome:
            data = kind.from_flat(form.flat())
            question = services.question_create(actor=request.user, course=course, **form.service_fields(data))
        if outcome.ok:
            messages.success(request, _("题目已加入题库"))
            if "again" in request.POST:
                return redirect("assessment:question_new", course_id=course.pk, type_name=kind.name)
            return redirect("assessment:question", course_id=course.pk, question_id=question.pk)
    context = {"course": course, "kind": kind, "form": form, "question": None}
    return render(request, "assessment/question_form.html", context, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, course_id: int, question_id: int) -> HttpResponse:
    """A question's current version in its type's form; saving adds the next version."""
    course = selectors.access_bank(actor=request.user, course_id=course_id)
    question = selectors.access_question(actor=request.user, course=course, question_id=question_id)
    version = question.current_version
    assert version is not None
    kind = _kind(version.type)
    can_write = selectors.can_write_bank(request.user, course)
    if request.method == "POST" and not can_write:
        raise PermissionDenied(_("只有本课程的主讲教师可以修改题库"))
    form = QuestionForm(request.POST or None, kind=kind, editing=True, initial=QuestionForm.initial_for(kind, version))
    if request.method == "POST" and form.is_valid():
        with service_errors(form) as outcome:
            data = kind.from_flat(form.flat())
            saved = services.question_revise(
                actor=request.user, question=question, note=form.cleaned_data.get("note", ""),
                **form.service_fields(data),
            )  # fmt: skip
        if outcome.ok:
            messages.success(request, _("已保存为第 %(n)d 版") % {"n": saved.number})
            return redirect("assessment:question", course_id=course.pk, question_id=question.pk)
    context = {"course": course, "kind": kind, "form": form, "question": question, "can_write": can_write}
    return render(request, "assessment/question_form.html", context, status=422 if form.errors else 200)


@login_required
def question_history(request: HttpRequest, course_id: int, question_id: int) -> HttpResponse:
    """Every version of a question as it was written, newest first."""
    course = selectors.access_bank(actor=request.user, course_id=course_id)
    question = selectors.access_question(actor=request.user, course=course, question_id=question_id)
    versions = list(selectors.versions_of(question=question))
    rows = []
    for version in versions:
        kind = get_type(version.type)
        rows.append({"version": version, "kind": kind, "flat": kind.to_flat(version.data) if kind else {}})
    context = {"course": course, "question": question, "rows": rows}
    return render(request, "assessment/history.html", context)


@login_required
@require_POST
def question_archive(request: HttpRequest, course_id: int, question_id: int) -> HttpResponse:
    course = _writable(request, course_id)
    question = selectors.access_question(actor=request.user, course=course, question_id=question_id)
    if question.is_archived:
        services.question_restore(actor=request.user, question=question)
        messages.success(request, _("题目已恢复"))
    else:
        services.question_archive(actor=request.user, question=question)
        messages.success(request, _("题目已归档，不再出现在题库列表和随机抽题中"))
    return redirect("assessment:bank", course_id=course.pk)


@login_required
def template(request: HttpRequest, course_id: int) -> HttpResponse:
    """The Excel template to fill in (a 说明 sheet and one example row per type)."""
    selectors.access_bank(actor=request.user, course_id=course_id)
    return template_response()


@login_required
def export(request: HttpRequest, course_id: int, format: str) -> HttpResponse:
    course = selectors.access_bank(actor=request.user, course_id=course_id)
    if format not in ("xlsx", "zip"):
        raise NotFound
    return export_response(course, "qti" if format == "zip" else "xlsx")


@login_required
@require_POST
def bank_import(request: HttpRequest, course_id: int) -> HttpResponse:
    course = _writable(request, course_id)
    rate_limit(request, IMPORT_RATE_KEY, IMPORTS_PER_HOUR, 3600)
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        with service_errors(form) as outcome:
            result = services.bank_import(
                actor=request.user, course=course, upload=form.cleaned_data["file"], format=form.cleaned_data["format"]
            )
        if outcome.ok:
            messages.success(
                request,
                _("导入完成：新增 %(created)d 道题，更新 %(revised)d 道题") % result,
            )
            return redirect("assessment:bank", course_id=course.pk)
    context: dict[str, Any] = {"course": course, "import_form": form}
    return render(request, "assessment/import.html", context, status=422)
