"""The forms of the teachers' authoring pages: a new course, its about page, the outline's items, one form per
block type (from the registry in ``blocks.py``), publishing and copies."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijiao.core.choosers import ChooserField, ChooserFormMixin
from zhijiao.core.params import parse_ids

from .blocks import BlockType
from .models import CourseLevel

TEXTAREA = {"rows": 4}


class CourseCreateForm(forms.Form):
    title = forms.CharField(label=_("课程名称"), max_length=120)
    summary = forms.CharField(label=_("简介"), max_length=2000, required=False, widget=forms.Textarea(attrs=TEXTAREA))


class AboutForm(ChooserFormMixin, forms.Form):
    title = forms.CharField(label=_("课程名称"), max_length=120)
    summary = forms.CharField(label=_("简介"), max_length=2000, required=False, widget=forms.Textarea(attrs=TEXTAREA))
    university = ChooserField(source="universities", label=_("开课学校"), required=False)
    discipline = ChooserField(
        source="disciplines", label=_("一级学科"), required=False, help_text=_("按学科门类分组，可输入名称或代码")
    )
    level = forms.ChoiceField(label=_("层次"), choices=CourseLevel.choices)
    credit_hours = forms.IntegerField(label=_("学时"), min_value=0, max_value=10000)
    credits = forms.DecimalField(label=_("学分"), min_value=0, max_digits=3, decimal_places=1)
    cover = forms.FileField(label=_("封面"), required=False, help_text=_("PNG、JPEG 或 WebP，不超过 5 MB"))
    remove_cover = forms.BooleanField(label=_("删除现有封面"), required=False)
    intro_video = forms.FileField(label=_("介绍视频"), required=False, help_text=_("MP4 或 WebM"))
    remove_intro_video = forms.BooleanField(label=_("删除现有介绍视频"), required=False)
    syllabus = forms.CharField(
        label=_("教学大纲"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("可使用 HTML 标记（标题、段落、列表、链接）；脚本和样式会被去除"),
    )
    prerequisites = forms.CharField(
        label=_("先修要求"), max_length=1000, required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    tags = forms.CharField(label=_("标签"), max_length=300, required=False, help_text=_("用逗号或顿号分隔"))
    first_class_year = forms.IntegerField(
        label=_("国家级一流课程认定年份"), required=False, help_text=_("不是国家级一流课程请留空")
    )

    def tag_list(self) -> list[str]:
        import re

        return [tag for tag in re.split(r"[,，、;；\s]+", self.cleaned_data.get("tags") or "") if tag]


class NodeAddForm(forms.Form):
    kind = forms.ChoiceField(choices=[("chapter", "chapter"), ("section", "section"), ("unit", "unit")])
    parent = forms.IntegerField(required=False)
    title = forms.CharField(label=_("标题"), max_length=120)


class TitleForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=120)


class MoveForm(forms.Form):
    step = forms.TypedChoiceField(choices=[("-1", "up"), ("1", "down")], coerce=int)
    seen = forms.CharField(max_length=5000)

    def seen_ids(self) -> list[int]:
        return parse_ids(self.cleaned_data["seen"].split(","), limit=10_000)


class PublishForm(forms.Form):
    note = forms.CharField(label=_("发布说明"), max_length=200, required=False, help_text=_("如“新增第三章”"))
    revision = forms.IntegerField(widget=forms.HiddenInput)


class CourseCopyForm(forms.Form):
    title = forms.CharField(
        label=_("新课程名称"), max_length=120, required=False, help_text=_("留空则为“原名（副本）”")
    )


class NodeCopyForm(forms.Form):
    target = forms.ChoiceField(label=_("复制到"))

    def __init__(self, *args: Any, targets: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["target"]
        field.choices = [(target.value, target.label) for target in targets]


def block_form_class(block_type: BlockType, *, course: Any, existing: dict[str, Any] | None = None) -> type[forms.Form]:
    """The form for one block type: a title, the type's data fields (``BlockType.form_fields``) and one file field
    per slot, named as the slot (required for a required slot until it holds a file; an optional slot that holds one
    can be cleared)."""
    existing = existing or {}
    fields: dict[str, forms.Field] = {"title": forms.CharField(label=_("标题"), max_length=120, required=False)}
    fields.update(block_type.form_fields(course=course))
    for slot in block_type.files:
        formats = "、".join(fmt.label for fmt in slot.formats)
        fields[slot.name] = forms.FileField(
            label=str(slot.label), required=slot.required and not existing.get(slot.name), help_text=formats
        )
        if not slot.required and existing.get(slot.name):
            fields[f"clear_{slot.name}"] = forms.BooleanField(label=_("删除现有文件"), required=False)
    form_class: type[forms.Form] = type(f"{block_type.name.title()}BlockForm", (forms.Form,), dict(fields))
    return form_class
