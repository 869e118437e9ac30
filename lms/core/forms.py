from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class OfficerAuthenticationForm(AuthenticationForm):
    """Sign-in with user name, phone number or ID-card number (the roster app adds the last two)."""

    username = forms.CharField(
        label=_("User name, phone or ID number"),
        max_length=64,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The account or password is incorrect. Note that both are case-sensitive."),
    }
