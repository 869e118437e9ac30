"""The entered-score workbook: template, upload → preview → confirm, and every bad input refused with its place."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from lms.assessment.models import EnteredScore, Indicator
from lms.assessment.services.entries import NOTE_HEADER, column_header, import_entered_scores, template_xlsx
from lms.core.models import AuditEntry
from lms.roster.models import Position

from .factories import district, entered, exam, scheme

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    units = district({"S1": {"A": {Position.LEGAL_OFFICER: 1}, "B": {Position.LEGAL_OFFICER: 1}}})
    s = scheme(2026, [exam(30), entered(60), {"code": "FEE", "name": "不收取保管费", "kind": "deduction",
                                              "points": 10, "deduction_per_item": 5, "floor": 0}])
    return s, units


def workbook(s, rows, header=None) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = "录入得分"
    case, fee = Indicator.objects.get(scheme=s, code="CASE"), Indicator.objects.get(scheme=s, code="FEE")
    sheet.append(header or ["单位编码", "单位名称", column_header(case), column_header(fee), NOTE_HEADER])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def test_the_template_has_one_row_per_squad_and_one_column_per_entered_indicator(setup):
    s, _units = setup
    sheet = load_workbook(io.BytesIO(template_xlsx(s)))["录入得分"]
    assert [c.value for c in sheet[1]] == ["单位编码", "单位名称", "案卷评查[CASE]（满分60.0）",
                                           "不收取保管费[FEE]（扣分项数，每项扣5.0分）", "备注/依据"]
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["A", "B"]


def test_a_good_workbook_is_previewed_then_written(setup, assessor):
    s, _units = setup
    rows = [["A", "A中队", 55, 1, "评查20卷"], ["B", "B中队", 48.5, None, "=HYPERLINK(\"x\")"]]
    preview = import_entered_scores(scheme=s, file=workbook(s, rows), filename="得分.xlsx", dry_run=True, actor=assessor)
    assert preview.ok and preview.counts == {"rows": 2, "scores": 3, "changed": 3}
    assert not EnteredScore.objects.exists()
    done = import_entered_scores(scheme=s, file=workbook(s, rows), filename="得分.xlsx", dry_run=False, actor=assessor)
    assert done.ok
    a = EnteredScore.objects.get(indicator__code="CASE", unit__code="A")
    assert (a.value, a.note, a.entered_by, a.source) == (55, "评查20卷", assessor, "Excel导入（得分.xlsx）")
    assert EnteredScore.objects.get(indicator__code="FEE", unit__code="A").value == 1
    assert not EnteredScore.objects.filter(indicator__code="FEE", unit__code="B").exists()  # empty cell: unchanged
    assert AuditEntry.objects.filter(action="assessment.import_scores").count() == 1


@pytest.mark.parametrize("rows, message, row, column", [
    ([["A", "", 61, None, ""]], "超过该指标满分 60.0 分。", 2, "C（案卷评查）"),
    ([["Z9", "", 10, None, ""]], "没有这个单位编码。", 2, "A"),
    ([["A", "", 10, None, ""], ["A", "", 12, None, ""]], "单位重复，第3行已有该单位。", 3, "A"),
    ([["S1", "", 10, None, ""]], "“S1街道”不是中队；街道得分由所属中队计算，不能录入。", 2, "A"),
    ([["A", "", "良好", None, ""]], "不是数字。", 2, "C（案卷评查）"),
    ([["A", "", 10, 1.5, ""]], "扣分项数须为整数。", 2, "D（不收取保管费）"),
    ([["A", "", -1, None, ""]], "不能为负数。", 2, "C（案卷评查）"),
])
def test_bad_rows_are_refused_with_their_place_and_nothing_is_written(setup, assessor, rows, message, row, column):
    s, units = setup
    good = [["B", "", 30, 0, ""]]  # a correct row is not written either
    report = import_entered_scores(scheme=s, file=workbook(s, good + [[*r] for r in rows]), filename="得分.xlsx",
                                   dry_run=False, actor=assessor)
    assert not report.ok
    issue = next(e for e in report.errors if e.message == message)
    assert (issue.row, issue.column, issue.sheet) == (row + 1, column, "得分.xlsx / 录入得分")
    assert not EnteredScore.objects.exists()


def test_an_unknown_indicator_column_is_refused(setup, assessor):
    s, _units = setup
    file = workbook(s, [["A", "", 1, None, ""]], header=["单位编码", "单位名称", "口试[ORAL]", NOTE_HEADER])
    report = import_entered_scores(scheme=s, file=file, filename="x.xlsx", dry_run=False, actor=assessor)
    [issue] = report.errors
    assert (issue.message, issue.row, issue.column, issue.value) == (
        "2026 年方案中没有录入类指标“ORAL”。", 1, "C", "口试[ORAL]")
    assert not EnteredScore.objects.exists()


def test_a_file_that_is_not_a_workbook_is_refused(setup, assessor):
    s, _units = setup
    report = import_entered_scores(scheme=s, file=io.BytesIO(b"not excel"), filename="x.xlsx", dry_run=True,
                                   actor=assessor)
    assert not report.ok and "x.xlsx" in report.errors[0].message


def test_upload_preview_confirm_through_the_admin(client, setup, assessor):
    s, _units = setup
    client.force_login(assessor)
    file = workbook(s, [["A", "A中队", 50, 0, "台账"], ["B", "B中队", 40, 2, ""]])
    file.name = "得分.xlsx"
    response = client.post("/admin/assessment/2026/entered/import/", {"file": file})
    assert response.status_code == 302
    preview = client.get("/admin/assessment/2026/entered/import/preview/")
    page = preview.content.decode()
    assert "data-import-plan" in page and "2 个中队，4 项得分" in page
    assert not EnteredScore.objects.exists()
    token = preview.context["token"]
    response = client.post("/admin/assessment/2026/entered/import/confirm/", {"token": token})
    assert response.status_code == 302
    assert EnteredScore.objects.count() == 4


def test_a_bad_upload_shows_located_errors_in_the_preview(client, setup, assessor):
    s, _units = setup
    client.force_login(assessor)
    file = workbook(s, [["A", "", 99, None, ""], ["Q", "", 1, None, ""]])
    file.name = "得分.xlsx"
    client.post("/admin/assessment/2026/entered/import/", {"file": file})
    page = client.get("/admin/assessment/2026/entered/import/preview/").content.decode()
    assert "data-import-errors" in page
    assert "超过该指标满分 60.0 分。" in page and "没有这个单位编码。" in page
    assert "C（案卷评查）" in page
    assert not EnteredScore.objects.exists()
