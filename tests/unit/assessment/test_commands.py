"""compute_assessment and export_assessment (DESIGN §6), and the demo's assessment step."""

import io
from decimal import Decimal

from django.core.management import call_command
from django.core.management.base import CommandError

import pytest
from openpyxl import load_workbook

from lms.assessment import demo
from lms.assessment.models import AssessmentScheme, Indicator, Publication
from lms.assessment.services.entries import enter_score
from lms.roster.models import OrgUnit, Position

from .factories import district, entered, exam, graded_session, scheme

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(assessor):
    units = district({"S1": {"A": {Position.LEGAL_OFFICER: 1}, "B": {Position.LEGAL_OFFICER: 1}}})
    graded_session(year=2026, code="E2026", results={"A": [80], "B": [60]})
    s = scheme(2026, [exam(30), entered(70)])
    for code, value in (("A", 50), ("B", 60)):
        enter_score(indicator=Indicator.objects.get(scheme=s, code="CASE"), unit=units[code], value=value,
                    actor=assessor)
    return s


def test_compute_prints_the_ranking_and_publishes(ready):
    out = io.StringIO()
    call_command("compute_assessment", "2026", stdout=out)
    text = out.getvalue()
    assert "B中队" in text and "78.00" in text and "74.00" in text  # B: 0.6 × 30 + 60; A: 0.8 × 30 + 50
    assert not Publication.objects.exists()
    call_command("compute_assessment", "2026", "--publish", stdout=out)
    assert Publication.objects.get().version == 1
    with pytest.raises(CommandError, match="重新发布须填写原因"):
        call_command("compute_assessment", "2026", "--publish", stdout=out)
    call_command("compute_assessment", "2026", "--publish", "--reason", "更正", stdout=out)
    assert Publication.objects.count() == 2


def test_compute_refuses_to_publish_while_something_blocks(ready):
    Indicator.objects.filter(code="EXAM").update(points=Decimal("20"))
    with pytest.raises(CommandError, match="一级指标分值合计为 90 分"):
        call_command("compute_assessment", "2026", "--publish", stdout=io.StringIO())
    assert not Publication.objects.exists()


def test_a_year_without_a_scheme_is_a_readable_error(ready):
    with pytest.raises(CommandError, match="2030 年没有考核方案（已有方案的年度：2026）"):
        call_command("compute_assessment", "2030", stdout=io.StringIO())


def test_export_writes_one_row_per_unit_with_the_design_columns(ready, tmp_path):
    path = tmp_path / "考核.xlsx"
    call_command("export_assessment", "2026", str(path), stdout=io.StringIO())
    sheet = load_workbook(path)["排名"]
    assert [c.value for c in sheet[1]] == ["单位", "类型", "法律知识当场考试", "案卷评查", "总分", "排名", "星级"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    # A: 0.8 × 30 + 50 = 74; B: 0.6 × 30 + 60 = 78; street S1: mean 76.
    assert rows == [("S1街道", "街道", 21, 55, 76, 1, None), ("B中队", "中队", 18, 60, 78, 1, None),
                    ("A中队", "中队", 24, 50, 74, 2, None)]
    pdf = tmp_path / "考核.pdf"
    call_command("export_assessment", "2026", str(pdf), stdout=io.StringIO())
    assert pdf.read_bytes().startswith(b"%PDF")
    with pytest.raises(CommandError, match="请用 .xlsx 或 .pdf"):
        call_command("export_assessment", "2026", str(tmp_path / "x.csv"), stdout=io.StringIO())


def test_export_of_a_published_year_uses_the_frozen_version(ready, tmp_path, assessor):
    call_command("compute_assessment", "2026", "--publish", stdout=io.StringIO())
    enter_score(indicator=Indicator.objects.get(code="CASE"), unit=OrgUnit.objects.get(code="A"), value=0,
                actor=assessor)
    path = tmp_path / "考核.xlsx"
    out = io.StringIO()
    call_command("export_assessment", "2026", str(path), stdout=out)
    assert "已发布 第1版" in out.getvalue()
    totals = {r[0]: r[4] for r in load_workbook(path)["排名"].iter_rows(min_row=2, values_only=True)}
    assert totals["A中队"] == 74


def test_demo_adds_two_years_and_publishes_last_year_from_its_graded_session(assessor):
    from django.utils import timezone

    district({"JD01": {"JD01-ZD01": {Position.LEGAL_OFFICER: 1, Position.SQUAD_LEADER: 1},
                       "JD01-ZD02": {Position.SQUAD_LEADER: 1}}})
    last = timezone.localdate().year - 1
    out = io.StringIO()
    demo.seed_demo(out)
    assert "not published (no graded exam session" in out.getvalue()
    current = AssessmentScheme.objects.get(year=last + 1)
    previous = AssessmentScheme.objects.get(year=last)
    assert Indicator.objects.get(scheme=previous, code="EXAM").points == 20
    assert Indicator.objects.get(scheme=current, code="EXAM").points == 30
    assert sum(i.points for i in current.indicators.all() if not i.parent_code) == 100
    assert not Publication.objects.exists()
    graded_session(year=last, code="PAST", results={"JD01-ZD01": [85, 70], "JD01-ZD02": [66, "absent"]})
    demo.seed_demo(out)  # run again: schemes kept, last year now published
    assert AssessmentScheme.objects.count() == 2
    publication = Publication.objects.get(year=last)
    squad = next(u for u in publication.data["squads"] if u["code"] == "JD01-ZD01")
    assert squad["cells"]["EXAM"]["source"] == "考试场次 PAST"
    demo.seed_demo(out)
    assert Publication.objects.count() == 1


def test_seed_demo_runs_the_assessment_step_after_the_exam_demo():
    from django.core.management import call_command as call

    out = io.StringIO()
    call("seed_demo", stdout=out)
    text = out.getvalue()
    assert text.index("Exams:") < text.index("Assessment: schemes")
    assert AssessmentScheme.objects.count() == 2
    this_year = AssessmentScheme.objects.order_by("-year").first()
    assert Indicator.objects.get(scheme=this_year, code="EXAM").points == 30
    assert Indicator.objects.get(scheme=this_year, code="STUDY-DONE").kind == "study"  # from the demo study plan
