"""Exports of a large year: the PDF report splits its chart over pages instead of failing."""

import io
from decimal import Decimal

from pypdf import PdfReader

from lms.assessment.scoring import Figure, IndicatorSpec, UnitResult, assemble
from lms.assessment.services.exports import chart_svg, export_bytes


def big_result(squads: int):
    specs = [IndicatorSpec(code="EXAM", name="法律知识当场考试", kind="exam", points=Decimal("100"))]
    units = [UnitResult(unit_id=i, code=f"Q{i:03d}", name=f"第{i}中队", kind="squad") for i in range(squads)]
    figures = {("EXAM", i): Figure(ratio=Decimal(i % 100) / 100) for i in range(squads)}
    return assemble(year=2026, title="方案", street_rule="mean", street_rule_label="", specs=specs, squads=units,
                    figures=figures, streets=[], levels=[])


def test_a_pdf_of_many_squads_spreads_its_chart_over_pages():
    pdf = export_bytes(big_result(60), fmt="pdf", status="未发布")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "各中队总分（满分100）（3/3）" in text and "第59中队" in text


def test_the_screen_chart_is_svg_with_every_squad():
    svg = chart_svg(big_result(5))
    assert svg.startswith("<svg") and svg.count("<rect") >= 5 and "第4中队" in svg
