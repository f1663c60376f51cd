"""Forms of the K-12 pages; they parse input only, the services decide."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhijiao.core.choosers import ChooserField, ChooserFormMixin
from zhijiao.orgs.models import Organization

from .models import Assignment, Column, Resource, Subject


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


class ResourceUploadForm(ChooserFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=Resource.Kind.choices)
    title = forms.CharField(label=_("标题"), max_length=120)
    description = forms.CharField(label=_("简介"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    teacher_name = forms.CharField(label=_("主讲教师"), max_length=50, required=False)
    school_name = forms.CharField(label=_("学校"), max_length=100, required=False)
    licence = forms.ChoiceField(label=_("许可"), choices=Resource.Licence.choices, initial=Resource.Licence.PLATFORM)
    tags = forms.CharField(label=_("标签"), max_length=200, required=False, help_text=_("用逗号分隔"))
    lesson = ChooserField(
        source="k12-lessons", label=_("课时"), required=False, help_text=_("输入课时名称后从列表中选择")
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


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class BatchForm(ChooserFormMixin, forms.Form):
    book = ChooserField(source="k12-books", label=_("教材"))
    title = forms.CharField(label=_("批次名称"), max_length=100, required=False)
    point_ids = ChooserField(
        source="k12-points",
        within={"book": "book"},  # the knowledge points of the book chosen above
        multiple=True,
        label=_("另外为这些知识点生成云码"),
        required=False,
        help_text=_("输入知识点名称后从列表中选择；留空则只为每个课时生成"),
    )

    def clean_point_ids(self) -> list[int]:
        return [point.pk for point in self.cleaned_data.get("point_ids") or []]


class RelinkForm(ChooserFormMixin, forms.Form):
    lesson = ChooserField(source="k12-lessons", label=_("课时"), required=False)
    point = ChooserField(source="k12-points", label=_("或知识点"), required=False)
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)
    confirm = forms.BooleanField(label=_("我确认修改已发布云码的指向"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and bool(data.get("lesson")) == bool(data.get("point")):
            raise forms.ValidationError(_("请选择一个课时或一个知识点"))
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


class AssignmentForm(ChooserFormMixin, forms.Form):
    purpose = forms.ChoiceField(label=_("用途"), choices=Assignment.Purpose.choices)
    lesson = ChooserField(source="k12-lessons-to-assign", label=_("课时"), required=False)
    collection = ChooserField(source="k12-collections", label=_("合集"), required=False)
    resource = ChooserField(source="k12-resources", label=_("资源"), required=False)
    due_date = forms.DateField(label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("标题"), max_length=120, required=False)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chooser_errors = {"lesson", "collection", "resource"} & set(self.errors)
        if not chooser_errors and not (data.get("lesson") or data.get("collection") or data.get("resource")):
            raise forms.ValidationError(_("请选择一个课时、合集或资源"))
        due = data.get("due_date")
        if due and due < timezone.localdate():
            self.add_error("due_date", _("截止日期不能早于今天"))
        return data


class CollectionForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=100)
    description = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    subject = forms.ModelChoiceField(label=_("学科"), queryset=Subject.objects.all(), required=False)


class CollectionAddForm(ChooserFormMixin, forms.Form):
    resource = ChooserField(source="k12-resources", label=_("资源"), help_text=_("输入资源标题后从列表中选择"))
