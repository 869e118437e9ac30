"""Officer accounts for roster people: bulk creation with one-time initial codes, and account slips."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from lms.core import roles

from ..models import InitialCredential, Person

# No 0/O, 1/I/L: codes are read off paper and typed on phones.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12  # 31**12 ≈ 2**59 possibilities: a fast hash is safe for a random code of this size
BATCH_SIZE = 2000


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


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
def create_accounts(*, people: list[Person]) -> list[AccountSlip]:
    """Give each person without an account a user (username = ID number) in the officer group.

    The password is unusable (no slow hashing); each account gets a one-time initial code, returned only
    here, for the slips. An existing unlinked user whose username is the ID number is linked, not duplicated.
    """
    User = get_user_model()
    people = [p for p in people if p.user_id is None]
    if not people:
        return []
    existing = User.objects.in_bulk([p.id_number for p in people], field_name="username")
    unusable = make_password(None)  # random "!…" marker, no hashing work
    new_users = []
    for person in people:
        if person.id_number in existing:
            continue
        last_name, first_name = split_name(person.name)
        new_users.append(
            User(
                username=person.id_number,
                last_name=last_name,
                first_name=first_name,
                password=unusable,
                must_change_password=True,
            )
        )
    User.objects.bulk_create(new_users, batch_size=BATCH_SIZE)
    if any(u.pk is None for u in new_users):  # backends that do not return ids from bulk inserts
        by_name = User.objects.in_bulk([u.username for u in new_users], field_name="username")
        new_users = [by_name[u.username] for u in new_users]
    users = {**existing, **{u.username: u for u in new_users}}
    officer_group = Group.objects.get_or_create(name=roles.OFFICER)[0]
    Membership = User.groups.through
    Membership.objects.bulk_create(
        [Membership(user_id=u.pk, group_id=officer_group.pk) for u in users.values()],
        batch_size=BATCH_SIZE,
        ignore_conflicts=True,
    )
    for person in people:
        person.user = users[person.id_number]
    Person.objects.bulk_update(people, ["user"], batch_size=BATCH_SIZE)
    return issue_initial_codes(people=people, fresh=True)


@transaction.atomic
def issue_initial_codes(*, people: list[Person], fresh: bool = False) -> list[AccountSlip]:
    """(Re)issue one-time codes for these people's accounts and require a password change.

    Used for new accounts (`fresh`: nothing to replace) and when an officer lost his slip; earlier codes
    stop working.
    """
    User = get_user_model()
    people = [p for p in people if p.user_id is not None]
    slips, credentials = [], []
    for person in people:
        code = new_code()
        credentials.append(InitialCredential(user_id=person.user_id, code_hash=hash_code(code)))
        slips.append(
            AccountSlip(
                squad=person.squad.name if person.squad_id else "",
                name=person.name,
                username=person.id_number,
                phone=person.phone,
                code=code,
            )
        )
    user_ids = [p.user_id for p in people]
    if not fresh:
        InitialCredential.objects.filter(user_id__in=user_ids).delete()
        User.objects.filter(pk__in=user_ids, must_change_password=False).update(must_change_password=True)
    InitialCredential.objects.bulk_create(credentials, batch_size=BATCH_SIZE)
    return slips
