"""The roster import with errors spread over several sheets, and with damaged workbooks."""

import io

from django.urls import reverse

import pytest

from lms.jobs.models import Upload
from lms.roster.models import Person
from lms.roster.services.imports import import_roster
from tests.damaged_files import DAMAGES
from tests.unit.roster.workbooks import HEADER, person_row, simple_roster, workbook_bytes

pytestmark = pytest.mark.django_db


def run(data: bytes, filename="花名册.xlsx"):
    return import_roster(file=io.BytesIO(data), filename=filename, dry_run=True, actor=None)


def test_errors_on_every_sheet_are_listed_in_one_go():
    without_position = [h for h in HEADER if h != "职务"]
    buffer = workbook_bytes({
        "一中队": [HEADER, person_row(1, phone="12345"), person_row(2)],
        "二中队": [HEADER, person_row(3, squad="东城二中队"), person_row(4, squad="东城二中队", position="局长")],
        "三中队": [without_position, person_row(5)[:7] + person_row(5)[8:]],
        "四中队": [HEADER, person_row(6, squad="东城四中队", category="临时")],
    })
    report = run(buffer.getvalue())
    found = {(e.sheet, e.row, e.column) for e in report.errors}
    assert found == {("一中队", 2, "手机号"), ("二中队", 3, "职务"), ("三中队", 1, ""), ("四中队", 2, "人员类别")}


def test_cross_sheet_checks_still_run_when_a_sheet_has_cell_errors():
    buffer = workbook_bytes({
        "一中队": [HEADER, person_row(1, phone="12345"), person_row(2)],
        "二中队": [HEADER, person_row(2, squad="东城二中队")],
    })
    report = run(buffer.getvalue())
    assert {(e.sheet, e.row, e.column) for e in report.errors} == {("一中队", 2, "手机号"), ("二中队", 2, "身份证号")}


@pytest.mark.parametrize("damage", DAMAGES.values(), ids=DAMAGES.keys())
def test_a_damaged_workbook_is_reported_as_damaged(damage):
    data = damage(simple_roster([person_row(n) for n in range(1, 40)]).getvalue())
    report = run(data, filename="坏的.xlsx")
    (error,) = report.errors
    assert "文件已损坏" in error.message and "坏的.xlsx" in error.message
    assert Person.objects.count() == 0


def _waiting_uploads() -> set:
    """Uploads waiting between preview and confirm (lms.jobs.uploads), each with whether its file is still stored."""
    return {(upload.pk, upload.file.storage.exists(upload.file.name)) for upload in Upload.objects.all()}


@pytest.mark.parametrize("damage", DAMAGES.values(), ids=DAMAGES.keys())
def test_the_admin_preview_of_a_damaged_workbook_says_so_and_removes_the_upload(client, hr_user, damage):
    client.force_login(hr_user)
    data = damage(simple_roster([person_row(n) for n in range(1, 40)]).getvalue())
    upload = io.BytesIO(data)
    upload.name = "坏的.xlsx"
    before = _waiting_uploads()
    response = client.post(reverse("roster_import"), {"file": upload}, follow=True)
    assert response.status_code == 200
    assert "文件已损坏" in response.content.decode()
    assert _waiting_uploads() == before
    assert "roster_import_pending" not in client.session


@pytest.mark.parametrize("damage", DAMAGES.values(), ids=DAMAGES.keys())
def test_the_import_command_reports_a_damaged_workbook_without_a_traceback(damage, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "坏的.xlsx"
    path.write_bytes(damage(simple_roster([person_row(1)]).getvalue()))
    errors = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_roster", str(path), stderr=errors)
    assert "文件已损坏" in errors.getvalue()
