from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wagtail.admin.forms.auth import LoginForm


class TriesLeftMixin:
    """After a failed sign-in (axes has counted it while the form authenticated), say how many tries remain
    before the lock: on the officers' sign-in page and on the staff one alike."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError as refused:
            request = getattr(self, "request", None)
            if request is None or getattr(request, "axes_failures_since_start", None) is None:
                raise
            from .lockout import lock_state

            state = lock_state(request, {"username": self.data.get("username", "")})
            if not 0 < state.tries_left < settings.AXES_FAILURE_LIMIT:
                raise
            raise ValidationError([*refused.error_list, ValidationError(ngettext(
                "You can try %(count)d more time; then sign-in is paused for %(minutes)d minutes.",
                "You can try %(count)d more times; then sign-in is paused for %(minutes)d minutes.",
                state.tries_left,
            ) % {"count": state.tries_left, "minutes": round(settings.AXES_COOLOFF_TIME * 60)})]) from refused


class OfficerAuthenticationForm(TriesLeftMixin, AuthenticationForm):
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


class StaffLoginForm(TriesLeftMixin, LoginForm):
    """Wagtail's sign-in form (WAGTAILADMIN_USER_LOGIN_FORM) with the tries left after a failure."""
