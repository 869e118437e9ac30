"""Exports of a year's results: the Excel workbook (DESIGN §6 columns), the PDF report and the chart.

The chart is one reportlab drawing: embedded as vector graphics in the PDF and rendered to SVG for the
admin screen, so both show the same picture. Every spreadsheet cell goes through safe_cell.
"""

from __future__ import annotations

import io
from decimal import Decimal
from xml.sax.saxutils import escape

from lms.core.pdf import cjk_font_name
from lms.core.spreadsheets import safe_cell

from ..scoring import OK, YearResult

UNIT_KIND = {"street": "街道", "squad": "中队"}
STATUS_TEXT = {"missing": "未录入", "waived": "免于录入", "no_data": "无数据"}


def stars_text(stars: int | None) -> str:
    if stars is None:
        return ""
    return "★" * stars if stars else "未达星级"


def ranking_rows(result: YearResult) -> list[list]:
    """One row per unit (streets, then squads): 单位, 类型, top-level indicators…, 总分, 排名, 星级."""
    rows = []
    for unit in result.streets + result.squads:
        rows.append([unit.name, UNIT_KIND[unit.kind]]
                    + [unit.cells[spec.code].score for spec in result.top_level]
                    + [unit.total, unit.rank, stars_text(unit.stars) if unit.kind == "squad" else ""])
    return rows


def ranking_header(result: YearResult) -> list[str]:
    return ["单位", "类型"] + [spec.name for spec in result.top_level] + ["总分", "排名", "星级"]


def write_xlsx(result: YearResult, target, *, status: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = "排名"
    sheet.append([safe_cell(h) for h in ranking_header(result)])
    for row in ranking_rows(result):
        sheet.append([float(v) if isinstance(v, Decimal) else safe_cell(v) for v in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 22
    sheet.freeze_panes = "C2"
    if result.squads:
        _add_total_chart(sheet, result)

    detail = workbook.create_sheet("明细")
    detail.append(["单位", "类型", "指标代码", "指标", "满分", "最低分", "得分", "状态", "来源", "计算说明"])
    for cell in detail[1]:
        cell.font = Font(bold=True)
    for unit in result.streets + result.squads:
        for spec in result.indicators:
            cell = unit.cells[spec.code]
            detail.append([safe_cell(unit.name), UNIT_KIND[unit.kind], safe_cell(spec.code),
                           safe_cell("　" * spec.depth + spec.name), float(cell.points), float(cell.minimum),
                           float(cell.score), STATUS_TEXT.get(cell.status, ""), safe_cell(cell.source),
                           safe_cell(cell.detail)])
    stars = workbook.create_sheet("星级中队")
    stars.append(["中队", "所属街道", "星级", "距下一星级"])
    for unit in sorted(result.squads, key=lambda u: (-(u.stars or 0), u.rank)):
        stars.append([safe_cell(unit.name), safe_cell(unit.parent_name), stars_text(unit.stars),
                      safe_cell("；".join(unit.star_lacks) or "已达最高星级")])
    about = workbook.create_sheet("说明")
    for row in (["年度", result.year], ["方案", result.title], ["状态", status], ["计算时间", result.computed_at],
                ["街道得分", "所属中队平均" if result.street_rule == "mean" else "所属中队按在岗人数加权平均"]):
        about.append([safe_cell(v) for v in row])
    for spec in result.indicators:
        about.append([safe_cell(spec.code), safe_cell(spec.name), float(spec.points), safe_cell(spec.formula)])
    workbook.save(target)


PDF_CHART_ROWS = 24  # squads per chart on a landscape A4 page


def _add_total_chart(sheet, result: YearResult) -> None:
    """A native Excel bar chart of the squads' totals (the squads' rows follow the streets' in 排名)."""
    from openpyxl.chart import BarChart, Reference

    first = 2 + len(result.streets)
    last = first + len(result.squads) - 1
    total_column = 3 + len(result.top_level)
    chart = BarChart()
    chart.type = "bar"
    chart.title = "各中队总分"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    chart.height = max(7.5, 0.6 * len(result.squads))
    chart.legend = None
    chart.add_data(Reference(sheet, min_col=total_column, min_row=first, max_row=last), titles_from_data=False)
    chart.set_categories(Reference(sheet, min_col=1, min_row=first, max_row=last))
    sheet.add_chart(chart, f"{_column_letter(total_column + 4)}2")


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def chart_drawing(result: YearResult, *, width: float = 480, bar_height: float = 14, units=None,
                  title: str = "各中队总分（满分100）"):
    """Horizontal bars of the squads' totals (or of `units`), in rank order."""
    from reportlab.graphics.shapes import Drawing, Line, Rect, String
    from reportlab.lib import colors

    font = cjk_font_name()
    units = result.squads if units is None else units
    label_width, top = 120, 16
    height = top + len(units) * (bar_height + 6) + 10
    drawing = Drawing(width, height)
    plot = width - label_width - 50
    for i, unit in enumerate(units):
        y = height - top - (i + 1) * (bar_height + 6)
        length = float(unit.total) / 100 * plot
        drawing.add(String(label_width - 6, y + 3, f"{unit.rank}. {unit.name}", fontName=font, fontSize=9,
                           textAnchor="end"))
        drawing.add(Rect(label_width, y, max(length, 0.5), bar_height, fillColor=colors.HexColor("#2e6da4"),
                         strokeColor=None))
        drawing.add(String(label_width + length + 4, y + 3, f"{unit.total}", fontName=font, fontSize=9))
    drawing.add(Line(label_width, 4, label_width, height - top + 4, strokeColor=colors.grey))
    drawing.add(String(label_width, height - 10, title, fontName=font, fontSize=10))
    return drawing


def chart_svg(result: YearResult) -> str:
    from reportlab.graphics import renderSVG

    if not result.squads:
        return ""
    svg = renderSVG.drawToString(chart_drawing(result))
    # The browser has no font called "CJK": let it use its own Chinese font.
    return svg[svg.index("<svg"):].replace(f"font-family:{cjk_font_name()}", "font-family:sans-serif")


def write_pdf(result: YearResult, target, *, status: str) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = cjk_font_name()
    title_style = ParagraphStyle("t", fontName=font, fontSize=16, leading=22, spaceAfter=6)
    h2 = ParagraphStyle("h2", fontName=font, fontSize=12, leading=16, spaceBefore=8, spaceAfter=4)
    body = ParagraphStyle("b", fontName=font, fontSize=9, leading=12, wordWrap="CJK")
    small = ParagraphStyle("s", fontName=font, fontSize=7.5, leading=9.5, wordWrap="CJK")
    doc = SimpleDocTemplate(target, pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm,
                            topMargin=12 * mm, bottomMargin=12 * mm, title=f"{result.year}年度依法行政工作考核结果")

    def para(text, style=body):
        return Paragraph(escape(str(text)), style)

    def table(data, widths=None, header=True):
        t = Table(data, colWidths=widths, repeatRows=1 if header else 0)
        t.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 8),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
        ]))
        return t

    story = [para(f"{result.year}年度依法行政工作考核结果", title_style),
             para(f"方案：{result.title}　状态：{status}　计算时间：{result.computed_at}")]
    story += [para("排名", h2), table([[para(h, small) for h in ranking_header(result)]]
                                     + [[para(v, small) for v in row] for row in ranking_rows(result)])]
    if result.squads:
        story.append(para("各中队总分", h2))
        chunks = [result.squads[i:i + PDF_CHART_ROWS] for i in range(0, len(result.squads), PDF_CHART_ROWS)]
        for number, chunk in enumerate(chunks, start=1):
            title = "各中队总分（满分100）" + (f"（{number}/{len(chunks)}）" if len(chunks) > 1 else "")
            story.append(chart_drawing(result, width=700, units=chunk, title=title))
    story += [para("星级中队", h2), table(
        [[para(h, small) for h in ("中队", "所属街道", "星级", "距下一星级")]]
        + [[para(u.name, small), para(u.parent_name, small), para(stars_text(u.stars), small),
            para("；".join(u.star_lacks) or "已达最高星级", small)]
           for u in sorted(result.squads, key=lambda u: (-(u.stars or 0), u.rank))],
        widths=[45 * mm, 45 * mm, 25 * mm, 150 * mm])]
    story.append(PageBreak())
    story.append(para("各单位得分明细", h2))
    for unit in result.streets + result.squads:
        # Plain strings where nothing wraps: a Paragraph per cell is what makes a large report slow.
        rows = [["指标", "满分", "得分", "来源", "计算说明"]]
        for spec in result.indicators:
            cell = unit.cells[spec.code]
            note = cell.detail + (f"（{STATUS_TEXT[cell.status]}）" if cell.status != OK and cell.status in STATUS_TEXT else "")
            rows.append(["　" * spec.depth + spec.name, str(cell.points), str(cell.score),
                         para(cell.source, small) if len(cell.source) > 30 else cell.source,
                         para(note, small) if note else ""])
        story += [Spacer(1, 4), para(f"{unit.name}（{UNIT_KIND[unit.kind]}）　总分 {unit.total}　排名 {unit.rank}", body),
                  table(rows, widths=[60 * mm, 15 * mm, 15 * mm, 70 * mm, 110 * mm])]
    doc.build(story)


def export_bytes(result: YearResult, *, fmt: str, status: str) -> bytes:
    buffer = io.BytesIO()
    (write_pdf if fmt == "pdf" else write_xlsx)(result, buffer, status=status)
    return buffer.getvalue()
