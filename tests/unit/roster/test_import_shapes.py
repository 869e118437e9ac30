"""The roster import against the shapes real HR workbooks come in, built as in-memory workbooks."""

import pytest

from lms.roster.models import OrgUnit, Person, PersonStatus, RosterSnapshot
from lms.roster.services.imports import import_roster
from tests.unit.roster.workbooks import HEADER, id_number, person_row, simple_roster, workbook_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.dual_db]  # COPY path on PostgreSQL, bulk_create on SQLite


def run(buffer, *, dry_run=False, filename="花名册.xlsx"):
    buffer.seek(0)
    return import_roster(file=buffer, filename=filename, dry_run=dry_run, actor=None)


def messages(report):
    return [str(e) for e in report.errors]


def test_plain_template_creates_people_units_accounts_and_a_snapshot():
    rows = [person_row(1, position="中队长"), person_row(2, position="法制员"), person_row(3, category="协管", position="协管员")]
    report = run(simple_roster(rows))
    assert report.ok, messages(report)
    assert report.counts["created"] == 3
    assert report.new_units == ["街道 东城街道", "中队 东城街道 / 东城一中队"]
    squad = OrgUnit.objects.get(name="东城一中队")
    assert squad.kind == "squad" and squad.parent.name == "东城街道" and squad.parent.parent.kind == "district"
    leader = Person.objects.get(id_number=id_number(1))
    assert (leader.position, leader.category, leader.status, leader.gender) == ("squad_leader", "staff", "on_duty", "M")
    assert leader.user.username == id_number(1) and leader.user.must_change_password
    assert leader.user.groups.filter(name="学员").exists()
    assert not leader.user.has_usable_password()
    assert len(report.slips) == 3 and all(len(s.code) == 12 for s in report.slips)
    assert RosterSnapshot.objects.get(pk=report.snapshot_id).entry_count == 3


def test_merged_title_rows_above_the_header_are_skipped_and_rows_keep_excel_numbers():
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "花名册"
    sheet["A1"] = "东城街道城管中队花名册"
    sheet.merge_cells("A1:K1")
    sheet["A2"] = "填表日期:2026年3月"
    sheet.merge_cells("A2:K2")
    sheet.append(HEADER)
    sheet.append(person_row(1))
    sheet.append(person_row(2, phone="12345"))
    import io

    buffer = io.BytesIO()
    workbook.save(buffer)
    report = run(buffer)
    (error,) = report.errors
    assert (error.sheet, error.row, error.column, error.value) == ("花名册", 5, "手机号", "12345")
    assert str(error) == "工作表“花名册”，第 5 行，“手机号”列: 不是有效的手机号(应为以1开头的11位数字)。 （值：12345）"


def test_several_sheets_and_squad_from_sheet_name_when_the_column_is_absent():
    district = OrgUnit.objects.create(code="D", name="区局", kind="district")
    street = OrgUnit.objects.create(code="S1", name="东城街道", kind="street", parent=district)
    OrgUnit.objects.create(code="S1-01", name="东城一中队", kind="squad", parent=street)
    OrgUnit.objects.create(code="S1-02", name="东城二中队", kind="squad", parent=street)
    header = [h for h in HEADER if h not in ("所属街道", "所属中队")]

    def row(n):
        full = person_row(n)
        return [v for h, v in zip(HEADER, full, strict=True) if h not in ("所属街道", "所属中队")]

    buffer = workbook_bytes(
        {"东城一中队": [header, row(1), row(2)], "东城二中队": [header, row(3)], "说明": [["本表由人事科维护"]]}
    )
    report = run(buffer)
    assert report.ok, messages(report)
    assert report.sheets == ["东城一中队", "东城二中队"]
    assert Person.objects.get(id_number=id_number(3)).squad.code == "S1-02"
    assert [w.sheet for w in report.warnings] == ["说明"]


def test_header_variants_are_recognised():
    header = ["编号", "姓名", "性别", "身份证号码", "联系电话", "街道", "单位", "岗位", "类别", "执法证编号", "状态"]
    report = run(simple_roster([person_row(1, position="队长", category="正式", cert="ZF1")], header=header))
    assert report.ok, messages(report)
    assert Person.objects.get().position == "squad_leader"


def test_full_width_characters_ideographic_spaces_and_lower_case_check_letter_are_normalised():
    number = next(id_number(n) for n in range(1, 2000) if id_number(n).endswith("X"))
    full_width_id = number[:17].translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"}) + "x"
    row = [1, "张\u3000三", "男", f"\u3000{full_width_id} ", "１３９１２３４５６７８", "东城街道\u3000", "东城一中队",
           " 执法队员 ", "在编", "ＺＦ０００００１", "在岗"]
    report = run(simple_roster([row]))
    assert report.ok, messages(report)
    person = Person.objects.get()
    assert (person.name, person.id_number, person.phone, person.cert_number) == ("张三", number, "13912345678", "ZF000001")
    assert OrgUnit.objects.filter(name="东城街道").exists()


def test_blank_rows_are_skipped():
    report = run(simple_roster([person_row(1), [], [None, "", "  ", "\u3000"], person_row(2)]))
    assert report.ok, messages(report)
    assert report.counts["created"] == 2


def test_an_id_number_stored_as_a_number_is_an_error_with_a_fix_hint():
    row = person_row(1)
    row[3] = float(row[3][:17] + "0") if row[3][-1] == "X" else float(row[3])
    report = run(simple_roster([row]))
    assert not report.ok
    (error,) = report.errors
    assert (error.sheet, error.row, error.column) == ("花名册", 2, "身份证号")
    assert "存成了数字" in error.message and "文本" in error.message


def test_invalid_checksum_birth_date_phone_position_and_category_are_all_reported():
    bad_checksum = id_number(1)[:17] + ("1" if id_number(1)[17] != "1" else "2")
    rows = [
        person_row(1),
        person_row(2, position="局长"),
        person_row(3, category="临时"),
        person_row(4, phone="1381234"),
        person_row(5, cert=""),
    ]
    rows[0][3] = bad_checksum
    rows.append(person_row(6))
    rows[-1][3] = "110101199002301234"
    report = run(simple_roster(rows))
    found = {(e.row, e.column) for e in report.errors}
    assert found == {(2, "身份证号"), (3, "职务"), (4, "人员类别"), (5, "手机号"), (6, "执法证号"), (7, "身份证号")}
    assert all(e.sheet == "花名册" for e in report.errors)
    assert "校验位" in str(report.errors[0])
    assert Person.objects.count() == 0 and OrgUnit.objects.count() == 0


def test_the_same_person_twice_is_an_error_naming_both_rows():
    buffer = workbook_bytes({"一中队": [HEADER, person_row(1)], "二中队": [HEADER, person_row(2), person_row(1, squad="东城二中队")]})
    report = run(buffer)
    (error,) = report.errors
    assert (error.sheet, error.row) == ("二中队", 3)
    assert "另见工作表“一中队”第2行" in error.message


def test_missing_required_column_is_reported_per_sheet():
    header = [h for h in HEADER if h != "职务"]
    report = run(simple_roster([person_row(1)[:7] + person_row(1)[8:]], header=header))
    (error,) = report.errors
    assert (error.sheet, error.row, error.message) == ("花名册", 1, "缺少必需的列“职务”。")


def test_people_missing_from_a_covered_squad_are_marked_left_and_reported():
    run(simple_roster([person_row(1), person_row(2), person_row(3, squad="东城二中队")]))
    report = run(simple_roster([person_row(1)]))
    assert report.ok, messages(report)
    assert report.counts["deactivated"] == 1
    assert [d["name"] for d in report.deactivated] == ["队员2"]
    gone = Person.objects.get(id_number=id_number(2))
    assert gone.status == PersonStatus.LEFT and not gone.user.is_active
    # Squads the file does not mention are left alone.
    assert Person.objects.get(id_number=id_number(3)).status == PersonStatus.ON_DUTY


def test_reimport_of_the_same_file_changes_nothing_and_takes_no_snapshot():
    buffer = simple_roster([person_row(n) for n in range(1, 6)])
    first = run(buffer)
    snapshots = RosterSnapshot.objects.count()
    second = run(buffer)
    assert second.ok and second.counts == {"created": 0, "updated": 0, "deactivated": 0, "unchanged": 5, "rows": 5, "accounts": 0}
    assert RosterSnapshot.objects.count() == snapshots
    assert second.snapshot_id == first.snapshot_id


def test_a_changed_position_and_a_move_are_updates():
    run(simple_roster([person_row(1), person_row(2)]))
    report = run(simple_roster([person_row(1, position="副队长"), person_row(2, squad="东城二中队")]))
    assert report.counts["updated"] == 2
    snapshot = RosterSnapshot.objects.get(pk=report.snapshot_id)
    assert snapshot.diff["counts"]["moved"] == 1 and snapshot.diff["counts"]["position_changed"] == 1


def test_dry_run_reports_counts_and_writes_nothing():
    report = run(simple_roster([person_row(1), person_row(2)]), dry_run=True)
    assert report.ok and report.dry_run
    assert report.counts["created"] == 2 and len(report.new_units) == 2
    assert Person.objects.count() == 0 and OrgUnit.objects.count() == 0 and RosterSnapshot.objects.count() == 0


def test_a_file_that_is_not_a_workbook_is_refused_before_parsing():
    import io

    report = run(io.BytesIO(b"name,id\n"), filename="roster.csv")
    assert not report.ok and "不是可接受的类型" in str(report.errors[0]) or "csv" in str(report.errors[0])


def test_a_failing_import_leaves_the_database_exactly_as_it_was():
    from django.contrib.auth import get_user_model

    run(simple_roster([person_row(1), person_row(2)]))

    def state():
        return (
            list(Person.objects.order_by("pk").values()),
            list(OrgUnit.objects.order_by("pk").values()),
            list(get_user_model().objects.order_by("pk").values()),
            RosterSnapshot.objects.count(),
        )

    before = state()
    # One good change, one new squad, one missing person to deactivate, and one bad row.
    rows = [person_row(1, position="中队长"), person_row(5, squad="新中队"), person_row(6, phone="123")]
    report = run(simple_roster(rows))
    assert not report.ok
    assert state() == before


def test_people_the_file_marks_as_left_cannot_sign_in_and_come_back_when_on_duty_again():
    run(simple_roster([person_row(1), person_row(2, status="离岗")]))
    assert not Person.objects.get(id_number=id_number(2)).user.is_active
    assert Person.objects.get(id_number=id_number(1)).user.is_active
    run(simple_roster([person_row(1, status="离职"), person_row(2, status="在岗")]))
    one, two = Person.objects.get(id_number=id_number(1)), Person.objects.get(id_number=id_number(2))
    assert (one.status, one.user.is_active) == ("left", False)
    assert (two.status, two.user.is_active) == ("on_duty", True)
