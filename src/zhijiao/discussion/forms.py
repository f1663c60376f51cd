"""Forms of the forum pages. They only parse what people type; the rules (lengths, sanitising, who may post) live in
the services and come back as field errors named like these fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import BODY_MAX, REASON_MAX, TITLE_MAX, Thread

BODY_ATTRS = {"rows": 6}


class ThreadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=[(Thread.Kind.DISCUSSION, _("讨论")), (Thread.Kind.QUESTION, _("提问"))],
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=_("标题"), max_length=TITLE_MAX)
    body = forms.CharField(
        label=_("内容"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs=BODY_ATTRS),
        help_text=_("可用 @昵称 提到同学或老师"),
    )
    unit = forms.ChoiceField(label=_("所属学习单元"), required=False)

    def __init__(self, *args: object, units: list[tuple[str, str]] = (), **kwargs: object) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["unit"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("综合讨论（不限单元）")), *units]


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("回复内容"), max_length=BODY_MAX, widget=forms.Textarea(attrs=BODY_ATTRS))
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3}))


class QueueActionForm(forms.Form):
    """A row of the report queue: hide the post (a reason is required, the service checks it) or dismiss its
    reports."""

    HIDE = "hide"
    DISMISS = "dismiss"
    action = forms.ChoiceField(choices=[(HIDE, _("隐藏")), (DISMISS, _("驳回举报"))])
    reason = forms.CharField(label=_("处理说明"), max_length=REASON_MAX, required=False)
