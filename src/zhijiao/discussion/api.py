"""The discussion API (/api/v1/discussion/): a run's threads and unanswered queue, a thread with a page of replies,
starting threads and replying, votes, pinning and closing, accepted answers, reports, the teaching team's report
queue, hiding and showing again.

Each operation reads through the selectors' access questions (not found for anyone outside the run) and calls one
service, which asks again before it changes anything. Posting is rate-limited (429 with ``Retry-After``)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from zhijiao.core.actors import MemberRequest, Origin
from zhijiao.core.api_auth import session_or_token
from zhijiao.core.api_errors import ErrorOut
from zhijiao.core.errors import NotFound
from zhijiao.core.params import Id, Int

from . import selectors, services
from .limits import check_post_rate
from .models import Post, Thread
from .schemas import (
    CloseIn,
    DismissIn,
    DismissOut,
    PinIn,
    PostOut,
    PostReasonIn,
    ReplyIn,
    ReportOut,
    ReportQueueOut,
    ThreadIn,
    ThreadListOut,
    ThreadOut,
    ThreadPageOut,
    VoteOut,
)

router = Router(tags=["discussion"], auth=session_or_token)
ERRORS: dict[int, Any] = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422, 429)}


def thread_out(thread: Thread, *, staff: bool) -> dict[str, Any]:
    hidden = thread.hidden and not staff
    return {
        "id": thread.pk,
        "run_id": thread.run_id,
        "course_id": thread.course_id,
        "kind": thread.kind,
        "title": "" if hidden else thread.title,
        "author": str(thread.author),
        "unit": str(thread.unit_content_id) if thread.unit_content_id else None,
        "pinned": thread.pinned,
        "closed": thread.closed,
        "hidden": thread.hidden,
        "answered": thread.accepted_post_id is not None or thread.staff_replied,
        "reply_count": thread.reply_count,
        "accepted_post_id": thread.accepted_post_id,
        "created_at": thread.created_at,
        "last_activity_at": thread.last_activity_at,
        "url": thread.get_absolute_url(),
    }


def post_out(post: Post, *, staff: bool, accepted_id: Id | None) -> dict[str, Any]:
    hidden = post.is_hidden and not staff
    return {
        "id": post.pk,
        "author": str(post.author),
        "by_staff": post.by_staff,
        "body": "" if hidden else post.body,
        "hidden": post.is_hidden,
        "hidden_reason": post.hidden_reason if staff and post.is_hidden else None,
        "parent_id": post.parent_id,
        "vote_count": post.vote_count,
        "voted": bool(getattr(post, "voted", False)),
        "accepted": post.pk == accepted_id,
        "created_at": post.created_at,
    }


def _list_out(listing: selectors.ThreadList, *, staff: bool) -> dict[str, Any]:
    return {
        "page": listing.page,
        "pages": listing.pages,
        "total": listing.total,
        "threads": [thread_out(thread, staff=staff) for thread in listing.threads],
    }


@router.get("/runs/{run_id}/threads", response={200: ThreadListOut, **ERRORS}, operation_id="discussion_threads")
def threads(
    request: MemberRequest, run_id: Id, kind: str = "discussion", unit: str | None = None, page: Int = 1
) -> Any:
    """A run's 讨论区 (``kind=discussion``) or 答疑区 (``kind=question``): pinned first, then the latest active."""
    run = selectors.access_forum(actor=request.user, run_id=run_id)
    if kind not in (Thread.Kind.DISCUSSION, Thread.Kind.QUESTION):
        raise ValidationError({"kind": [_("请选择讨论或提问")]})
    staff = selectors.forum_role(request.user, run) == selectors.STAFF
    listing = selectors.threads_of(run=run, kind=kind, unit_id=unit, page=selectors.clean_page(page))
    return _list_out(listing, staff=staff)


@router.get("/runs/{run_id}/unanswered", response={200: ThreadListOut, **ERRORS}, operation_id="discussion_unanswered")
def unanswered(request: MemberRequest, run_id: Id, page: Int = 1) -> Any:
    """待回答: questions with no reply from the teaching team and no accepted answer, oldest first (teaching team)."""
    run = selectors.access_forum(actor=request.user, run_id=run_id)
    if not selectors.is_teaching_team(request.user, run):
        raise NotFound
    return _list_out(selectors.unanswered_of(run=run, page=selectors.clean_page(page)), staff=True)


@router.post("/runs/{run_id}/threads", response={201: ThreadOut, **ERRORS}, operation_id="discussion_thread_create")
def thread_create(request: MemberRequest, run_id: Id, data: ThreadIn) -> Any:
    """Start a discussion or ask a question, in general or about a unit (its ``content_id``)."""
    run = selectors.access_forum(actor=request.user, run_id=run_id)
    check_post_rate(request)
    thread = services.thread_create(
        actor=request.user, run=run, kind=data.kind, title=data.title, body=data.body, unit_id=data.unit
    )
    return Status(201, thread_out(thread, staff=False))


@router.get("/threads/{thread_id}", response={200: ThreadPageOut, **ERRORS}, operation_id="discussion_thread_get")
def thread_get(request: HttpRequest, thread_id: Id, page: Int = 1) -> Any:
    """A thread with its opening post, its accepted answer and a page of replies (a reply's replies follow it)."""
    thread = selectors.access_thread(actor=request.user, thread_id=thread_id)
    view = selectors.thread_page(actor=request.user, thread=thread, page=selectors.clean_page(page))
    staff = view.is_staff
    accepted_id = thread.accepted_post_id
    replies = []
    for post in view.replies:
        replies.append(post_out(post, staff=staff, accepted_id=accepted_id))
        replies.extend(post_out(child, staff=staff, accepted_id=accepted_id) for child in post.replies)  # type: ignore[attr-defined]
    return {
        "thread": thread_out(thread, staff=staff),
        "opening": post_out(view.opening, staff=staff, accepted_id=accepted_id) if view.opening else None,
        "accepted": post_out(view.accepted, staff=staff, accepted_id=accepted_id) if view.accepted else None,
        "replies": replies,
        "page": view.page,
        "pages": view.pages,
    }


@router.post("/threads/{thread_id}/replies", response={201: PostOut, **ERRORS}, operation_id="discussion_reply_create")
def reply_create(request: MemberRequest, thread_id: Id, data: ReplyIn) -> Any:
    """Reply to a thread, or to one of its replies (``parent_id``)."""
    thread = selectors.access_thread(actor=request.user, thread_id=thread_id)
    parent = selectors.access_post(actor=request.user, post_id=data.parent_id) if data.parent_id else None
    check_post_rate(request)
    post = services.reply_create(actor=request.user, thread=thread, body=data.body, parent=parent)
    return Status(201, post_out(post, staff=False, accepted_id=None))


@router.post("/threads/{thread_id}/pin", response={200: ThreadOut, **ERRORS}, operation_id="discussion_thread_pin")
def pin(request: MemberRequest, thread_id: Id, data: PinIn) -> Any:
    """The teaching team pins or unpins a thread."""
    thread = selectors.access_thread(actor=request.user, thread_id=thread_id)
    return thread_out(services.thread_pin(actor=request.user, thread=thread, pinned=data.pinned), staff=True)


@router.post("/threads/{thread_id}/close", response={200: ThreadOut, **ERRORS}, operation_id="discussion_thread_close")
def close(request: MemberRequest, thread_id: Id, data: CloseIn) -> Any:
    """The teaching team closes a thread to learners' replies, or opens it again."""
    thread = selectors.access_thread(actor=request.user, thread_id=thread_id)
    return thread_out(services.thread_close(actor=request.user, thread=thread, closed=data.closed), staff=True)


@router.post("/posts/{post_id}/vote", response={200: VoteOut, **ERRORS}, operation_id="discussion_vote")
def vote(request: MemberRequest, post_id: Id) -> Any:
    """Up-vote a post, or take the vote back."""
    post = selectors.access_post(actor=request.user, post_id=post_id)
    voted = services.vote_toggle(actor=request.user, post=post)
    return {"voted": voted, "vote_count": post.vote_count}


@router.post("/posts/{post_id}/accept", response={200: ThreadOut, **ERRORS}, operation_id="discussion_accept")
def accept(request: MemberRequest, post_id: Id) -> Any:
    """The asker or the teaching team marks a reply as the question's accepted answer."""
    post = selectors.access_post(actor=request.user, post_id=post_id)
    thread = services.answer_accept(actor=request.user, post=post)
    return thread_out(thread, staff=selectors.is_teaching_team(request.user, thread.run))


@router.post("/posts/{post_id}/report", response={201: ReportOut, **ERRORS}, operation_id="discussion_report")
def report(request: MemberRequest, post_id: Id, data: PostReasonIn) -> Any:
    """举报: a member of the run reports a post with a reason."""
    post = selectors.access_post(actor=request.user, post_id=post_id)
    found = services.post_report(actor=request.user, post=post, reason=data.reason)
    return Status(201, {"id": found.pk, "post_id": post.pk, "reason": found.reason})


@router.post("/posts/{post_id}/hide", response={200: PostOut, **ERRORS}, operation_id="discussion_hide")
def hide(request: MemberRequest, post_id: Id, data: PostReasonIn) -> Any:
    """The teaching team hides a post with a reason (audit-logged); others see “此内容已被隐藏”."""
    post = selectors.access_post(actor=request.user, post_id=post_id)
    post = services.post_hide(actor=request.user, post=post, reason=data.reason, origin=Origin.of(request))
    return post_out(post, staff=True, accepted_id=post.thread.accepted_post_id)


@router.post("/posts/{post_id}/unhide", response={200: PostOut, **ERRORS}, operation_id="discussion_unhide")
def unhide(request: MemberRequest, post_id: Id, data: PostReasonIn) -> Any:
    """The teaching team shows a hidden post again, with a reason (audit-logged)."""
    post = selectors.access_post(actor=request.user, post_id=post_id)
    post = services.post_unhide(actor=request.user, post=post, reason=data.reason, origin=Origin.of(request))
    return post_out(post, staff=True, accepted_id=post.thread.accepted_post_id)


@router.get("/runs/{run_id}/reports", response={200: ReportQueueOut, **ERRORS}, operation_id="discussion_report_queue")
def report_queue(request: MemberRequest, run_id: Id, page: Int = 1) -> Any:
    """The teaching team's report queue: posts with open reports, the earliest reported first, with who reported
    them and why."""
    run = selectors.access_report_queue(actor=request.user, run_id=run_id)
    queue = selectors.report_queue(run=run, page=selectors.clean_page(page))
    return {
        "page": queue.page,
        "pages": queue.pages,
        "total": queue.total,
        "posts": [
            {
                "post": post_out(post, staff=True, accepted_id=post.thread.accepted_post_id),
                "thread_id": post.thread_id,
                "thread_title": post.thread.title,
                "reports": [
                    {"reporter": str(row.reporter), "reason": row.reason, "created_at": row.created_at}
                    for row in post.open_report_rows
                ],
            }
            for post in queue.posts
        ],
    }


@router.post(
    "/posts/{post_id}/dismiss", response={200: DismissOut, **ERRORS}, operation_id="discussion_reports_dismiss"
)
def dismiss(request: MemberRequest, post_id: Id, data: DismissIn) -> Any:
    """The teaching team dismisses a post's open reports; the post stays (audit-logged)."""
    post = selectors.access_post(actor=request.user, post_id=post_id)
    closed = services.reports_dismiss(actor=request.user, post=post, reason=data.reason, origin=Origin.of(request))
    return {"post_id": post.pk, "dismissed": closed}
