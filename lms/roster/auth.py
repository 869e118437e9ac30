"""Officer sign-in by user name, phone number or ID-card number, with the initial code on first login.

Accounts created by a roster import carry no slow password hash (DESIGN §5a): their first credential is
a one-time code stored as SHA-256 (`InitialCredential`). On the first successful sign-in with that code
the code becomes the account's real (slow-hashed) password, so the standard password-change form can
ask for it as the old password; ForcePasswordChangeMiddleware then makes the officer choose his own.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .positions import normalize_text
from .services.accounts import code_matches


class RosterAuthBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if not username or not password:
            return None
        for user in self._candidates(normalize_text(username)):
            if user.check_password(password):
                return user if self.user_can_authenticate(user) else None
            if user.must_change_password and self._initial_code_matches(user, password):
                if not self.user_can_authenticate(user):
                    return None
                # One slow hash, once per officer, now that he is actually signing in.
                user.set_password(password)
                user.save(update_fields=["password"])
                return user
        # Spend the same time as a real check so timing does not reveal which identifiers exist.
        get_user_model()().set_password(password)
        return None

    @staticmethod
    def _candidates(identifier: str) -> list:
        return candidate_accounts(identifier)

    @staticmethod
    def _initial_code_matches(user, code: str) -> bool:
        # RelatedObjectDoesNotExist is an AttributeError, so a user without a code gets None here.
        credential = getattr(user, "initial_credential", None)
        return credential is not None and code_matches(code, credential.code_hash)


def candidate_accounts(identifier: str) -> list:
    """The accounts a typed identifier names: a user name, an ID number (any case), or a phone held by one person.

    `identifier` must already be normalised (normalize_text): full-width input is half-width here.
    """
    User = get_user_model()
    user = User.objects.filter(username=identifier).first()
    if user is not None:
        return [user]
    by_id = User.objects.filter(person__id_number=identifier.upper()).first()
    if by_id is not None:
        return [by_id]
    # A phone number identifies someone only when exactly one person has it.
    by_phone = list(User.objects.filter(person__phone=identifier)[:2])
    return by_phone if len(by_phone) == 1 else []


def resolve_account(typed: str | None):
    """The one account a sign-in identifier names, whatever its spelling; None when it names none."""
    if not typed:
        return None
    candidates = candidate_accounts(normalize_text(typed))
    return candidates[0] if len(candidates) == 1 else None
