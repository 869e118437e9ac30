"""Account slips: each new officer's sign-in name and one-time initial code, for HR to hand out.

The only place a plain initial code ever appears. Excel for mail-merge, PDF for printing and cutting.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from openpyxl import Workbook

from lms.core.pdf import cjk_font_name
from lms.core.spreadsheets import safe_cell

from .services.accounts import AccountSlip

SLIP_HEADER = ["所属中队", "姓名", "登录名(身份证号)", "手机号", "初始登录码"]


def write_slips_xlsx(slips: list[AccountSlip]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("账号单")
    sheet.append(SLIP_HEADER)
    for slip in slips:
        sheet.append([safe_cell(v) for v in (slip.squad, slip.name, slip.username, slip.phone, slip.code)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_slips_pdf(slips: list[AccountSlip], *, site_hint: str = "") -> bytes:
    """A4 pages of slips (five per page) with cut lines."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    font = cjk_font_name()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(_("Account slips"))
    width, height = A4
    slip_height = (height - 20 * mm) / 5
    for index, slip in enumerate(slips):
        position = index % 5
        if index and position == 0:
            pdf.showPage()
        top = height - 10 * mm - position * slip_height
        pdf.setDash(3, 3)
        pdf.line(10 * mm, top - slip_height, width - 10 * mm, top - slip_height)
        pdf.setDash()
        pdf.setFont(font, 14)
        pdf.drawString(20 * mm, top - 12 * mm, _("Law-study and exam platform: your account"))
        pdf.setFont(font, 11)
        sign_in = _("Sign in with: %(username)s") % {"username": slip.username}
        if slip.phone:
            sign_in += "  " + _("or mobile number %(phone)s") % {"phone": slip.phone}
        lines = [
            _("Squad: %(squad)s    Name: %(name)s") % {"squad": slip.squad, "name": slip.name},
            sign_in,
            _("Initial code: %(code)s") % {"code": slip.code},
            _("The code works once: you will be asked to choose your own password at the first sign-in."),
        ]
        if site_hint:
            lines.append(_("Address: %(url)s") % {"url": site_hint})
        for line_no, line in enumerate(lines):
            pdf.drawString(20 * mm, top - (22 + 8 * line_no) * mm, line)
    if not slips:
        pdf.setFont(font, 12)
        pdf.drawString(20 * mm, height - 20 * mm, _("No new accounts."))
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
