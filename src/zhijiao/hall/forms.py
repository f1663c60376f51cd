"""Forms of the hall's own pages: they only parse; the services check and write."""

from django import forms
from django.utils.translation import gettext_lazy as _


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=200)
