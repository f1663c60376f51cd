"""Writes of a run's forum: threads, replies, votes, accepted answers, pinning and closing, and answers to a unit's
discussion prompt (课堂讨论) with the participation they count.

Every function asks the selectors' access questions first (``forum_role``: the run's learners and teaching team;
``is_teaching_team`` for pinning, closing and hiding). Bodies are sanitised with nh3 before they are stored
(``text.clean_body``); bad input is a field error named after the field, never a 500. Notifications (replies,
answers, accepted answers, @mentions) are written in the same transaction, so a rolled back post sends nothing.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijiao.accounts.models import User
from zhijiao.core.actors import Actor, signed_in
from zhijiao.core.audit import audit_actions
from zhijiao.core.errors import DomainError
from zhijiao.core.services import audit_record
from zhijiao.courses import selectors as courses
from zhijiao.courses import services as course_services
from zhijiao.courses.models import Run
from zhijiao.notifications.services import Message, notification_kinds, notify, notify_many
from zhijiao.search.services import index_later

from .. import selectors
from ..models import Participation, Post, Thread, Vote
from ..search import KIND
from ..text import clean_body, clean_title, mention_candidates, plain_text

AUDIT_ACTIONS = audit_actions(
    {
        "discussion.thread.pin": gettext_lazy("置顶或取消置顶讨论主题"),
        "discussion.thread.close": gettext_lazy("关闭或重新打开讨论主题"),
    }
)
NOTIFICATION_KINDS = notification_kinds(
    {
        "discussion_reply": gettext_lazy("讨论回复"),
        "discussion_answer": gettext_lazy("提问有了回答"),
        "discussion_accepted": gettext_lazy("回答被采纳"),
        "discussion_mention": gettext_lazy("讨论中有人@我"),
    }
)

# Sent after commit when a learner answers a discussion prompt, with ``run_id``, ``user_id`` and ``content_id``
# (the block's): the grading policy's 课堂讨论 category may listen (its rows are ``selectors.participation_for``).
participated = Signal()

EXCERPT = 60


def _member(actor: Actor, run: Run) -> User:
    """The actor, when they may post in the run's forum; PermissionDenied for everyone else."""
    if not signed_in(actor) or selectors.forum_role(actor, run) is None:
        raise PermissionDenied(_("只有本开课的学习者和教学团队可以发言"))
    return actor


def _teaching_team(actor: Actor, run: Run) -> User:
    if not signed_in(actor) or not selectors.is_teaching_team(actor, run):
        raise PermissionDenied(_("只有本开课的教学团队可以这样做"))
    return actor


def _excerpt(body: str) -> str:
    text = plain_text(body)
    return text if len(text) <= EXCERPT else text[:EXCERPT] + "…"


def _unit_of(run: Run, unit_id: str | None) -> uuid.UUID | None:
    if not unit_id:
        return None
    try:
        key = uuid.UUID(str(unit_id))
    except ValueError:
        raise ValidationError({"unit": [_("学习单元无效")]}) from None
    node = courses.find_node(courses.published_outline(course=run.course), str(key))
    if node is None or node.get("kind") != "unit":
        raise ValidationError({"unit": [_("本课程中没有这个学习单元")]})
    return key


def _mention(*, run: Run, author: User, post: Post, already: set[int]) -> int:
    """Notify the run's members named with @ in a post (the longest name that matches each @); returns how many."""
    text = plain_text(post.body)
    candidates = mention_candidates(text)
    members = {user.display_name: user for user in selectors.run_members_named(run=run, names=candidates)}
    if not members:
        return 0
    named: dict[int, User] = {}
    for word in sorted(candidates, key=len, reverse=True):
        user = members.get(word)
        if user is not None:
            named.setdefault(user.pk, user)
    recipients = [pk for pk in named if pk != author.pk and pk not in already]
    title = _("%(name)s 在“%(title)s”中提到了您") % {"name": str(author), "title": post.thread.title}
    return notify_many(
        messages=(
            Message(user_id=pk, title=title, body=_excerpt(post.body), url=post.get_absolute_url()) for pk in recipients
        ),
        kind="discussion_mention",
    )


@transaction.atomic
def thread_create(*, actor: Actor, run: Run, kind: str, title: str, body: str, unit_id: str | None = None) -> Thread:
    """A learner or teacher starts a discussion (讨论区) or asks a question (答疑区) in the run's forum, in general or
    about one unit of the course."""
    author = _member(actor, run)
    if kind not in (Thread.Kind.DISCUSSION, Thread.Kind.QUESTION):
        raise ValidationError({"kind": [_("请选择讨论或提问")]})
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for name, clean, value in (("title", clean_title, title), ("body", clean_body, body)):
        try:
            cleaned[name] = clean(value)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    unit = _unit_of(run, unit_id)
    now = timezone.now()
    thread = Thread(
        run=run,
        course_id=run.course_id,
        kind=kind,
        title=cleaned["title"],
        author=author,
        unit_content_id=unit,
        last_activity_at=now,
    )
    thread.full_clean()
    thread.save()
    post = Post(
        thread=thread,
        author=author,
        is_opening=True,
        by_staff=selectors.is_teaching_team(author, run),
        body=cleaned["body"],
    )
    post.full_clean()
    post.save()
    _mention(run=run, author=author, post=post, already=set())
    index_later(KIND, thread.pk)
    return thread


def _reply(*, author: User, thread: Thread, body: str, parent: Post | None) -> Post:
    """The reply row and the thread's counters. A reply to a reply stands under the reply it answers' parent (one
    level deep); ``post.replied_to`` keeps whom it answered, for the notification."""
    run = thread.run
    by_staff = selectors.is_teaching_team(author, run)
    if thread.closed and not by_staff:
        raise DomainError("thread_closed", _("该主题已关闭，不能再回复"))
    text = clean_body(body)
    replied_to = parent
    if parent is not None:
        if parent.thread_id != thread.pk:
            raise ValidationError({"parent": [_("回复的帖子不在这个主题中")]})
        if parent.is_opening:
            parent = replied_to = None  # answering the opening post is answering the thread
        elif parent.parent_id is not None:
            parent = Post.objects.get(pk=parent.parent_id)
    post = Post(thread=thread, author=author, parent=parent, by_staff=by_staff, body=text)
    post.replied_to = replied_to  # type: ignore[attr-defined]
    post.full_clean()
    post.save()
    changes: dict[str, Any] = {"reply_count": F("reply_count") + 1, "last_activity_at": post.created_at}
    if by_staff and thread.kind == Thread.Kind.QUESTION:
        changes["staff_replied"] = True
    Thread.objects.filter(pk=thread.pk).update(**changes)
    thread.reply_count += 1
    thread.last_activity_at = post.created_at
    thread.staff_replied = thread.staff_replied or bool(changes.get("staff_replied"))
    return post


def _notify_reply(*, author: User, thread: Thread, post: Post, parent_author_id: int | None) -> set[int]:
    """Tell the thread's author (an answer to a question, a reply to a discussion) and the author of the post
    replied to; returns who was told."""
    told: set[int] = set()
    url = post.get_absolute_url()
    excerpt = _excerpt(post.body)
    if thread.kind != Thread.Kind.PROMPT and thread.author_id != author.pk:
        question = thread.kind == Thread.Kind.QUESTION
        title = (_("您的提问“%(title)s”有了新回答") if question else _("您的主题“%(title)s”有了新回复")) % {
            "title": thread.title
        }
        notify(
            user=thread.author,
            title=title,
            body=excerpt,
            url=url,
            kind="discussion_answer" if question else "discussion_reply",
        )
        told.add(thread.author_id)
    if parent_author_id and parent_author_id != author.pk and parent_author_id not in told:
        parent_author = User.objects.get(pk=parent_author_id)
        notify(
            user=parent_author,
            title=_("%(name)s 回复了您在“%(title)s”中的发言") % {"name": str(author), "title": thread.title},
            body=excerpt,
            url=url,
            kind="discussion_reply",
        )
        told.add(parent_author_id)
    return told


@transaction.atomic
def reply_create(*, actor: Actor, thread: Thread, body: str, parent: Post | None = None) -> Post:
    """A member replies to a thread (or to one of its replies); the thread's author, the author replied to and
    anyone @mentioned are told. A closed thread takes replies from the teaching team only."""
    author = _member(actor, thread.run)
    if thread.kind == Thread.Kind.PROMPT:
        raise ValidationError({"thread": [_("课堂讨论请在学习单元中作答")]})
    if thread.hidden and not selectors.is_teaching_team(author, thread.run):
        raise DomainError("thread_hidden", _("该主题已被隐藏，不能回复"))
    post = _reply(author=author, thread=thread, body=body, parent=parent)
    replied_to = post.replied_to  # type: ignore[attr-defined]
    parent_author = replied_to.author_id if replied_to is not None else None
    told = _notify_reply(author=author, thread=thread, post=post, parent_author_id=parent_author)
    _mention(run=thread.run, author=author, post=post, already=told)
    index_later(KIND, thread.pk)
    return post


@transaction.atomic
def vote_toggle(*, actor: Actor, post: Post) -> bool:
    """Up-vote a post, or take the vote back (one per member); True when the post now has the actor's vote. Nobody
    votes for their own post."""
    voter = _member(actor, post.thread.run)
    if post.author_id == voter.pk:
        raise DomainError("own_post", _("不能赞同自己的发言"))
    deleted, _rows = Vote.objects.filter(post=post, user=voter).delete()
    if deleted:
        Post.objects.filter(pk=post.pk, vote_count__gt=0).update(vote_count=F("vote_count") - 1)
        post.vote_count = max(0, post.vote_count - 1)
        return False
    try:
        with transaction.atomic():
            Vote.objects.create(post=post, user=voter)
    except IntegrityError:  # a double click racing itself: the vote is there
        return True
    Post.objects.filter(pk=post.pk).update(vote_count=F("vote_count") + 1)
    post.vote_count += 1
    return True


@transaction.atomic
def thread_pin(*, actor: Actor, thread: Thread, pinned: bool) -> Thread:
    """The teaching team pins a thread to the top of its tab (or unpins it)."""
    _teaching_team(actor, thread.run)
    thread.pinned = bool(pinned)
    thread.save(update_fields=["pinned", "updated_at"])
    audit_record(action="discussion.thread.pin", actor=actor, obj=thread, detail={"pinned": thread.pinned})
    return thread


@transaction.atomic
def thread_close(*, actor: Actor, thread: Thread, closed: bool) -> Thread:
    """The teaching team closes a thread to further replies from learners (or opens it again)."""
    _teaching_team(actor, thread.run)
    thread.closed = bool(closed)
    thread.save(update_fields=["closed", "updated_at"])
    audit_record(action="discussion.thread.close", actor=actor, obj=thread, detail={"closed": thread.closed})
    return thread


@transaction.atomic
def answer_accept(*, actor: Actor, post: Post) -> Thread:
    """The teaching team or the asker marks a reply as a question's accepted answer (another one replaces it);
    the asker and the answer's author are told."""
    thread = post.thread
    user = _member(actor, thread.run)
    if thread.kind != Thread.Kind.QUESTION:
        raise DomainError("not_a_question", _("只有提问可以采纳回答"))
    if thread.author_id != user.pk and not selectors.is_teaching_team(user, thread.run):
        raise PermissionDenied(_("只有提问者和教学团队可以采纳回答"))
    if post.is_opening or post.is_hidden:
        raise DomainError("not_an_answer", _("这条发言不能被采纳"))
    if thread.accepted_post_id == post.pk:
        return thread
    thread.accepted_post = post
    thread.save(update_fields=["accepted_post", "updated_at"])
    url = post.get_absolute_url()
    if thread.author_id != user.pk:
        notify(
            user=thread.author,
            title=_("您的提问“%(title)s”的回答已被采纳") % {"title": thread.title},
            body=_excerpt(post.body),
            url=url,
            kind="discussion_accepted",
        )
    if post.author_id not in (user.pk, thread.author_id):
        notify(
            user=post.author,
            title=_("您在“%(title)s”中的回答被采纳了") % {"title": thread.title},
            body=_excerpt(post.body),
            url=url,
            kind="discussion_accepted",
        )
    index_later(KIND, thread.pk)
    return thread


# --- 课堂讨论: answers to a unit's discussion prompt -----------------------------------------------------------------


def _prompt_block(run: Run, content_id: str) -> dict[str, Any]:
    try:
        key = str(uuid.UUID(str(content_id)))
    except ValueError:
        raise ValidationError({"content_id": [_("内容标识无效")]}) from None
    block = courses.find_block(courses.published_outline(course=run.course), key)
    if block is None or block.get("type") != "discussion":
        raise ValidationError({"content_id": [_("本课程中没有这个课堂讨论")]})
    return block


@transaction.atomic
def prompt_reply(*, actor: Actor, run: Run, content_id: str, body: str) -> Post:
    """A learner answers a unit's discussion prompt (课堂讨论). The answer is a reply in the prompt's thread of the
    run (made by the first answer); it counts as participation (``Participation``, then the ``participated``
    signal after commit) and completes the block in the learner's progress."""
    author = _member(actor, run)
    block = _prompt_block(run, content_id)
    key = str(block["content_id"])
    thread = selectors.prompt_thread(run=run, content_id=key)
    if thread is None:
        title = (block.get("title") or plain_text(block["data"].get("prompt", "")))[:120] or _("课堂讨论")
        try:
            with transaction.atomic():
                thread = Thread.objects.create(
                    run=run,
                    course_id=run.course_id,
                    kind=Thread.Kind.PROMPT,
                    title=title,
                    author=author,
                    block_content_id=key,
                    last_activity_at=timezone.now(),
                )
        except IntegrityError:  # another learner's first answer made it a moment ago
            thread = Thread.objects.get(run=run, kind=Thread.Kind.PROMPT, block_content_id=key)
        thread.run = run
    post = _reply(author=author, thread=thread, body=body, parent=None)
    if selectors.forum_role(author, run) == selectors.LEARNER:
        _participate(run=run, user=author, content_id=key, at=post.created_at)
        course_services.progress_record(actor=author, run=run, content_id=key, opened=True, complete=True)
    _mention(run=run, author=author, post=post, already=set())
    return post


def _participate(*, run: Run, user: User, content_id: str, at: Any) -> None:
    updated = Participation.objects.filter(run=run, user=user, content_id=content_id).update(
        reply_count=F("reply_count") + 1, updated_at=timezone.now()
    )
    if not updated:
        try:
            with transaction.atomic():
                Participation.objects.create(
                    run=run, user=user, content_id=content_id, first_posted_at=at, reply_count=1
                )
        except IntegrityError:
            Participation.objects.filter(run=run, user=user, content_id=content_id).update(
                reply_count=F("reply_count") + 1
            )
    run_id, user_id = run.pk, user.pk
    transaction.on_commit(
        lambda: participated.send(sender=Participation, run_id=run_id, user_id=user_id, content_id=content_id)
    )
