"""Officer accounts for roster people: bulk creation with one-time initial codes, and account slips.

DESIGN §5a: no slow password hash at import. Each new account gets an unusable password and a random
12-character code (about 59 bits) stored as SHA-256; lms.roster.auth accepts the code until the officer
has set his own password.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.core import roles

from ..models import InitialCredential, Person
from .bulk import insert_rows, reserve_ids

# No 0/O, 1/I/L: codes are read off paper and typed on phones.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
_CODE_SPACE = len(CODE_ALPHABET) ** CODE_LENGTH


# 64 random bits give 23 whole copies of the code space; draws above them are rejected (no modulo bias).
_ACCEPT_BELOW = (2**64 // _CODE_SPACE) * _CODE_SPACE


def new_code() -> str:
    while True:
        number = int.from_bytes(secrets.token_bytes(8), "big")
        if number < _ACCEPT_BELOW:
            break
    number %= _CODE_SPACE
    chars = []
    for _position in range(CODE_LENGTH):
        number, digit = divmod(number, len(CODE_ALPHABET))
        chars.append(CODE_ALPHABET[digit])
    return "".join(chars)


def hash_code(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def code_matches(code: str, code_hash: str) -> bool:
    return hmac.compare_digest(hash_code(code), code_hash)


@dataclass(frozen=True)
class AccountSlip:
    """What HR hands an officer: where he sits, how to sign in, and his one-time code."""

    squad: str
    name: str
    username: str
    phone: str
    code: str


def split_name(name: str) -> tuple[str, str]:
    """Family name and given name; a Chinese family name is the first character (display joins them)."""
    return (name[:1], name[1:]) if len(name) > 1 else (name, "")


@transaction.atomic
def create_user_accounts(*, people: list[tuple[str, str, str, str]]) -> tuple[dict[str, int], list[AccountSlip]]:
    """Accounts for (id_number, name, squad name, phone): returns {id_number: user id} and the slips.

    Username = ID number, group 学员, must change password. A user that already has the ID number as
    username is reused (and gets a fresh code) instead of duplicated.
    """
    User = get_user_model()
    if not people:
        return {}, []
    usernames = dict(User.objects.values_list("username", "pk"))
    officer_group = Group.objects.get_or_create(name=roles.OFFICER)[0]
    reused = [p for p in people if p[0] in usernames]
    new = [p for p in people if p[0] not in usernames]
    now = timezone.now()
    unusable = make_password(None)  # a random "!…" marker: no hashing work
    ids = reserve_ids(User, len(new))
    user_fields = [
        "username", "last_name", "first_name", "email", "password", "is_superuser", "is_staff", "is_active",
        "date_joined", "must_change_password",
    ]
    rows = (
        (id_number, *split_name(name), "", unusable, False, False, True, now, True)
        for id_number, name, _squad, _phone in new
    )
    if ids is not None:
        user_fields = ["id", *user_fields]
        rows = ((pk, *row) for pk, row in zip(ids, rows, strict=True))
    insert_rows(User, user_fields, rows)
    if ids is None:
        created = dict(User.objects.filter(username__in=[p[0] for p in new]).values_list("username", "pk"))
    else:
        created = {p[0]: pk for p, pk in zip(new, ids, strict=True)}
    Membership = User.groups.through
    insert_rows(Membership, ["user_id", "group_id"], ((pk, officer_group.pk) for pk in created.values()))
    user_ids = {**{p[0]: usernames[p[0]] for p in reused}, **created}
    if reused:
        Membership.objects.bulk_create(
            [Membership(user_id=usernames[p[0]], group_id=officer_group.pk) for p in reused], ignore_conflicts=True
        )
        reused_ids = [usernames[p[0]] for p in reused]
        InitialCredential.objects.filter(user_id__in=reused_ids).delete()
        User.objects.filter(pk__in=reused_ids).update(must_change_password=True)
        unlock_usernames(p[0] for p in reused)
    slips = []
    credentials = []
    for id_number, name, squad, phone in people:
        code = new_code()
        slips.append(AccountSlip(squad=squad, name=name, username=id_number, phone=phone, code=code))
        credentials.append((user_ids[id_number], hash_code(code), now))
    insert_rows(InitialCredential, ["user_id", "code_hash", "issued_at"], credentials)
    return user_ids, slips


@transaction.atomic
def create_accounts(*, people: list[Person]) -> list[AccountSlip]:
    """Accounts for saved people that have none (demo data, hand-added people); links them."""
    people = [p for p in people if p.user_id is None]
    user_ids, slips = create_user_accounts(
        people=[(p.id_number, p.name, p.squad.name, p.phone) for p in people]
    )
    for person in people:
        person.user_id = user_ids[person.id_number]
    Person.objects.bulk_update(people, ["user"], batch_size=2000)
    return slips


def protected_account_ids(user_ids=None) -> set[int]:
    """Accounts that are more than an officer's (staff, superuser, any role or permission besides 学员).

    HR never changes these (no new code, no import change): a code for a trainer's account would let HR sign
    in as the trainer and read answer keys. Superusers manage them. There are few such accounts, so one query
    finds them all.
    """
    User = get_user_model()
    protected = User.objects.filter(
        Q(is_staff=True)
        | Q(is_superuser=True)
        | Q(user_permissions__isnull=False)
        | Q(groups__in=Group.objects.exclude(name=roles.OFFICER))
    )
    if user_ids is not None:
        protected = protected.filter(pk__in=list(user_ids))
    return set(protected.values_list("pk", flat=True).distinct())


def may_manage_account(actor, user_id: int) -> bool:
    return bool(actor is not None and actor.is_superuser) or user_id not in protected_account_ids([user_id])


@transaction.atomic
def issue_initial_codes(*, people: list[Person], actor=None) -> list[AccountSlip]:
    """Reissue one-time codes (an officer lost his slip): earlier codes stop working, a password change is due.

    PermissionDenied for an account with more than an officer's rights, unless `actor` is a superuser.
    """
    User = get_user_model()
    people = [p for p in people if p.user_id is not None]
    user_ids = [p.user_id for p in people]
    if not (actor is not None and actor.is_superuser) and protected_account_ids(user_ids):
        raise PermissionDenied(_("This account has staff rights; only a superuser may issue it a new code."))
    InitialCredential.objects.filter(user_id__in=user_ids).delete()
    User.objects.filter(pk__in=user_ids).update(must_change_password=True)
    slips, credentials = [], []
    for person in people:
        code = new_code()
        credentials.append(InitialCredential(user_id=person.user_id, code_hash=hash_code(code)))
        slips.append(AccountSlip(squad=person.squad.name, name=person.name, username=person.id_number,
                                 phone=person.phone, code=code))
    InitialCredential.objects.bulk_create(credentials)
    # A new code is how HR lets a locked-out officer back in: it lifts the sign-in lock too.
    unlock_usernames(User.objects.filter(pk__in=user_ids).values_list("username", flat=True))
    return slips


def unlock_usernames(usernames) -> None:
    from axes.models import AccessAttempt

    AccessAttempt.objects.filter(username__in=list(usernames)).delete()
