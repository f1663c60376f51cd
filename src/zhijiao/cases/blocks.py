"""The ``case`` block type: a teacher attaches a library case to a unit of their course.

The block stores the case's id; learners see the case's card (type, category, title, abstract) and open the case
page from it, where the library's rules decide what they read (``selectors``: full texts for teachers and students
of member universities), so any course's teaching team may attach a case: what it shows to everyone is the
public abstract. The teacher names the case by its 入库编号 (or its number); opening the block counts it done.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijiao.courses.blocks import BlockType, Data

from .models import Case


class CaseBlock(BlockType):
    name = "case"
    label = gettext_lazy("教学案例")
    template = "cases/blocks/case.html"

    def form_fields(self, *, course: Any) -> dict[str, forms.Field]:
        return {
            "case": forms.CharField(
                label=_("案例"),
                max_length=32,
                help_text=_("案例的入库编号，或案例页地址中的编号"),
            ),
            "note": forms.CharField(label=_("教师提示"), max_length=200, required=False),
        }

    def form_initial(self, data: Mapping[str, Any]) -> Data:
        case_id = data.get("case_id")
        case = Case.objects.filter(pk=int(case_id)).only("accession_no").first() if isinstance(case_id, int) else None
        return {"case": case.accession_no if case else "", "note": data.get("note", "")}

    def form_data(self, cleaned: Mapping[str, Any]) -> Data:
        return {"case": cleaned.get("case", ""), "note": cleaned.get("note", "")}

    def clean(self, data: Mapping[str, Any]) -> Data:
        reference = data.get("case_id", data.get("case", ""))
        if isinstance(reference, bool) or not isinstance(reference, int | str) or reference in ("", None):
            raise ValidationError({"case": [_("请填写案例的入库编号")]})
        text = str(reference).strip()
        case = (
            Case.objects.filter(status=Case.Status.PUBLISHED)
            .filter(pk=int(text) if text.isdigit() and len(text) < 12 else -1)
            .first()
            or Case.objects.filter(status=Case.Status.PUBLISHED, accession_no=text).first()
        )
        if case is None:
            raise ValidationError({"case": [_("案例库中没有这个案例")]})
        note = data.get("note", "")
        if not isinstance(note, str) or len(note.strip()) > 200:
            raise ValidationError({"note": [_("不能超过 %(n)d 个字") % {"n": 200}]})
        return {"case_id": case.pk, "note": note.strip()}

    def context(self, block: Mapping[str, Any], *, urls: Mapping[str, str], assets: Mapping[str, Any]) -> Data:
        case_id = (block.get("data") or {}).get("case_id")
        if not isinstance(case_id, int):
            return {"case": None}
        case = Case.objects.filter(pk=case_id, status=Case.Status.PUBLISHED).first()
        return {"case": case}
