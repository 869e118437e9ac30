"""Sign-in lockout on top of django-axes: failures count per resolved account and per address.

Sign-in accepts one account under many spellings (an ID number in either case or in full-width digits, the
phone number, a staff user name typed with full-width letters). Axes counts failures per user name it is
handed, so `axes_username` (AXES_USERNAME_CALLABLE) hands it the account's canonical user name: every
spelling shares one count and one lock. The handler adds the per-address count with its own, higher limit
(an exam hall shares one address behind NAT) and keeps a success of one person from wiping the failures that
another account collected from the same address.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render
from django.utils import timezone

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address, get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt

from lms.roster.auth import resolve_account
from lms.roster.positions import normalize_text

_RESOLVED = "_lms_axes_usernames"


def axes_username(request, credentials: dict | None = None) -> str | None:
    """AXES_USERNAME_CALLABLE: the canonical user name of the account typed, whatever its spelling."""
    typed = None
    if credentials:
        typed = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    if typed is None and request is not None:
        typed = getattr(request, "POST", {}).get(settings.AXES_USERNAME_FORM_FIELD)
    if not typed:
        return None
    memo = getattr(request, _RESOLVED, None) if request is not None else None
    if memo is not None and typed in memo:
        return memo[typed]
    user = resolve_account(typed)
    # An identifier that names no account is still counted, in its normalised spelling (AccessAttempt: 255 chars).
    username = user.get_username() if user is not None else normalize_text(typed)[:255]
    if request is not None:
        if memo is None:
            memo = {}
            setattr(request, _RESOLVED, memo)
        memo[typed] = username
    return username


def address_failure_limit() -> int:
    return getattr(settings, "AXES_ADDRESS_FAILURE_LIMIT", 30)


def _recent_attempts(request):
    return AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))


def _sum(queryset) -> int:
    return queryset.aggregate(total=Sum("failures_since_start"))["total"] or 0


def _unlock_time(queryset, limit: int, cool_off: timedelta) -> datetime | None:
    """When the failures still counted fall below `limit`: the newest failures are the last to expire."""
    counted = 0
    for attempt_time, failures in queryset.order_by("-attempt_time").values_list("attempt_time", "failures_since_start"):
        counted += failures
        if counted >= limit:
            return attempt_time + cool_off
    return None


@dataclass(frozen=True)
class LockState:
    account_failures: int
    address_failures: int
    tries_left: int
    locked_until: datetime | None
    by_address: bool

    @property
    def locked(self) -> bool:
        return self.tries_left <= 0

    @property
    def minutes_left(self) -> int:
        if self.locked_until is None:
            return 0
        return max(1, math.ceil((self.locked_until - timezone.now()).total_seconds() / 60))


def lock_state(request, credentials: dict | None = None) -> LockState:
    """How many failures the typed account and this address have, how many tries remain, and until when locked."""
    limit = get_failure_limit(request, credentials)
    address_limit = address_failure_limit()
    username = get_client_username(request, credentials)
    ip_address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    recent = _recent_attempts(request)
    account = recent.filter(username=username) if username else recent.none()
    address = recent.filter(ip_address=ip_address) if ip_address else recent.none()
    account_failures, address_failures = _sum(account), _sum(address)
    tries_left = min(limit - account_failures, address_limit - address_failures)
    locked_until, by_address = None, False
    if tries_left <= 0:
        cool_off = get_cool_off(request)
        until_account = _unlock_time(account, limit, cool_off) if account_failures >= limit else None
        until_address = _unlock_time(address, address_limit, cool_off) if address_failures >= address_limit else None
        locked_until = max(t for t in (until_account, until_address) if t is not None)
        by_address = until_account is None
    return LockState(account_failures, address_failures, max(tries_left, 0), locked_until, by_address)


class AccountAndAddressHandler(AxesDatabaseHandler):
    """Axes' database handler with two counts: per account (AXES_FAILURE_LIMIT) and per address (a higher limit)."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        # Axes compares one number with AXES_FAILURE_LIMIT; the address count is shifted so that it reaches
        # that limit exactly when it reaches its own.
        state = lock_state(request, credentials)
        shift = address_failure_limit() - get_failure_limit(request, credentials)
        return max(state.account_failures, state.address_failures - shift)

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        # A success resets the failures of the account that signed in, never those of its address: one
        # officer's sign-in must not clear the failures an attacker piled on another account from there.
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


def lockout_response(request, original_response=None, credentials: dict | None = None):
    """AXES_LOCKOUT_CALLABLE: the lockout page, saying how long the lock lasts and who can lift it."""
    state = lock_state(request, credentials)
    context = {
        "minutes_left": state.minutes_left,
        "locked_until": state.locked_until,
        "by_address": state.by_address,
        "cooloff_minutes": int(get_cool_off(request).total_seconds() // 60),
    }
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=settings.AXES_HTTP_RESPONSE_CODE)


def locked_usernames(*, request=None) -> dict[str, tuple[int, datetime | None]]:
    """Every user name locked now: {username: (failures, locked until)}."""
    limit = settings.AXES_FAILURE_LIMIT if isinstance(settings.AXES_FAILURE_LIMIT, int) else 5
    cool_off = get_cool_off(request)
    threshold = timezone.now() - cool_off
    recent = AccessAttempt.objects.filter(attempt_time__gte=threshold)
    totals = recent.values("username").annotate(total=Sum("failures_since_start")).filter(total__gte=limit)
    result = {}
    for row in totals:
        until = _unlock_time(recent.filter(username=row["username"]), limit, cool_off)
        result[row["username"]] = (row["total"], until)
    return result


def unlock_username(username: str) -> int:
    """Lift the lock of one account (every spelling shares its canonical user name)."""
    count, _ = AccessAttempt.objects.filter(username=username).delete()
    return count


UNLOCK_PERMISSION = "roster.change_person"


def can_unlock(actor, user) -> bool:
    """Superusers unlock anyone; HR (who manage the roster) unlock plain officers' accounts only."""
    from . import roles

    if actor.is_superuser:
        return True
    return actor.has_perm(UNLOCK_PERMISSION) and roles.holds_only_officer_role(user)


def unlock_account(*, actor, user) -> int:
    """Lift the sign-in lock of `user`, audited; PermissionDenied when `actor` may not manage that account."""
    from django.core.exceptions import PermissionDenied

    from . import audit

    if not can_unlock(actor, user):
        raise PermissionDenied
    count = unlock_username(user.get_username())
    audit.record(actor=actor, action="account.unlock", obj=user, summary=f"sign-in unlocked for {user}")
    return count
