"""The report as a PDF for the bureau's leadership and as an Excel workbook.

The PDF draws the very SVG charts the screen shows (svglib reads them into ReportLab drawings) with the
embedded CJK font of lms.core.pdf, so the Chinese prints the same everywhere. Every workbook cell goes
through safe_cell, so a squad or question text can never run as a formula.
"""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from svglib import fonts as svg_fonts
from svglib.svglib import svg2rlg

from lms.core.pdf import cjk_font_name
from lms.core.spreadsheets import safe_cell

from .build import Report

PAGE = landscape(A4)
MARGIN = 14 * mm


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=font, fontSize=9, leading=12, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=18, leading=24, spaceAfter=4),
        "h2": ParagraphStyle("h2", parent=base, fontSize=13, leading=18, spaceBefore=8, spaceAfter=4),
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5),
        "note": ParagraphStyle("note", parent=base, textColor=colors.HexColor("#8a4b00")),
    }


def _map_chart_font(font: str) -> None:
    """Make svglib draw the charts' font-family "CJK" with the already registered ReportLab font.

    svglib's public register_font only maps to its standard fonts or registers a font file anew; an
    existing ReportLab font (possibly the STSong-Light CID fallback) needs an entry in its font map.
    """
    for weight in ("normal", "bold"):
        internal = svg_fonts.FontMap.build_internal_name("CJK", weight, "normal")
        svg_fonts._font_map._map[internal] = {"svg_family": "CJK", "svg_weight": weight, "svg_style": "normal",
                                              "rlgFont": font, "exact": True}


def _drawing(svg: str, max_width: float):
    """An SVG chart as a ReportLab drawing scaled to fit the page width."""
    drawing = svg2rlg(io.BytesIO(svg.encode("utf-8")))
    if drawing is None:
        return None
    if drawing.width > max_width:
        factor = max_width / drawing.width
        drawing.width, drawing.height = drawing.width * factor, drawing.height * factor
        drawing.scale(factor, factor)
    return drawing


def _table(rows: list[list], styles, *, widths=None, header_rows: int = 1, font: str, small=False) -> Table:
    style = styles["small" if small else "body"]
    data = [[Paragraph(_escape(str(cell)), style) for cell in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=header_rows)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#e8eef4")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), font),
    ]))
    return table


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def report_pdf(report: Report, *, title: str) -> bytes:
    font = cjk_font_name()
    _map_chart_font(font)
    styles = _styles(font)
    out = io.BytesIO()
    report_label = _("Exam report")  # outside the f-strings: makemessages does not find msgids inside them
    doc = SimpleDocTemplate(out, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN, title=f"{title} {report_label}", author="执法学法考试平台")
    width = PAGE[0] - 2 * MARGIN
    session, counts = report.session, report.counts
    story = [
        Paragraph(_escape(f"{title}（{session['code']}）{report_label}"), styles["title"]),
        Paragraph(_escape(_("Generated %(when)s · pass mark %(pass)s of %(max)s") % {
            "when": timezone.localtime().strftime("%Y-%m-%d %H:%M"), "pass": _num(session["pass_mark"]),
            "max": _num(session["max_mark"])}), styles["body"]),
        Spacer(1, 4 * mm),
        _table([[_("Candidates"), _("Graded"), _("Absent"), _("Excused"), _("Passed"), _("Pass rate")],
                [counts["candidates"], counts["graded"], counts["absent"], counts["excused"], counts["passed"],
                 f"{counts['passed'] / counts['graded'] * 100:.1f}%" if counts["graded"] else "—"]],
               styles, font=font),
    ]
    for note in report.notes:
        story.append(Paragraph(_escape(note), styles["note"]))
    story.append(Paragraph(_escape(_("Test statistics")), styles["h2"]))
    story.append(_table([[_("Figure"), _("Value"), _("Why blank")]] +
                        [[r["label"], r["value"], r["why"]] for r in report.test_rows],
                        styles, font=font, widths=[90 * mm, 40 * mm, width - 130 * mm]))
    for name in ("histogram",):
        if name in report.charts:
            story.append(KeepTogether([Spacer(1, 3 * mm), _drawing(report.charts[name], width)]))
    story.append(PageBreak())
    story.append(Paragraph(_escape(_("Streets and squads")), styles["h2"]))
    story.append(_table([[_("Street / squad"), _("Participants"), _("Absent"), _("Mean"), _("Pass rate")]] + [
        [("　" if r["level"] == "squad" else "") + r["name"], r["participants"], r["absent"], r["mean"],
         r["pass_rate"]] for r in report.unit_rows], styles, font=font))
    for name in ("streets", "squads"):
        if name in report.charts:
            story.append(KeepTogether([Spacer(1, 3 * mm), _drawing(report.charts[name], width)]))
    story.append(Paragraph(_escape(_("Positions")), styles["h2"]))
    story.append(_table([[_("Position"), _("Participants"), _("Absent"), _("Mean"), _("Pass rate")]] + [
        [r["name"], r["participants"], r["absent"], r["mean"], r["pass_rate"]] for r in report.position_rows],
        styles, font=font))
    if "positions" in report.charts:
        story.append(KeepTogether([Spacer(1, 3 * mm), _drawing(report.charts["positions"], width)]))
    if "mastery" in report.charts:
        story.append(PageBreak())
        story.append(_drawing(report.charts["mastery"], width))
    story.append(PageBreak())
    story.append(Paragraph(_escape(_("Item analysis")), styles["h2"]))
    header = [_("Question"), _("Type"), _("Knowledge point"), _("Attempts"), _("Facility"), _("SD"),
              _("Random guess"), _("Intended weight"), _("Effective weight"), _("Discrimination index"),
              _("Discriminative efficiency"), _("Options: chosen (top/bottom)"), _("Review")]
    rows = [header] + [[f"{q['code']} v{q['version']}\n{q['stem']}", q["type"], q["knowledge_point"], q["attempts"],
                        q["facility"], q["sd"], q["random_guess"], q["intended_weight"], q["effective_weight"],
                        q["discrimination_index"], q["discriminative_efficiency"], q["options"],
                        "；".join(q["flags"])] for q in report.question_rows]
    story.append(_table(rows, styles, font=font, small=True, widths=[
        48 * mm, 14 * mm, 22 * mm, 12 * mm, 13 * mm, 12 * mm, 13 * mm, 13 * mm, 14 * mm, 16 * mm, 16 * mm,
        36 * mm, width - 229 * mm]))
    doc.build(story)
    return out.getvalue()


def _num(value) -> str:
    return "—" if value is None else (f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}")


def report_workbook(report: Report, *, title: str) -> bytes:
    workbook = Workbook()
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="E8EEF4")

    def sheet(name: str, header: list[str], rows: list[list], first: bool = False):
        ws = workbook.active if first else workbook.create_sheet()
        ws.title = name
        ws.append([safe_cell(h) for h in header])
        for cell in ws[1]:
            cell.font, cell.fill = bold, fill
        for row in rows:
            ws.append([safe_cell(value) for value in row])
        ws.freeze_panes = "A2"
        return ws

    counts = report.counts
    summary = sheet(_("Summary"), [_("Figure"), _("Value"), _("Why blank")],
                    [[r["label"], r["value"], r["why"]] for r in report.test_rows], first=True)
    summary.insert_rows(1, 2)
    summary["A1"] = safe_cell(f"{title}（{report.session['code']}）")
    summary["A1"].font = Font(bold=True, size=14)
    summary["A2"] = safe_cell(_("Candidates %(c)d · graded %(g)d · absent %(a)d · passed %(p)d") % {
        "c": counts["candidates"], "g": counts["graded"], "a": counts["absent"], "p": counts["passed"]})
    sheet(_("Units"), [_("Street"), _("Squad"), _("Participants"), _("Absent"), _("Mean"), _("Pass rate")],
          [[r["street"] if r["level"] == "squad" else r["name"], r["name"] if r["level"] == "squad" else "",
            r["participants"], r["absent"], _round(r["mean_value"]), _round(r["pass_rate_value"], 4)]
           for r in report.unit_rows])
    sheet(_("Positions"), [_("Position"), _("Participants"), _("Absent"), _("Mean"), _("Pass rate")],
          [[r["name"], r["participants"], r["absent"], _round(r["mean_value"]), _round(r["pass_rate_value"], 4)]
           for r in report.position_rows])
    mastery = report.data["mastery"]
    sheet(_("Mastery"), [_("Squad")] + mastery["knowledge_points"],
          [[row["squad"]] + [_round(v, 4) for v in row["values"]] for row in mastery["rows"]])
    questions = {q["version_id"]: q for q in report.data["questions"]}
    sheet(_("Items"), [_("Question"), _("Version"), _("Type"), _("Stem"), _("Knowledge point"), _("Attempts"),
                       _("Facility"), _("SD"), _("Random guess"), _("Intended weight"), _("Effective weight"),
                       _("Discrimination index"), _("Discriminative efficiency"), _("Options: chosen (top/bottom)"),
                       _("Review")],
          [[q["code"], q["version"], q["type"], q["stem"], q["knowledge_point"], q["attempts"],
            _round(questions[q["version_id"]]["facility"], 4), _round(questions[q["version_id"]]["sd"], 4),
            _round(questions[q["version_id"]]["random_guess_score"], 4),
            _round(questions[q["version_id"]]["intended_weight"], 2),
            _round(questions[q["version_id"]]["effective_weight"], 2),
            _round(questions[q["version_id"]]["discrimination_index"], 2),
            _round(questions[q["version_id"]]["discriminative_efficiency"], 2), q["options"], "；".join(q["flags"])]
           for q in report.question_rows])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _round(value, digits: int = 2):
    return None if value is None else round(value, digits)
