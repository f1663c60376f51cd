"""Threads in the unified search (``discussion.thread``): a thread's title, its opening post and its answers (the
accepted one and the most up-voted replies), found by the members of its run only.

Visibility is the audience key ``discussion.run:<id>``, which :func:`run_audience` gives the run's learners and
teaching team (registered with ``search.registry.register_audience``): nobody finds a forum they cannot open. The
``course`` filter keeps a search to one course, as the forum's search box does. Hidden threads and prompt threads
(answers to a unit's 课堂讨论, which read only in their unit) are not indexed.
"""

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zhijiao.core.params import parse_ids
from zhijiao.search.registry import Document, DocumentType, FilterField

from .models import Post, Thread
from .selectors import member_run_ids
from .text import plain_text

KIND = "discussion.thread"
ANSWERS_INDEXED = 20


def run_key(run_id: int) -> str:
    return f"discussion.run:{run_id}"


def run_audience(user: object) -> list[str]:
    """The audience keys of the runs a person is in (see the module docstring)."""
    return [run_key(run_id) for run_id in member_run_ids(user)]  # type: ignore[arg-type]


def _course_labels(values: Iterable[str]) -> dict[str, str]:
    from zhijiao.courses.models import Course

    ids = parse_ids(values)
    return {str(pk): title for pk, title in Course.objects.filter(pk__in=ids).values_list("pk", "title")}


class ThreadDocuments(DocumentType):
    kind = KIND
    model = Thread
    label = _("课程讨论")
    filters = (FilterField("course", _("课程"), _course_labels),)

    def queryset(self) -> QuerySet[Thread]:
        return Thread.objects.exclude(kind=Thread.Kind.PROMPT).select_related("course")

    def to_document(self, thread: Thread) -> Document | None:
        if thread.hidden or thread.kind == Thread.Kind.PROMPT:
            return None
        visible = Post.objects.filter(thread=thread, hidden_at__isnull=True)
        opening = visible.filter(is_opening=True).values_list("body", flat=True).first() or ""
        answers = list(
            visible.filter(is_opening=False)
            .order_by("-vote_count", "created_at")
            .values_list("pk", "body")[:ANSWERS_INDEXED]
        )
        if thread.accepted_post_id and thread.accepted_post_id not in {pk for pk, _body in answers}:
            accepted = visible.filter(pk=thread.accepted_post_id).values_list("pk", "body").first()
            if accepted:
                answers.insert(0, accepted)
        body = " ".join(plain_text(text) for text in [opening, *(text for _pk, text in answers)])
        return Document(
            kind=self.kind,
            object_id=str(thread.pk),
            title=thread.title,
            body=body,
            platform=thread.course.platform,
            type_label=str(thread.get_kind_display()),
            url=thread.get_absolute_url(),
            filters={"course": str(thread.course_id)},
            date=thread.last_activity_at or thread.created_at,
            popularity=float(thread.reply_count),
            visibility=[run_key(thread.run_id)],
        )
