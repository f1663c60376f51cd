"""A run's forum and a thread's page; both read through the selectors' access questions (not found for anyone who
is not in the run)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from zhijiao.core.actors import MemberRequest
from zhijiao.core.errors import NotFound
from zhijiao.core.params import query_int
from zhijiao.core.views import service_errors
from zhijiao.courses import selectors as courses
from zhijiao.courses.models import Run
from zhijiao.search import selectors as search

from .. import selectors, services
from ..forms import ReplyForm, ThreadForm
from ..limits import check_post_rate
from ..models import Thread
from ..search import KIND
from .posts import thread_posts

TABS = ("discussion", "question", "unanswered")


def unit_titles(run: Run) -> dict[str, str]:
    """The course's units by content id (the published version's, from the engine's cached index)."""
    if run.course.published_version_id is None:
        return {}
    return {unit.content_id: unit.title for unit in courses.learning_index(course=run.course).units}


@require_safe
@login_required
def course_forum(request: MemberRequest, course_id: int) -> HttpResponse:
    """A course's 讨论 link: the forum of the run the member is in."""
    course = courses.access_course(actor=request.user, course_id=course_id)
    run = selectors.forum_for_course(actor=request.user, course=course)
    if run is None:
        messages.info(request, _("选课后即可参与讨论和答疑"))
        return redirect(course)
    query = request.GET.urlencode()
    url = reverse("discussion:forum", args=[run.pk])
    return redirect(f"{url}?{query}" if query else url)


@require_safe
@login_required
def forum(request: MemberRequest, run_id: int) -> HttpResponse:
    """A run's forum: the 讨论区 and 答疑区 tabs, 待回答 for the teaching team, and a search within the course."""
    run = selectors.access_forum(actor=request.user, run_id=run_id)
    role = selectors.forum_role(request.user, run)
    services.prompts_register_once(run=run)
    tab = request.GET.get("tab", "discussion")
    if tab not in TABS or (tab == "unanswered" and role != selectors.STAFF):
        tab = "discussion"
    page = selectors.clean_page(request.GET.get("page"))
    units = unit_titles(run)
    unit = request.GET.get("unit", "")
    unit = unit if unit in units else ""
    q = request.GET.get("q", "").strip()[:100]
    context: dict[str, Any] = {
        "run": run,
        "course": run.course,
        "role": role,
        "tab": tab,
        "units": units,
        "unit": unit,
        "q": q,
        "unanswered": selectors.unanswered_count(run=run) if role == selectors.STAFF else 0,
        "reports": selectors.open_report_count(run=run) if role == selectors.STAFF else 0,
    }
    if q:
        context["results"] = search.search(
            actor=request.user, q=q, filters={"type": KIND, "course": str(run.course_id)}, with_facets=False
        )
    elif tab == "unanswered":
        context["listing"] = selectors.unanswered_of(run=run, page=page)
    else:
        context["listing"] = selectors.threads_of(run=run, kind=tab, unit_id=unit or None, page=page)
    for item in getattr(context.get("listing"), "threads", []):
        item.unit_title = units.get(str(item.unit_content_id), "") if item.unit_content_id else ""
    context["unit_title"] = units.get(unit, "")
    return render(request, "discussion/forum.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def thread_new(request: MemberRequest, run_id: int) -> HttpResponse:
    """Start a discussion or ask a question (``?kind=question``), in general or about a unit (``?unit=``)."""
    run = selectors.access_forum(actor=request.user, run_id=run_id)
    units = unit_titles(run)
    choices = list(units.items())
    if request.method == "POST":
        form = ThreadForm(request.POST, units=choices)
        if form.is_valid():
            check_post_rate(request)
            with service_errors(form) as outcome:
                thread = services.thread_create(
                    actor=request.user,
                    run=run,
                    kind=form.cleaned_data["kind"],
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    unit_id=form.cleaned_data["unit"] or None,
                )
            if outcome.ok:
                messages.success(request, _("已发布"))
                return redirect(thread)
        status = 422
    else:
        kind = request.GET.get("kind", Thread.Kind.DISCUSSION)
        unit = request.GET.get("unit", "")
        form = ThreadForm(
            initial={
                "kind": kind if kind in (Thread.Kind.DISCUSSION, Thread.Kind.QUESTION) else Thread.Kind.DISCUSSION,
                "unit": unit if unit in units else "",
            },
            units=choices,
        )
        status = 200
    return render(request, "discussion/new.html", {"run": run, "course": run.course, "form": form}, status=status)


@require_safe
@login_required
def thread(request: MemberRequest, thread_id: int) -> HttpResponse:
    """A thread: its opening post, the accepted answer, a page of replies; replying, voting, and the teaching
    team's actions."""
    found = selectors.access_thread(actor=request.user, thread_id=thread_id)
    if found.kind == Thread.Kind.PROMPT and found.hidden and not selectors.is_teaching_team(request.user, found.run):
        raise NotFound
    view = selectors.thread_page(actor=request.user, thread=found, page=selectors.clean_page(request.GET.get("page")))
    reply_to = None
    reply_to_id = query_int(request, "reply_to") or 0
    if reply_to_id:
        reply_to = next(
            (post for post in [*view.replies, *(c for p in view.replies for c in p.replies)] if post.pk == reply_to_id),  # type: ignore[attr-defined]
            None,
        )
    form = ReplyForm(initial={"parent": reply_to.pk if reply_to else None})
    return _thread_page(request, view, form, reply_to=reply_to)


def _thread_page(
    request: HttpRequest, view: selectors.ThreadPage, form: ReplyForm, *, reply_to: Any = None, status: int = 200
) -> HttpResponse:
    thread = view.thread
    may_accept = thread.kind == Thread.Kind.QUESTION and (view.is_staff or thread.author_id == request.user.pk)
    context = {
        "view": view,
        "thread": thread,
        "run": thread.run,
        "course": thread.run.course,
        "form": form,
        "reply_to": reply_to,
        "unit_title": unit_titles(thread.run).get(str(thread.unit_content_id)) if thread.unit_content_id else "",
        **thread_posts(request, view, may_accept=may_accept),
    }
    return render(request, "discussion/thread.html", context, status=status)


@require_http_methods(["POST"])
@login_required
def reply(request: MemberRequest, thread_id: int) -> HttpResponse:
    """Reply to a thread, or to one of its replies (``parent``)."""
    found = selectors.access_thread(actor=request.user, thread_id=thread_id)
    form = ReplyForm(request.POST)
    if form.is_valid():
        check_post_rate(request)
        parent = None
        if form.cleaned_data.get("parent"):
            parent = selectors.access_post(actor=request.user, post_id=form.cleaned_data["parent"])
        with service_errors(form) as outcome:
            post = services.reply_create(
                actor=request.user, thread=found, body=form.cleaned_data["body"], parent=parent
            )
        if outcome.ok:
            messages.success(request, _("回复成功"))
            view = selectors.thread_page(actor=request.user, thread=found, page=1)
            page = view.pages if post.parent_id is None else 0
            url = found.get_absolute_url()
            if page and page > 1:
                url += f"?page={page}"
            elif post.parent_id:
                url += f"?page={_page_of_parent(found, post)}"
            return redirect(f"{url}#post-{post.pk}")
    view = selectors.thread_page(actor=request.user, thread=found, page=selectors.clean_page(request.GET.get("page")))
    return _thread_page(request, view, form, status=422)


def _page_of_parent(thread: Thread, post: Any) -> int:
    """The page of the thread where the reply a post answers stands."""
    from ..models import Post

    before = Post.objects.filter(thread=thread, parent__isnull=True, is_opening=False, id__lt=post.parent_id).count()
    return before // selectors.REPLIES_PER_PAGE + 1
