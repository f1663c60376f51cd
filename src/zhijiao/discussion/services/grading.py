"""课堂讨论 in the run's grade: each discussion prompt of the run's published course is one assessment of the grading
policy's ``discussion`` category, reported through the course engine's one door (``courses.services.score_record``).

**The participation rule.** A prompt is worth ``POINTS`` (10) points. A learner earns them in proportion to their
visible answers to it, up to the prompt's ``min_posts`` (至少发言次数, 1 unless the teacher sets it on the block
form): with ``min_posts`` 2, one answer earns 5 and two or more earn 10. Only what is said counts, not how well —
the teaching team overrides a score in the gradebook (with a reason) when an answer deserves less. Hiding a
learner's answer takes it off their count and their score follows; showing it again puts it back. The teaching
team's own posts in a prompt count for nobody.

**When.** A learner's answer (and a hide or unhide) sends the ``participated`` signal after commit; its receiver
(:func:`participation_score`) reports that one learner's score at once. A run whose policy has no ``discussion``
category is skipped. So that learners see the prompts they have not answered yet as missing, the run learns of all
the prompts of its published course (:func:`prompts_register`) when its forum or one of its prompts is read — once
per run, published version and policy (a cache key of the three), never on every page view.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.cache import cache

from zhijiao.accounts.models import User
from zhijiao.courses import selectors as courses
from zhijiao.courses import services as course_services
from zhijiao.courses.models import Run

from ..blocks import DEFAULT_MIN_POSTS
from ..models import Participation

CATEGORY = "discussion"
SOURCE = "discussion.prompt"
POINTS = Decimal("10")
CENT = Decimal("0.01")
REGISTERED_FOR = 24 * 3600


def prompt_earned(*, answers: int, min_posts: int) -> Decimal:
    """Points for ``answers`` visible answers to a prompt that asks for ``min_posts``."""
    needed = max(1, int(min_posts or DEFAULT_MIN_POSTS))
    return (POINTS * min(max(answers, 0), needed) / needed).quantize(CENT, rounding=ROUND_HALF_UP)


def _counts(run: Run) -> bool:
    return courses.run_policy(run=run).category(CATEGORY) is not None


def _prompts(run: Run) -> list[dict[str, Any]]:
    if run.course.published_version_id is None:
        return []
    outline = courses.published_outline(course=run.course)
    return [
        block for node in courses.walk(outline["nodes"]) for block in node["blocks"] if block["type"] == "discussion"
    ]


def _title(block: dict[str, Any]) -> str:
    return str(block.get("title") or block["data"].get("prompt", ""))[:120]


def prompts_register(*, run: Run) -> int:
    """Tell the run's grades about every discussion prompt of its published course (they show as missing until
    answered); how many the run did not know yet. Nothing when the run's policy has no 课堂讨论 category."""
    if not _counts(run):
        return 0
    known = {str(item.content_id): item for item in courses.graded_items(run=run)}
    added = 0
    for block in _prompts(run):
        item = known.get(str(block["content_id"]))
        if item is not None and item.category == CATEGORY and item.possible == POINTS:
            continue
        course_services.graded_item_register(
            run=run, content_id=block["content_id"], category=CATEGORY, possible=POINTS, title=_title(block)
        )
        added += 1
    return added


def prompts_register_once(*, run: Run) -> None:
    """:func:`prompts_register`, once per run, published version of its course and policy (the run's
    ``updated_at`` moves when its policy is saved): what the forum and the prompt blocks call when read."""
    stamp = run.updated_at.timestamp() if run.updated_at else 0
    key = f"discussion.prompts:{run.pk}:{run.course.published_version_id}:{stamp}"
    if cache.get(key):
        return
    prompts_register(run=run)
    cache.set(key, True, REGISTERED_FOR)


def participation_score(*, run_id: int, user_id: int, content_id: str) -> Decimal | None:
    """Report one learner's 课堂讨论 score on one prompt from their participation; the points, or None when the run
    does not grade discussion, the prompt is no longer in the published course or the learner left the run."""
    run = Run.objects.select_related("course").filter(pk=run_id).first()
    if run is None or not _counts(run) or run.course.published_version_id is None:
        return None
    block = courses.find_block(courses.published_outline(course=run.course), str(content_id))
    if block is None or block.get("type") != "discussion":
        return None
    user = User.objects.filter(pk=user_id).first()
    if user is None or not courses.is_enrolled(user, run):
        return None
    row = Participation.objects.filter(run=run, user=user, content_id=content_id).only("reply_count").first()
    earned = prompt_earned(
        answers=row.reply_count if row else 0, min_posts=block["data"].get("min_posts", DEFAULT_MIN_POSTS)
    )
    course_services.score_record(
        run=run,
        user=user,
        content_id=block["content_id"],
        category=CATEGORY,
        earned=earned,
        possible=POINTS,
        source=SOURCE,
        title=_title(block),
    )
    return earned


def on_participated(sender: Any, *, run_id: int, user_id: int, content_id: str, **kwargs: Any) -> None:
    """The ``participated`` signal's receiver (connected in the app's ``ready``)."""
    participation_score(run_id=run_id, user_id=user_id, content_id=content_id)
