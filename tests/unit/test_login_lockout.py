"""Sign-in lockout (issue 15 item 1): failures count per resolved account and per address, whatever spelling.

Sign-in accepts one officer as his ID number (either case, full-width too) or his phone, and a staff user
name in full-width letters; a lock must hold for every spelling, say how long it lasts and how many tries
remain, and be lifted by HR (officers), superusers (staff) or a new initial code.
"""

from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse

import pytest
from axes.models import AccessAttempt

from lms.core import roles
from lms.roster.models import Person
from lms.roster.services.accounts import issue_initial_codes
from lms.roster.services.imports import import_roster
from tests.conftest import make_user
from tests.unit.roster.workbooks import id_number, person_row, simple_roster

pytestmark = pytest.mark.django_db

PASSWORD = "Qiang-Xue-2026"
PHONE = "13912345678"


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def _id_with_check_letter() -> tuple[int, str]:
    n = next(n for n in range(1, 500) if id_number(n).endswith("X"))
    return n, id_number(n)


@pytest.fixture
def officer_id():
    """An imported officer whose ID number ends in X, with his own password set."""
    n, number = _id_with_check_letter()
    report = import_roster(file=simple_roster([person_row(n, phone=PHONE)]), filename="r.xlsx", dry_run=False)
    assert report.ok, report.issues
    user = get_user_model().objects.get(username=number)
    user.set_password(PASSWORD)
    user.must_change_password = False
    user.save()
    return number


def spellings(number: str) -> list[str]:
    return [number, number.lower(), _full_width(number), _full_width(number.lower()), PHONE, f" {number} "]


def login(client, username, password, ip="10.1.1.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_failures_under_different_spellings_count_against_one_account(client, officer_id):
    statuses = [
        # A different address each time: only the account's own count can lock it.
        login(client, spelling, "wrong", ip=f"10.0.0.{n + 1}").status_code
        for n, spelling in enumerate(spellings(officer_id)[:5])
    ]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks
    response = login(client, spellings(officer_id)[5], PASSWORD, ip="10.0.0.99")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("spelling_index", range(6))
def test_a_locked_account_stays_locked_under_every_spelling(client, officer_id, spelling_index):
    for _ in range(5):
        login(client, officer_id, "wrong")
    response = login(client, spellings(officer_id)[spelling_index], PASSWORD, ip="10.9.9.9")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_staff_full_width_user_name_counts_with_the_account(client):
    make_user("demo_trainer", roles.TRAINER)
    for n in range(5):
        login(client, "ｄemo_trainer" if n % 2 else "demo_trainer", "wrong", ip=f"10.0.1.{n}")
    assert login(client, "ｄｅｍｏ_trainer", "pass-Word-123", ip="10.0.1.50").status_code == 429
    # The Wagtail admin's sign-in is locked for the same account.
    response = client.post(
        reverse("wagtailadmin_login"), {"username": "demo_trainer", "password": "pass-Word-123"},
        REMOTE_ADDR="10.0.1.51",
    )
    assert response.status_code == 429


@override_settings(AXES_ADDRESS_FAILURE_LIMIT=8)
def test_failures_from_one_address_across_accounts_lock_the_address(client, officer_id):
    for n in range(8):
        login(client, f"guess{n}", "wrong", ip="10.5.5.5")
    assert login(client, officer_id, PASSWORD, ip="10.5.5.5").status_code == 429
    # The account itself is not locked: from another address the officer signs in.
    assert login(client, officer_id, PASSWORD, ip="10.5.5.6").status_code == 302


def test_a_shared_address_does_not_lock_after_a_few_failures_of_different_people(client, officer_id):
    make_user("officer2", roles.OFFICER)
    for n in range(5):
        login(client, f"someone{n}", "wrong", ip="10.6.6.6")
    assert login(client, "officer2", "pass-Word-123", ip="10.6.6.6").status_code == 302


def test_someone_elses_success_from_the_same_address_does_not_reset_an_accounts_failures(client, officer_id):
    make_user("officer2", roles.OFFICER)
    for _ in range(4):
        login(client, officer_id, "wrong", ip="10.7.7.7")
    assert login(client, "officer2", "pass-Word-123", ip="10.7.7.7").status_code == 302
    client.logout()
    login(client, officer_id, "wrong", ip="10.7.7.7")
    assert login(client, officer_id, PASSWORD, ip="10.7.7.8").status_code == 429


def test_the_login_page_says_how_many_tries_are_left(client, officer_id):
    login(client, officer_id, "wrong")
    response = login(client, officer_id.lower(), "wrong")
    text = response.content.decode()
    assert "账号或密码不正确" in text
    assert "还可尝试 3 次" in text


def test_the_staff_sign_in_says_how_many_tries_are_left_too(client):
    make_user("tries_trainer", roles.TRAINER)
    url = reverse("wagtailadmin_login")
    client.post(url, {"username": "tries_trainer", "password": "wrong"}, REMOTE_ADDR="10.0.2.1")
    response = client.post(url, {"username": "tries_trainer", "password": "wrong"}, REMOTE_ADDR="10.0.2.1")
    assert response.status_code == 200 and "还可尝试 3 次" in response.content.decode()
    assert client.post(url, {"username": "tries_trainer", "password": "pass-Word-123"},
                       REMOTE_ADDR="10.0.2.1").status_code == 302


def test_the_lockout_page_says_how_long_the_lock_lasts(client, officer_id):
    for _ in range(5):
        response = login(client, officer_id, "wrong")
    assert response.status_code == 429
    text = response.content.decode()
    assert "登录失败次数过多" in text
    assert "15 分钟" in text


def denied(response) -> bool:
    # Wagtail's admin turns PermissionDenied into a redirect to the dashboard with an error message.
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


def _lock(client, username):
    for n in range(5):
        login(client, username, "wrong", ip=f"10.8.8.{n}")
    assert AccessAttempt.objects.filter(username=username).exists()


def test_hr_unlocks_a_locked_officer(client, officer_id, hr_user):
    _lock(client, officer_id)
    client.force_login(hr_user)
    page = client.get(reverse("locked_accounts"))
    assert page.status_code == 200
    assert "队员" in page.content.decode()
    response = client.post(reverse("locked_accounts_unlock"), {"username": officer_id})
    assert response["Location"] == reverse("locked_accounts")
    client.logout()
    assert login(client, officer_id.lower(), PASSWORD).status_code == 302


def test_hr_cannot_unlock_a_staff_account(client, hr_user):
    make_user("trainer9", roles.TRAINER)
    _lock(client, "trainer9")
    client.force_login(hr_user)
    assert "trainer9" not in client.get(reverse("locked_accounts")).content.decode()
    assert denied(client.post(reverse("locked_accounts_unlock"), {"username": "trainer9"}))
    assert AccessAttempt.objects.filter(username="trainer9").exists()


def test_a_superuser_unlocks_a_staff_account(client, superuser):
    make_user("trainer9", roles.TRAINER)
    _lock(client, "trainer9")
    client.force_login(superuser)
    assert "trainer9" in client.get(reverse("locked_accounts")).content.decode()
    assert client.post(reverse("locked_accounts_unlock"), {"username": "trainer9"})["Location"] == reverse(
        "locked_accounts"
    )
    assert not AccessAttempt.objects.filter(username="trainer9").exists()


def test_officers_and_trainers_cannot_see_the_locked_accounts(client, officer, trainer):
    for user in (officer, trainer):
        client.force_login(user)
        assert denied(client.get(reverse("locked_accounts")))


def test_a_new_initial_code_unlocks_the_account(client, officer_id):
    _lock(client, officer_id)
    (slip,) = issue_initial_codes(people=[Person.objects.select_related("squad").get()])
    assert login(client, PHONE, slip.code).status_code == 302
