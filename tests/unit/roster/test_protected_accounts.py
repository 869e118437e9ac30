"""HR manages officers' accounts only (issue 15 item 3): no new code and no import change for an account that
is staff, superuser or holds any role besides officer; superusers manage those."""

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.urls import reverse

import pytest

from lms.core import roles
from lms.roster.models import InitialCredential, Person
from lms.roster.services.accounts import issue_initial_codes
from lms.roster.services.imports import import_roster
from tests.conftest import make_user
from tests.unit.roster.workbooks import id_number, person_row, simple_roster

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer_person():
    """A roster person whose account also holds the trainer role (a squad member who authors courses)."""
    assert import_roster(file=simple_roster([person_row(1, name="钱敏")]), filename="r.xlsx", dry_run=False).ok
    person = Person.objects.select_related("squad", "user").get()
    roles.sync_role_permissions()
    from django.contrib.auth.models import Group

    person.user.groups.add(Group.objects.get(name=roles.TRAINER))
    person.user.set_password("Trainer-Pass-2026")
    person.user.must_change_password = False
    person.user.save()
    return person


def test_hr_cannot_issue_a_code_for_an_account_with_trainer_rights(client, hr_user, trainer_person):
    before = list(InitialCredential.objects.values_list("pk", flat=True))
    client.force_login(hr_user)
    response = client.post(reverse("roster_reissue_code", args=[trainer_person.pk]))
    assert response.status_code in (302, 403)
    assert list(InitialCredential.objects.values_list("pk", flat=True)) == before
    trainer_person.user.refresh_from_db()
    assert trainer_person.user.must_change_password is False
    assert trainer_person.user.check_password("Trainer-Pass-2026")


def test_the_service_refuses_codes_for_staff_accounts_unless_a_superuser_asks(trainer_person, hr_user, superuser):
    with pytest.raises(PermissionDenied):
        issue_initial_codes(people=[trainer_person], actor=hr_user)
    (slip,) = issue_initial_codes(people=[trainer_person], actor=superuser)
    assert slip.code


@pytest.mark.parametrize("kind", ["staff", "superuser", "permission"])
def test_codes_are_refused_for_staff_superusers_and_extra_permissions(trainer_person, hr_user, kind):
    user = trainer_person.user
    user.groups.clear()
    if kind == "staff":
        user.is_staff = True
    elif kind == "superuser":
        user.is_superuser = True
    else:
        user.user_permissions.add(Permission.objects.get(codename="view_question"))
    user.save()
    with pytest.raises(PermissionDenied):
        issue_initial_codes(people=[trainer_person], actor=hr_user)


def test_plain_officers_still_get_new_codes_from_hr(hr_user):
    assert import_roster(file=simple_roster([person_row(2)]), filename="r.xlsx", dry_run=False).ok
    person = Person.objects.select_related("squad").get()
    (slip,) = issue_initial_codes(people=[person], actor=hr_user)
    assert slip.username == id_number(2)


def test_the_people_list_offers_no_new_code_for_a_trainer(client, hr_user, trainer_person):
    client.force_login(hr_user)
    page = client.get(reverse("roster_person:index")).content.decode()
    assert reverse("roster_reissue_code", args=[trainer_person.pk]) not in page


def test_an_import_that_would_take_over_a_staff_user_name_is_refused(hr_user):
    staff = make_user(id_number(3), roles.TRAINER)
    report = import_roster(file=simple_roster([person_row(3)]), filename="r.xlsx", dry_run=False, actor=hr_user)
    assert not report.ok
    assert any("超级管理员" in str(issue) for issue in report.errors)
    staff.refresh_from_db()
    assert not InitialCredential.objects.filter(user=staff).exists()
    assert staff.must_change_password is False
    assert Person.objects.count() == 0


def test_an_import_that_would_deactivate_a_trainers_account_is_refused(hr_user, trainer_person):
    report = import_roster(
        file=simple_roster([person_row(1, name="钱敏", status="离岗")]), filename="r.xlsx", dry_run=False,
        actor=hr_user,
    )
    assert not report.ok
    assert any("超级管理员" in str(issue) for issue in report.errors)
    trainer_person.user.refresh_from_db()
    assert trainer_person.user.is_active


def test_a_superuser_may_import_changes_to_staff_accounts(superuser, trainer_person):
    report = import_roster(
        file=simple_roster([person_row(1, name="钱敏", status="离岗")]), filename="r.xlsx", dry_run=False,
        actor=superuser,
    )
    assert report.ok, report.errors
    trainer_person.user.refresh_from_db()
    assert not trainer_person.user.is_active
