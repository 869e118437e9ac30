"""Spreadsheet export of a study plan's completion, one row per person; every cell through safe_cell."""

from io import BytesIO

from django.utils.translation import gettext as _

from openpyxl import Workbook

from lms.core.spreadsheets import safe_cell


def completion_workbook(report: dict) -> bytes:
    plan = report["plan"]
    courses = report["courses"]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Completion")[:31])
    sheet.append([safe_cell(f"{plan.year} {plan.title}")])
    header = [_("Squad"), _("Name"), _("Position"), _("Required courses completed"), _("Class hours"),
              _("Plan fulfilled")] + [course.title for course in courses]
    sheet.append([safe_cell(str(cell)) for cell in header])
    for squad in report["squads"]:
        for row in squad["people"]:
            person = row.person
            cells = [
                person.squad.name,
                person.name,
                person.get_position_display(),
                f"{row.completed_courses}/{report['required']}",
                float(row.hours),
                _("Yes") if row.done(report["required"], plan.class_hour_target) else _("No"),
            ] + [_("Completed") if row.courses.get(course.pk) else _("Not completed") for course in courses]
            sheet.append([safe_cell(cell if isinstance(cell, (int, float)) else str(cell)) for cell in cells])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
