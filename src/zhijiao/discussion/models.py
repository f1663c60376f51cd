"""The tables of a run's discussion (讨论区), Q&A (答疑区) and in-unit discussion prompts (课堂讨论).

A forum belongs to one run (开课) of a course, as on the MOOC platforms: the learners of the 2026 autumn run talk
among themselves and with that run's teaching team, and a new run starts with an empty forum. A thread is general,
attached to a unit (by the unit's stable ``content_id``, so it survives new published versions), or the one thread
of a discussion block (``block_content_id``) where the run's learners answer the block's prompt.

The opening text of a thread is its first ``Post`` (``is_opening``), so votes, reports and hiding work the same on
it as on replies. Counters (replies, votes, reports) are kept by the services with ``F()`` updates, so lists never
count rows. Workflows live in ``services``; these models hold fields and invariants only.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhijiao.core.models import BaseModel

TITLE_MAX = 120
BODY_MAX = 10_000
REASON_MAX = 500


class Thread(BaseModel):
    """A discussion, a question, or the replies to a unit's discussion prompt, in one run."""

    class Kind(models.TextChoices):
        DISCUSSION = "discussion", _("讨论")
        QUESTION = "question", _("提问")
        PROMPT = "prompt", _("课堂讨论")

    run = models.ForeignKey("courses.Run", on_delete=models.CASCADE, related_name="threads", verbose_name=_("开课"))
    # The run's course, kept on the thread: search filters and the admin list by course without a join.
    course = models.ForeignKey(
        "courses.Course", on_delete=models.CASCADE, related_name="threads", verbose_name=_("课程")
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.DISCUSSION)
    title = models.CharField(_("标题"), max_length=TITLE_MAX)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="discussion_threads", verbose_name=_("作者")
    )
    unit_content_id = models.UUIDField(_("所属学习单元"), null=True, blank=True)
    block_content_id = models.UUIDField(_("课堂讨论内容块"), null=True, blank=True)
    pinned = models.BooleanField(_("置顶"), default=False)
    closed = models.BooleanField(_("已关闭"), default=False)
    hidden = models.BooleanField(_("已隐藏"), default=False, help_text=_("首帖被隐藏时为是"))
    accepted_post = models.ForeignKey(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("采纳的回答")
    )
    staff_replied = models.BooleanField(_("教学团队已回复"), default=False)
    reply_count = models.PositiveIntegerField(_("回复数"), default=0)
    last_activity_at = models.DateTimeField(_("最后活动时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("讨论主题")
        verbose_name_plural = _("讨论主题")
        ordering = ["-pinned", "-last_activity_at", "-id"]
        indexes = [
            models.Index(fields=["run", "kind", "-pinned", "-last_activity_at"], name="discussion_thread_list"),
            models.Index(fields=["run", "kind", "created_at"], name="discussion_thread_queue"),
        ]
        constraints = [
            # One prompt thread per discussion block and run: every learner's answer lands in the same place.
            models.UniqueConstraint(
                fields=["run", "block_content_id"],
                condition=Q(kind="prompt"),
                name="discussion_thread_one_prompt",
            ),
            models.CheckConstraint(
                condition=~Q(kind="prompt") | Q(block_content_id__isnull=False), name="discussion_prompt_has_block"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("discussion:thread", args=[self.pk])


class Post(BaseModel):
    """The opening text of a thread or a reply to it; a reply may answer one reply (one level deep)."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts", verbose_name=_("主题"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="discussion_posts", verbose_name=_("作者")
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children", verbose_name=_("回复的帖子")
    )
    is_opening = models.BooleanField(_("首帖"), default=False)
    by_staff = models.BooleanField(_("教学团队发帖"), default=False)
    body = models.TextField(_("内容"), max_length=BODY_MAX * 2, help_text=_("经过清理的 HTML"))
    vote_count = models.PositiveIntegerField(_("赞同数"), default=0)
    report_count = models.PositiveIntegerField(_("举报数"), default=0)
    hidden_at = models.DateTimeField(_("隐藏时间"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("隐藏人"),
    )
    hidden_reason = models.CharField(_("隐藏原因"), max_length=REASON_MAX, blank=True)

    class Meta:
        verbose_name = _("帖子")
        verbose_name_plural = _("帖子")
        ordering = ["thread", "created_at", "id"]
        indexes = [
            models.Index(fields=["thread", "parent", "created_at", "id"], name="discussion_post_page"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(is_opening=True, parent__isnull=False), name="discussion_opening_top"),
        ]

    def __str__(self) -> str:
        return f"{self.thread} #{self.pk}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    def get_absolute_url(self) -> str:
        return f"{self.thread.get_absolute_url()}#post-{self.pk}"


class Vote(BaseModel):
    """One member's up-vote of a post (one each; voting again takes it back)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="votes", verbose_name=_("帖子"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="discussion_votes", verbose_name=_("赞同人")
    )

    class Meta:
        verbose_name = _("赞同")
        verbose_name_plural = _("赞同")
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="discussion_vote_once")]

    def __str__(self) -> str:
        return f"{self.user} → {self.post_id}"


class Report(BaseModel):
    """A member's report (举报) of a post, with a reason, for the teaching team and the platform's staff."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports", verbose_name=_("帖子"))
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="discussion_reports", verbose_name=_("举报人")
    )
    reason = models.CharField(_("举报原因"), max_length=REASON_MAX)
    resolved = models.BooleanField(_("已处理"), default=False)

    class Meta:
        verbose_name = _("举报")
        verbose_name_plural = _("举报")
        ordering = ["resolved", "-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["post", "reporter"], name="discussion_report_once")]

    def __str__(self) -> str:
        return f"{self.reporter} → {self.post_id}"


class Participation(BaseModel):
    """A learner's part in one discussion prompt (课堂讨论) of a run: when they first answered and how often.
    The grading policy's 课堂讨论 category reads these rows (``selectors.participation_for``)."""

    run = models.ForeignKey(
        "courses.Run", on_delete=models.CASCADE, related_name="discussion_participation", verbose_name=_("开课")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("学习者")
    )
    content_id = models.UUIDField(_("讨论内容块"))
    first_posted_at = models.DateTimeField(_("首次发言时间"))
    reply_count = models.PositiveIntegerField(_("发言次数"), default=0)

    class Meta:
        verbose_name = _("课堂讨论参与")
        verbose_name_plural = _("课堂讨论参与")
        ordering = ["run", "user", "first_posted_at"]
        constraints = [
            models.UniqueConstraint(fields=["run", "user", "content_id"], name="discussion_participation_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.content_id} ×{self.reply_count}"
