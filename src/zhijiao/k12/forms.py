"""Forms of the K-12 pages; they parse input only, the services decide."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhijiao.orgs.models import Organization

from .models import Assignment, Book, Column, Lesson, Resource, Subject


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ResourceUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=Resource.Kind.choices)
    title = forms.CharField(label=_("标题"), max_length=120)
    description = forms.CharField(label=_("简介"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    teacher_name = forms.CharField(label=_("主讲教师"), max_length=50, required=False)
    school_name = forms.CharField(label=_("学校"), max_length=100, required=False)
    licence = forms.ChoiceField(label=_("许可"), choices=Resource.Licence.choices, initial=Resource.Licence.PLATFORM)
    tags = forms.CharField(label=_("标签"), max_length=200, required=False, help_text=_("用逗号分隔"))
    lesson = forms.IntegerField(
        label=_("课时编号"), required=False, min_value=1, help_text=_("在课时页面的地址中可以看到")
    )
    column = forms.ChoiceField(label=_("栏目"), choices=[("", _("（不属于栏目）")), *Column.choices], required=False)
    subject = forms.ModelChoiceField(label=_("学科"), queryset=Subject.objects.all(), required=False)
    grade = forms.IntegerField(label=_("年级"), min_value=1, max_value=12, required=False)
    is_explanation = forms.BooleanField(label=_("这是本课的教师讲解视频"), required=False)
    file = forms.FileField(
        label=_("文件"), required=False, help_text=_("视频 MP4/WebM，音频 M4A/MP3/WAV，文档 PDF，电子书 EPUB/PDF")
    )
    poster = forms.FileField(label=_("封面图片"), required=False, help_text=_("PNG、JPEG 或 WebP"))
    images = MultipleFileField(label=_("图片"), required=False)
    url = forms.URLField(label=_("展馆链接"), required=False, assume_scheme="https")

    def clean_lesson(self) -> Lesson | None:
        value = self.cleaned_data.get("lesson")
        if not value:
            return None
        lesson = Lesson.objects.select_related("unit__book").filter(pk=value).first()
        if lesson is None:
            raise forms.ValidationError(_("没有这个课时"))
        return lesson


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class BatchForm(forms.Form):
    book = forms.ModelChoiceField(
        label=_("教材"),
        queryset=Book.objects.select_related("subject", "edition").order_by(
            "subject__stage", "subject__position", "edition__position", "grade", "position"
        ),
    )
    title = forms.CharField(label=_("批次名称"), max_length=100, required=False)
    point_ids = forms.CharField(
        label=_("另外为这些知识点生成云码"),
        required=False,
        help_text=_("知识点编号，用逗号分隔；留空则只为每个课时生成"),
    )

    def clean_point_ids(self) -> list[int]:
        text = self.cleaned_data.get("point_ids", "").replace("，", ",")
        try:
            return [int(part) for part in text.split(",") if part.strip()]
        except ValueError as exc:
            raise forms.ValidationError(_("请输入用逗号分隔的数字")) from exc


class RelinkForm(forms.Form):
    lesson = forms.IntegerField(label=_("课时编号"), required=False, min_value=1)
    point = forms.IntegerField(label=_("知识点编号"), required=False, min_value=1)
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)
    confirm = forms.BooleanField(label=_("我确认修改已发布云码的指向"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("lesson")) == bool(data.get("point")):
            raise forms.ValidationError(_("请填写一个课时编号或一个知识点编号"))
        return data


class ClassForm(forms.Form):
    school: forms.ModelChoiceField = forms.ModelChoiceField(label=_("学校"), queryset=Organization.objects.none())
    name = forms.CharField(label=_("班级名称"), max_length=60)
    grade = forms.IntegerField(label=_("年级"), min_value=1, max_value=12, required=False)

    def __init__(self, *args: Any, schools: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["school"]
        field.queryset = Organization.objects.filter(pk__in=[school.pk for school in schools])  # type: ignore[attr-defined]
        if len(schools) == 1:
            field.initial = schools[0].pk


class JoinForm(forms.Form):
    join_code = forms.CharField(label=_("班级码"), max_length=12)


class AddStudentForm(forms.Form):
    phone = forms.CharField(label=_("学生手机号码"), max_length=20)


class AssignmentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("用途"), choices=Assignment.Purpose.choices)
    lesson = forms.IntegerField(label=_("课时编号"), required=False, min_value=1)
    collection = forms.IntegerField(label=_("合集编号"), required=False, min_value=1)
    resource = forms.IntegerField(label=_("资源编号"), required=False, min_value=1)
    due_date = forms.DateField(label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("标题"), max_length=120, required=False)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("lesson") or data.get("collection") or data.get("resource")):
            raise forms.ValidationError(_("请填写课时、合集或资源编号中的一项"))
        due = data.get("due_date")
        if due and due < timezone.localdate():
            self.add_error("due_date", _("截止日期不能早于今天"))
        return data


class CollectionForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=100)
    description = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    subject = forms.ModelChoiceField(label=_("学科"), queryset=Subject.objects.all(), required=False)


class CollectionAddForm(forms.Form):
    resource = forms.IntegerField(label=_("资源编号"), min_value=1)
