"""import_roster / export_roster command-line contracts (DESIGN §6)."""

import io

from django.core.management import CommandError, call_command

import pytest
from openpyxl import load_workbook

from lms.roster.models import Person
from tests.unit.roster.workbooks import id_number, person_row, simple_roster

pytestmark = pytest.mark.django_db


def write(tmp_path, buffer, name="roster.xlsx"):
    path = tmp_path / name
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_bad_file_exits_non_zero_and_prints_every_error_with_sheet_and_row(tmp_path, capsys):
    path = write(tmp_path, simple_roster([person_row(1, phone="1"), person_row(2, position="局长"), person_row(3)]))
    with pytest.raises(CommandError, match="2"):
        call_command("import_roster", path)
    err = capsys.readouterr().err
    assert "“花名册”" in err and "第 2 行" in err and "第 3 行" in err
    assert Person.objects.count() == 0


def test_dry_run_writes_nothing(tmp_path, capsys):
    path = write(tmp_path, simple_roster([person_row(1), person_row(2)]))
    call_command("import_roster", path, "--dry-run")
    assert "created=2" in capsys.readouterr().out
    assert Person.objects.count() == 0


def test_importing_the_same_file_twice_changes_nothing_the_second_time(tmp_path, capsys):
    path = write(tmp_path, simple_roster([person_row(n) for n in range(1, 4)]))
    slips = tmp_path / "slips.xlsx"
    call_command("import_roster", path, "--slips", str(slips))
    assert "created=3" in capsys.readouterr().out
    sheet = load_workbook(slips).active
    assert [c.value for c in sheet[1]][:3] == ["所属中队", "姓名", "登录名(身份证号)"]
    assert sheet.max_row == 4
    before = list(Person.objects.order_by("pk").values())
    call_command("import_roster", path)
    out = capsys.readouterr().out
    assert "created=0 updated=0 deactivated=0 unchanged=3" in out
    assert list(Person.objects.order_by("pk").values()) == before


def test_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError):
        call_command("import_roster", str(tmp_path / "nope.xlsx"))


def test_export_roster_writes_the_template_layout_and_escapes_formulas(tmp_path):
    call_command("import_roster", write(tmp_path, simple_roster([person_row(1), person_row(2)])))
    Person.objects.filter(id_number=id_number(2)).update(name="=HYPERLINK(1)")
    out = tmp_path / "export.xlsx"
    call_command("export_roster", str(out), stdout=io.StringIO())
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][:8] == ("序号", "姓名", "性别", "身份证号", "手机号", "所属街道", "所属中队", "职务")
    assert rows[1][3] == id_number(1) and rows[1][7] == "执法队员" and rows[1][8] == "在编"
    assert "'=HYPERLINK(1)" in {r[1] for r in rows}
    # The export imports back unchanged.
    report_out = io.StringIO()
    call_command("import_roster", str(out), "--dry-run", stdout=report_out)
    assert "unchanged=2" in report_out.getvalue() or "updated=1" in report_out.getvalue()
