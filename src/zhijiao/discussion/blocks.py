"""The 课堂讨论 block type: a prompt inside a unit that the run's learners answer.

The engine renders a block without knowing who reads it or in which run, so the block's template shows the prompt
and loads the reader's own answers and the answer form from this app (``discussion:block``), which finds the run
through the reader's enrolment. Without JavaScript, the same address is a page of its own.

A prompt may ask each learner for several answers (``min_posts``, 至少发言次数) for its full 课堂讨论 points; how
answers become points is ``services.grading``'s.

Completion is the service's: answering completes the block (``services.prompt_reply`` reports it ``complete``); a
learner's page reporting the prompt opened or "watched" does not.
"""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijiao.courses.blocks import BlockType, Data

PROMPT_MAX = 2000
# 至少发言次数: answers a prompt asks of each learner for its full 课堂讨论 points (``services.grading``).
DEFAULT_MIN_POSTS = 1
MAX_MIN_POSTS = 20


class DiscussionBlock(BlockType):
    name = "discussion"
    label = gettext_lazy("课堂讨论")
    template = "discussion/blocks/discussion.html"
    completion_label = gettext_lazy("发言即完成")
    completed_by_service = True

    def form_fields(self, *, course: Any) -> dict[str, forms.Field]:
        return {
            "prompt": forms.CharField(
                label=_("讨论题目"),
                max_length=PROMPT_MAX,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=_("学习者在单元里看到并作答的问题"),
            ),
            "min_posts": forms.IntegerField(
                label=_("至少发言次数"),
                required=False,
                min_value=1,
                max_value=MAX_MIN_POSTS,
                initial=DEFAULT_MIN_POSTS,
                help_text=_("发言达到这个次数得课堂讨论满分，不足按比例得分"),
            ),
        }

    def form_initial(self, data: Mapping[str, Any]) -> Data:
        return {"min_posts": DEFAULT_MIN_POSTS, **super().form_initial(data)}

    def clean(self, data: Mapping[str, Any]) -> Data:
        prompt = data.get("prompt", "")
        if not isinstance(prompt, str):
            raise ValidationError({"prompt": [_("应为文字")]})
        prompt = prompt.strip()
        if not prompt:
            raise ValidationError({"prompt": [_("请填写讨论题目")]})
        if len(prompt) > PROMPT_MAX:
            raise ValidationError({"prompt": [_("不能超过 %(n)d 个字") % {"n": PROMPT_MAX}]})
        min_posts = data.get("min_posts", DEFAULT_MIN_POSTS)
        if min_posts in (None, ""):
            min_posts = DEFAULT_MIN_POSTS
        if isinstance(min_posts, bool) or not isinstance(min_posts, int):
            raise ValidationError({"min_posts": [_("应为整数")]})
        if not 1 <= min_posts <= MAX_MIN_POSTS:
            raise ValidationError({"min_posts": [_("应在 1 到 %(n)d 之间") % {"n": MAX_MIN_POSTS}]})
        return {"prompt": prompt, "min_posts": min_posts}
