"""Roster workbooks we write: the empty import template and the current roster in the same layout."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from lms.core.spreadsheets import safe_cell

from .models import Person
from .resources import COL_SEQ, TEMPLATE_COLUMNS, RosterResource

TEXT_COLUMNS = ("身份证号", "手机号", "执法证号")
EXAMPLE_NOTE = (
    "填写说明:身份证号、手机号、执法证号列请设为“文本”格式;职务可填 中队长、副中队长、指导员、法制员、执法队员、"
    "协管员、内勤;人员类别填 在编 或 协管;在编执法人员须填执法证号;在岗状态填 在岗 或 离岗(空白视为在岗)。"
)


def template_xlsx() -> bytes:
    """The import template: one header row, text-formatted ID columns, and a note row above it."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "花名册"
    sheet.append([EXAMPLE_NOTE])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(TEMPLATE_COLUMNS))
    sheet.append(TEMPLATE_COLUMNS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for index, column in enumerate(TEMPLATE_COLUMNS, start=1):
        letter = sheet.cell(row=2, column=index).column_letter
        sheet.column_dimensions[letter].width = 22 if column in TEXT_COLUMNS else 12
        if column in TEXT_COLUMNS:
            for row in range(3, 1003):  # text format so Excel keeps all 18 digits
                sheet.cell(row=row, column=index).number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_roster_xlsx(target: Path | io.BytesIO) -> int:
    """Every person, one row each, in template column order; returns how many were written."""
    resource = RosterResource()
    export_fields = [resource.fields[name] for name in RosterResource._meta.fields]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.append([COL_SEQ] + [f.column_name for f in export_fields])
    count = 0
    people = Person.objects.select_related("squad", "squad__parent").order_by("squad__code", "id_number")
    for count, person in enumerate(people.iterator(chunk_size=2000), start=1):
        sheet.append([count] + [safe_cell(f.export(person)) for f in export_fields])
    workbook.save(target)
    return count

