"""Candidate list export: one row per candidate of the current draw; every cell through safe_cell."""

from typing import IO

from django.utils.translation import gettext as _

from openpyxl import Workbook

from lms.core.spreadsheets import safe_cell
from lms.roster.models import OrgUnit

from ..models import ExamSession
from .sessions import active_candidates


def candidate_headers() -> list[str]:
    return [_("Ticket number"), _("Squad code"), _("Squad"), _("Name"), _("ID-card number"), _("Position"),
            _("Why included"), _("Rank in squad"), _("Attendance"), _("Note"), _("Venue"), _("Seat")]


def candidate_rows(session: ExamSession):
    squads = dict(OrgUnit.objects.values_list("id", "name"))
    for c in active_candidates(session).select_related("venue", "replaces").order_by("squad_code", "ticket_number"):
        note = c.note or c.excused_reason
        if c.replaces_id:
            note = _("replaces %(name)s") % {"name": c.replaces.name}
        yield [c.ticket_number, c.squad_code, squads.get(c.squad_id, ""), c.name, c.masked_id_number,
               c.get_position_display(), c.get_reason_display(), c.rank or "", c.get_attendance_display(), note,
               c.venue.name if c.venue else "", c.seat or ""]


def write_candidates(*, session: ExamSession, out: IO[bytes]) -> int:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Candidates"))
    sheet.append([safe_cell(h) for h in candidate_headers()])
    count = 0
    for row in candidate_rows(session):
        sheet.append([safe_cell(str(v)) if v != "" else "" for v in row])
        count += 1
    workbook.save(out)
    return count
