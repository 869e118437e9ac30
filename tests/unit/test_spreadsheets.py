"""Shared spreadsheet safety: formula neutralising, upload checks, located issues."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from lms.core.spreadsheets import ImportIssue, UploadRejected, check_upload, safe_cell


@pytest.mark.parametrize("value", ["=1+1", "+86", "-2", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://x\")"])
def test_formula_like_text_is_neutralised(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["张三", "110101199003070014", 42, -3, None, ""])
def test_ordinary_values_are_unchanged(value):
    assert safe_cell(value) == value


def workbook_bytes() -> bytes:
    wb = Workbook()
    wb.active.append(["姓名"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_a_real_workbook_is_accepted(settings):
    check_upload(io.BytesIO(workbook_bytes()), filename="花名册.xlsx")


def test_wrong_extension_is_refused():
    with pytest.raises(UploadRejected, match="不是允许的文件类型"):
        check_upload(io.BytesIO(workbook_bytes()), filename="roster.exe")


def test_too_large_is_refused():
    with pytest.raises(UploadRejected, match="上限"):
        check_upload(io.BytesIO(workbook_bytes()), filename="a.xlsx", max_bytes=100)


def test_renamed_text_file_is_refused():
    with pytest.raises(UploadRejected, match="不是有效的 Excel"):
        check_upload(io.BytesIO(b"name,id\n"), filename="a.xlsx")


def test_old_xls_gets_a_save_as_hint():
    with pytest.raises(UploadRejected, match="另存为 .xlsx"):
        check_upload(io.BytesIO(b"\xd0\xcf\x11\xe0" + b"\0" * 100), filename="a.xlsx")


def test_zip_bomb_is_refused_before_parsing():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024))
    with pytest.raises(UploadRejected, match="安全"):
        check_upload(buffer, filename="bomb.xlsx")


def test_issue_names_sheet_row_column_and_value():
    issue = ImportIssue("身份证号校验位错误", sheet="一中队", row=7, column="身份证号", value="110101199003070015")
    text = str(issue)
    assert "一中队" in text and "第 7 行" in text and "身份证号" in text and "110101199003070015" in text
