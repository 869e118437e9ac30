"""Wagtail admin screens of the platform shell: accounts locked after failed sign-ins, and unlocking them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import lockout


def _require_unlock_rights(request) -> None:
    if not (request.user.is_superuser or request.user.has_perm(lockout.UNLOCK_PERMISSION)):
        raise PermissionDenied


def locked_accounts(request):
    _require_unlock_rights(request)
    locked = lockout.locked_usernames(request=request)
    users = get_user_model().objects.filter(username__in=locked).select_related("person", "person__squad")
    rows = []
    for user in users.order_by("username"):
        if not lockout.can_unlock(request.user, user):
            continue
        failures, until = locked[user.username]
        person = getattr(user, "person", None)
        rows.append({"user": user, "person": person, "failures": failures, "until": until})
    return TemplateResponse(request, "core/admin/locked_accounts.html", {"rows": rows})


@require_POST
def unlock(request):
    _require_unlock_rights(request)
    user = get_object_or_404(get_user_model(), username=request.POST.get("username", ""))
    lockout.unlock_account(actor=request.user, user=user)
    messages.success(request, _("Sign-in unlocked for %(name)s.") % {"name": user})
    return redirect("locked_accounts")
