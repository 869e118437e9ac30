"""The 互斥组 column of the question workbook: exported, imported, and refused (rows named) when a workbook
names groups inconsistently; the import preview carries the item-writing warnings."""

import io

import pytest
from python_calamine import CalamineWorkbook

from question_bank.exclusion import create_group
from question_bank.imports import rows as cols
from question_bank.imports.excel import export_workbook, template_workbook
from question_bank.imports.service import import_questions
from question_bank.models import ExclusionGroup, ExclusionGroupMember, Question

from .sheets import single, workbook_bytes

pytestmark = pytest.mark.django_db


def _sheet(data):
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("题目").to_python()


def _groups():
    return dict(ExclusionGroupMember.objects.values_list("question__code", "group__code"))


def test_template_and_export_carry_the_group_column(make_question):
    a = make_question(code="A1")
    b = make_question(code="A2", stem="当场实施强制措施后，多长时间内向负责人报告？")
    create_group(questions=[a, b], code="HC0001", name="24小时报告")
    assert cols.EXCLUSION in _sheet(template_workbook())[0]
    rows = _sheet(export_workbook())
    column = rows[0].index(cols.EXCLUSION)
    assert [r[column] for r in rows[1:]] == ["HC0001", "HC0001"]


def test_import_puts_questions_into_the_named_groups():
    report = import_questions(data=workbook_bytes([
        single(题目编号="G-1", 互斥组="报告时限"),
        single(题目编号="G-2", 题干="紧急情况下当场扣押后，多久内报告？", 互斥组="报告时限"),
        single(题目编号="G-3", 题干="查封的期限一般为多少日？", 答案="C"),
    ]), check_duplicates=False)
    assert report.ok, report.errors
    assert _groups() == {"G-1": "报告时限", "G-2": "报告时限"}
    assert report.group_changes == 2


def test_an_empty_cell_takes_a_question_out_of_its_group_and_a_missing_column_leaves_it(make_question):
    a = make_question(code="A1")
    b = make_question(code="A2", stem="当场实施强制措施后，多长时间内向负责人报告？")
    c = make_question(code="A3", stem="当场扣押后，多长时间内报告？")
    create_group(questions=[a, b, c], code="HC0001")
    without_column = [h for h in cols.COLUMNS if h != cols.EXCLUSION]
    data = workbook_bytes([single(题目编号="A1")], headers=without_column)
    assert import_questions(data=data, check_duplicates=False).ok
    assert _groups()["A1"] == "HC0001"
    assert import_questions(data=workbook_bytes([single(题目编号="A1", 互斥组="")]), check_duplicates=False).ok
    assert "A1" not in _groups() and _groups() == {"A2": "HC0001", "A3": "HC0001"}


def test_a_cell_naming_two_groups_is_refused_with_its_row():
    report = import_questions(data=workbook_bytes([
        single(题目编号="G-1", 互斥组="HC01"),
        single(题目编号="G-2", 题干="当场扣押后多久内报告？", 互斥组="HC01；HC02"),
    ]), check_duplicates=False)
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(3, cols.EXCLUSION)]
    assert not Question.objects.exists() and not ExclusionGroup.objects.exists()


def test_one_group_spelled_two_ways_is_refused_naming_both_rows():
    report = import_questions(data=workbook_bytes([
        single(题目编号="G-1", 互斥组="hc01"),
        single(题目编号="G-2", 题干="当场扣押后多久内报告？", 互斥组="HC01"),
    ]), check_duplicates=False)
    assert not report.ok
    error = report.errors[0]
    assert error.row == 3 and error.column == cols.EXCLUSION and "row 2" in error.message.replace("第 2 行", "row 2")
    assert not Question.objects.exists()


def test_the_preview_lists_item_writing_warnings_per_row():
    report = import_questions(data=workbook_bytes([
        single(题目编号="W-1", 选项B="24小时内向行政机关负责人报告并补办批准手续"),
        {"题目编号": "W-2", "题型": "判断题", "题干": "违法建筑一律强制拆除。", "答案": "错误", "知识点": "行政强制法"},
    ]), dry_run=True, check_duplicates=False)
    assert report.ok
    by_code = {row.code: row for row in report.rows}
    assert any("longest" in m or "最长" in m for m in by_code["W-1"].checks)
    assert any("一律" in m for m in by_code["W-2"].checks)
    assert report.check_warnings == 2


def test_the_preview_page_shows_the_warnings(client, trainer):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(trainer)
    upload = SimpleUploadedFile("q.xlsx", workbook_bytes([
        {"题目编号": "W-2", "题型": "判断题", "题干": "违法建筑一律强制拆除。", "答案": "错误", "知识点": "行政强制法",
         "互斥组": "HC09"}]))
    text = client.post(reverse("question_bank_import:index"), {"file": upload}).content.decode()
    assert "一律" in text and "HC09" in text
