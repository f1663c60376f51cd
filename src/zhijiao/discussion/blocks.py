"""The 课堂讨论 block type: a prompt inside a unit that the run's learners answer.

The engine renders a block without knowing who reads it or in which run, so the block's template shows the prompt
and loads the reader's own answers and the answer form from this app (``discussion:block``), which finds the run
through the reader's enrolment. Without JavaScript, the same address is a page of its own.

Completion: the engine's progress state knows ``opened`` and ``watched``; the learning page reports only
``opened`` for a block like this one. Answering reports the block fully ``watched`` (``services.prompt_reply``), so
a discussion block counts as done when the learner has answered, not when the prompt scrolled past.
"""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijiao.courses.blocks import BlockType, Data

PROMPT_MAX = 2000


class DiscussionBlock(BlockType):
    name = "discussion"
    label = gettext_lazy("课堂讨论")
    template = "discussion/blocks/discussion.html"
    completion_label = gettext_lazy("发言即完成")

    def form_fields(self, *, course: Any) -> dict[str, forms.Field]:
        return {
            "prompt": forms.CharField(
                label=_("讨论题目"),
                max_length=PROMPT_MAX,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=_("学习者在单元里看到并作答的问题"),
            )
        }

    def clean(self, data: Mapping[str, Any]) -> Data:
        prompt = data.get("prompt", "")
        if not isinstance(prompt, str):
            raise ValidationError({"prompt": [_("应为文字")]})
        prompt = prompt.strip()
        if not prompt:
            raise ValidationError({"prompt": [_("请填写讨论题目")]})
        if len(prompt) > PROMPT_MAX:
            raise ValidationError({"prompt": [_("不能超过 %(n)d 个字") % {"n": PROMPT_MAX}]})
        return {"prompt": prompt}

    def is_complete(self, data: Mapping[str, Any], state: Mapping[str, Any]) -> bool:
        try:
            return float(state.get("watched", 0)) >= 1.0
        except (TypeError, ValueError):
            return False
