"""The review kind the engine brings itself: 通用评审, for calls that need no metadata beyond keywords (a teaching
reform project, a textbook recommendation); accepted entries get ``PS-<year>-<n>`` numbers and nothing else."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import kinds

GENERAL = "general"


class GeneralMetadataForm(forms.Form):
    keywords = forms.CharField(label=_("关键词"), max_length=100, help_text=_("3–5 个，用逗号或顿号分隔"))
    period = forms.CharField(label=_("实施周期"), max_length=50, required=False)


def register_kind() -> kinds.ReviewKind:
    return kinds.register(
        kinds.ReviewKind(
            code=GENERAL,
            label=_("通用评审"),
            accession_prefix="PS",
            metadata_form=GeneralMetadataForm,
            on_accept=None,
        )
    )
