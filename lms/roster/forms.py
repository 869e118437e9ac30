"""Admin forms of the roster app."""

from django import forms
from django.utils.translation import gettext_lazy as _


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Roster workbook (.xlsx)"),
        help_text=_("Use the import template; several sheets (e.g. one per squad) are fine."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
