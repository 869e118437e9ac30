"""Wagtail's own list exports escape formula cells as our exports do (issue 15 item 5)."""

import csv
import io

from django.urls import reverse

import pytest
from openpyxl import load_workbook

from lms.roster.models import Category, OrgUnit, Person
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

PAYLOADS = ['=HYPERLINK("http://evil.example/x","点我")', "@SUM(1+1)*cmd|' /C calc'!A0", "+1+1", "-2+3",
            "\tTAB", "\rCR"]


@pytest.fixture
def people():
    squad = OrgUnit.objects.create(code="SQ", name="=1+1中队", kind=OrgUnit.Kind.SQUAD)
    for n, payload in enumerate(PAYLOADS):
        Person.objects.create(name=payload, id_number=f"11010119900101{n:04d}", squad=squad, phone=payload[:20],
                              position="enforcement_officer", category=Category.STAFF)


def _cells_csv(response) -> list[str]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return [cell for row in list(csv.reader(io.StringIO(text)))[1:] for cell in row]


def _cells_xlsx(response) -> list:
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [cell.value for row in list(workbook.active.iter_rows())[1:] for cell in row]


def _unsafe(cells) -> list:
    return [c for c in cells if isinstance(c, str) and c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_the_people_csv_export_escapes_formula_cells(client, hr_user, people):
    client.force_login(hr_user)
    response = client.get(reverse("roster_person:index") + "?export=csv")
    assert response.status_code == 200
    cells = _cells_csv(response)
    assert "'" + PAYLOADS[0] in cells
    assert _unsafe(cells) == []


def test_the_people_xlsx_export_escapes_formula_cells(client, hr_user, people):
    client.force_login(hr_user)
    response = client.get(reverse("roster_person:index") + "?export=xlsx")
    assert response.status_code == 200
    cells = _cells_xlsx(response)
    assert "'" + PAYLOADS[0] in cells
    assert _unsafe(cells) == []


def test_wagtail_report_exports_escape_formula_cells(client, superuser):
    from wagtail.models import Page

    root = Page.objects.get(depth=1)
    page = root.add_child(title='=HYPERLINK("http://evil.example")', slug="evil")
    page.save_revision(user=superuser).publish()
    page.locked = True
    page.locked_by = make_user("=cmd|'/C calc'!A0")
    page.save()
    client.force_login(superuser)
    for url in ("/admin/reports/locked/?export=csv", "/admin/reports/site-history/?export=csv",
                "/admin/reports/aging-pages/?export=csv"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _unsafe(_cells_csv(response)) == [], url
