"""Officer accounts from the roster: sign-in by ID number or phone with the one-time initial code."""

from django.contrib.auth import authenticate as django_authenticate
from django.test import RequestFactory
from django.urls import reverse

import pytest
from pypdf import PdfReader

from lms.roster.models import InitialCredential, Person
from lms.roster.services.accounts import issue_initial_codes
from lms.roster.services.imports import import_roster
from lms.roster.slips import write_slips_pdf, write_slips_xlsx
from tests.unit.roster.workbooks import id_number, person_row, simple_roster

pytestmark = [pytest.mark.django_db, pytest.mark.dual_db]  # COPY path on PostgreSQL, bulk_create on SQLite


def authenticate(*, username, password):
    # django-axes (first backend) needs a request to count failures against.
    return django_authenticate(RequestFactory().post("/accounts/login/"), username=username, password=password)


@pytest.fixture
def slip():
    report = import_roster(file=simple_roster([person_row(1, phone="13912345678")]), filename="r.xlsx", dry_run=False)
    assert report.ok
    return report.slips[0]


def test_initial_codes_are_stored_only_as_sha256(slip):
    credential = InitialCredential.objects.get()
    assert slip.code not in credential.code_hash and len(credential.code_hash) == 64


def test_sign_in_with_id_number_phone_or_lower_case_check_letter_and_the_initial_code(slip):
    assert authenticate(username=id_number(1), password=slip.code) is not None
    assert authenticate(username="13912345678", password=slip.code) is not None
    assert authenticate(username=id_number(1).lower(), password=slip.code) is not None
    assert authenticate(username=id_number(1), password="WRONGCODE123") is None


def test_the_initial_code_stops_working_once_the_officer_sets_his_password(client, slip):
    response = client.post(reverse("login"), {"username": "13912345678", "password": slip.code})
    assert response.status_code == 302
    assert client.get(reverse("courses:my_learning"))["Location"] == reverse("password_change")
    response = client.post(
        reverse("password_change"),
        {"old_password": slip.code, "new_password1": "Qiang-Xue-2026", "new_password2": "Qiang-Xue-2026"},
    )
    assert response.status_code == 302
    client.logout()
    assert authenticate(username=id_number(1), password=slip.code) is None
    assert authenticate(username=id_number(1), password="Qiang-Xue-2026") is not None


def test_reissued_code_replaces_the_old_one(slip):
    person = Person.objects.select_related("squad").get()
    (new_slip,) = issue_initial_codes(people=[person])
    assert authenticate(username=id_number(1), password=slip.code) is None
    assert authenticate(username=id_number(1), password=new_slip.code) is not None


def test_a_phone_shared_by_two_accounts_does_not_sign_in(slip):
    other = import_roster(file=simple_roster([person_row(1, phone="13912345678"), person_row(2)]), filename="r.xlsx",
                          dry_run=False)
    Person.objects.filter(id_number=id_number(2)).update(phone="13912345678")
    assert other.ok
    assert authenticate(username="13912345678", password=slip.code) is None


def test_slips_in_excel_and_pdf_carry_the_code(slip, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "s.xlsx"
    path.write_bytes(write_slips_xlsx([slip]))
    assert load_workbook(path).active.cell(row=2, column=5).value == slip.code
    pdf = tmp_path / "s.pdf"
    pdf.write_bytes(write_slips_pdf([slip]))
    text = PdfReader(str(pdf)).pages[0].extract_text()
    assert slip.code in text and "初始登录码" in text
