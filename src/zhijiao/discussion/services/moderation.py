"""Reporting (举报) and moderation: any member reports a post with a reason; the run's teaching team (or the
platform's staff in the admin, through the same function) hides a post with a reason, which the audit log keeps,
shows it again with a reason, or dismisses its reports (the report queue, ``selectors.report_queue``).
A hidden post reads “此内容已被隐藏” to everyone but the teaching team; a hidden opening post hides its thread from
the lists and from search."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijiao.core.actors import Actor, Origin, signed_in
from zhijiao.core.audit import audit_actions
from zhijiao.core.errors import DomainError
from zhijiao.core.services import audit_record
from zhijiao.orgs.selectors import is_platform_admin
from zhijiao.search.services import index_later

from .. import selectors
from ..models import REASON_MAX, Participation, Post, Report, Thread
from ..search import KIND
from ..text import clean_reason
from .posting import participated

AUDIT_ACTIONS = audit_actions(
    {
        "discussion.post.hide": gettext_lazy("隐藏讨论帖子"),
        "discussion.post.unhide": gettext_lazy("恢复显示讨论帖子"),
        "discussion.post.report": gettext_lazy("举报讨论帖子"),
        "discussion.report.dismiss": gettext_lazy("驳回讨论帖子的举报"),
    }
)


@transaction.atomic
def post_report(*, actor: Actor, post: Post, reason: str) -> Report:
    """A member of the run reports a post with a reason (once per post)."""
    if not signed_in(actor) or selectors.forum_role(actor, post.thread.run) is None:
        raise PermissionDenied(_("只有本开课的学习者和教学团队可以举报"))
    text = clean_reason(reason)
    if post.author_id == actor.pk:
        raise DomainError("own_post", _("不能举报自己的发言"))
    try:
        with transaction.atomic():
            report = Report(post=post, reporter=actor, reason=text)
            report.full_clean(validate_constraints=False)
            report.save()
    except IntegrityError:
        raise DomainError("already_reported", _("您已经举报过这条发言，教学团队会尽快处理")) from None
    Post.objects.filter(pk=post.pk).update(report_count=F("report_count") + 1)
    post.report_count += 1
    return report


def _recount(post: Post, step: int) -> None:
    """A learner's answer to a discussion prompt hidden (-1) or shown again (+1): their participation, and so their
    课堂讨论 score, follows (``participated`` after commit)."""
    thread = post.thread
    if thread.kind != Thread.Kind.PROMPT or post.is_opening or thread.block_content_id is None:
        return
    rows = Participation.objects.filter(
        run_id=thread.run_id, user_id=post.author_id, content_id=thread.block_content_id
    )
    if not (rows.filter(reply_count__gt=0) if step < 0 else rows).update(reply_count=F("reply_count") + step):
        return  # the teaching team's own post: it never counted
    run_id, user_id, content_id = thread.run_id, post.author_id, str(thread.block_content_id)
    transaction.on_commit(
        lambda: participated.send(sender=Participation, run_id=run_id, user_id=user_id, content_id=content_id)
    )


def _may_moderate(actor: Actor, post: Post) -> bool:
    return signed_in(actor) and (selectors.is_teaching_team(actor, post.thread.run) or is_platform_admin(actor))


@transaction.atomic
def post_hide(*, actor: Actor, post: Post, reason: str, origin: Origin | None = None) -> Post:
    """The teaching team hides a post with a reason (audit-logged); its reports count as handled."""
    if not _may_moderate(actor, post) or not signed_in(actor):
        raise PermissionDenied(_("只有本开课的教学团队可以隐藏发言"))
    text = clean_reason(reason)
    if post.is_hidden:
        raise DomainError("already_hidden", _("这条发言已经隐藏了"))
    post.hidden_at = timezone.now()
    post.hidden_by = actor
    post.hidden_reason = text
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "updated_at"])
    Report.objects.filter(post=post, resolved=False).update(resolved=True)
    _recount(post, -1)
    thread = post.thread
    if post.is_opening:
        Thread.objects.filter(pk=thread.pk).update(hidden=True)
        thread.hidden = True
    elif thread.accepted_post_id == post.pk:
        Thread.objects.filter(pk=thread.pk).update(accepted_post=None)
        thread.accepted_post = None
    audit_record(
        action="discussion.post.hide",
        actor=actor,
        obj=post,
        detail={"thread": thread.pk, "reason": text},
        origin=origin,
    )
    index_later(KIND, thread.pk)
    return post


@transaction.atomic
def post_unhide(*, actor: Actor, post: Post, reason: str, origin: Origin | None = None) -> Post:
    """The teaching team shows a hidden post again, with a reason (audit-logged beside the reason it was hidden
    for)."""
    if not _may_moderate(actor, post):
        raise PermissionDenied(_("只有本开课的教学团队可以恢复发言"))
    text = clean_reason(reason)
    if not post.is_hidden:
        raise DomainError("not_hidden", _("这条发言没有被隐藏"))
    hidden_for = post.hidden_reason
    post.hidden_at = None
    post.hidden_by = None
    post.hidden_reason = ""
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "updated_at"])
    _recount(post, +1)
    if post.is_opening:
        Thread.objects.filter(pk=post.thread_id).update(hidden=False)
        post.thread.hidden = False
    audit_record(
        action="discussion.post.unhide",
        actor=actor,
        obj=post,
        detail={"thread": post.thread_id, "reason": text, "hidden_for": hidden_for},
        origin=origin,
    )
    index_later(KIND, post.thread_id)
    return post


@transaction.atomic
def reports_dismiss(*, actor: Actor, post: Post, reason: str = "", origin: Origin | None = None) -> int:
    """The teaching team finds a reported post fine: its open reports count as handled and the post stays
    (audit-logged); how many reports were closed."""
    if not _may_moderate(actor, post):
        raise PermissionDenied(_("只有本开课的教学团队可以处理举报"))
    text = " ".join((reason or "").split())[:REASON_MAX]
    closed = Report.objects.filter(post=post, resolved=False).update(resolved=True, updated_at=timezone.now())
    if not closed:
        raise DomainError("no_open_reports", _("这条发言没有待处理的举报"))
    audit_record(
        action="discussion.report.dismiss",
        actor=actor,
        obj=post,
        detail={"thread": post.thread_id, "reports": closed, "reason": text},
        origin=origin,
    )
    return closed
