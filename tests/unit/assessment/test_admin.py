"""The admin screens: who sees what, the scheme form's checks, change tracking, entry, exports."""

import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from lms.assessment.models import AssessmentScheme, EnteredScore, Indicator
from lms.assessment.services.entries import enter_score
from lms.assessment.services.publish import publish_year
from lms.assessment.services.schemes import copy_scheme
from lms.core.models import AuditEntry
from lms.core.pdf import EMBEDDED_FONT_NAME, cjk_font_name
from lms.roster.models import Position

from .factories import district, entered, exam, graded_session, scheme

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(assessor):
    units = district({"S1": {"A": {Position.LEGAL_OFFICER: 1}, "B": {Position.SQUAD_LEADER: 1}}})
    graded_session(year=2026, code="E2026", results={"A": [80], "B": [70]})
    s = scheme(2026, [exam(30), {"code": "STAR", "name": "星级中队建设", "kind": "group", "points": 20},
                      entered(10, code="S-ORG", name="组织领导", parent_code="STAR", star_aspect="leadership"),
                      entered(10, code="S-ENF", name="行政执法", parent_code="STAR", star_aspect="enforcement"),
                      entered(50)])
    for code, value in (("S-ORG", 9.5), ("S-ENF", 7), ("CASE", 45)):
        for unit in ("A", "B"):
            enter_score(indicator=Indicator.objects.get(scheme=s, code=code), unit=units[unit], value=value,
                        actor=assessor)
    return s, units


def test_assessor_sees_the_year_with_its_ranking_breakdown_and_stars(client, assessor, year):
    s, units = year
    client.force_login(assessor)
    page = client.get("/admin/assessment/2026/").content.decode()
    assert 'data-ranking="squad"' in page and "A中队" in page and "<svg" in page
    breakdown = client.get(f"/admin/assessment/2026/units/{units['A'].pk}/").content.decode()
    assert "考试场次 E2026" in breakdown and "李军" in breakdown
    stars = client.get("/admin/assessment/2026/stars/").content.decode()
    # A: (9.5 + 7) / 20 = 82.5 % with 行政执法 at 70 %: two stars (75 / 65); three need 90 % and 80 % each.
    assert 'data-stars-count="2"' in stars
    assert "四个方面合计还差 1.50 分（需达到 90.0%）" in stars
    assert "“行政执法”还差 1.00 分（需不低于 80.0%）" in stars


@pytest.mark.parametrize("fixture", ["trainer", "hr_user"])
def test_trainers_and_hr_see_no_unpublished_results(client, request, fixture, year):
    user = request.getfixturevalue(fixture)
    client.force_login(user)
    for url in ("/admin/assessment/2026/", "/admin/assessment/2026/what-if/", "/admin/assessment/2026/export.xlsx",
                "/admin/assessment/2026/stars/", "/admin/assessment/2026/entered/",
                f"/admin/assessment/2026/units/{year[1]['A'].pk}/"):
        response = client.get(url)
        # Wagtail turns a refused admin view into a redirect to the dashboard with a message.
        assert (response.status_code, response.get("Location")) in ((403, None), (302, "/admin/")), url
    index = client.get("/admin/assessment/")
    assert index.status_code == 200 and "尚未发布任何考核结果" in index.content.decode()


@pytest.mark.parametrize("fixture", ["trainer", "hr_user"])
def test_trainers_and_hr_see_published_results(client, request, fixture, year, assessor):
    publication = publish_year(scheme=year[0], actor=assessor)
    client.force_login(request.getfixturevalue(fixture))
    assert client.get("/admin/assessment/").content.decode().count("已发布结果") >= 1
    page = client.get(f"/admin/assessment/published/{publication.pk}/")
    assert page.status_code == 200 and "A中队" in page.content.decode()
    assert client.get("/admin/assessment/2026/export.xlsx?version=1").status_code == 200
    assert client.get("/admin/assessment/2026/").status_code in (302, 403)


def test_officers_see_nothing(client, officer, year):
    client.force_login(officer)
    for url in ("/admin/assessment/", "/admin/assessment/2026/"):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert "A中队" not in response.content.decode()


def test_assessors_read_exams_and_rosters_but_change_nothing_outside_assessment(assessor):
    assert assessor.has_perm("exams.view_examsession") and assessor.has_perm("roster.view_person")
    assert not assessor.has_perm("exams.change_examsession")
    assert not assessor.has_perm("roster.change_person")
    assert not assessor.has_perm("question_bank.change_question")
    assert assessor.has_perm("assessment.change_assessmentscheme")


def scheme_post(s, rows, **extra):
    data = {"year": s.year, "title": s.title, "street_rule": "mean", "star1_total": "60", "star1_min": "50",
            "star2_total": "75", "star2_min": "65", "star3_total": "90", "star3_min": "80",
            "indicators-TOTAL_FORMS": str(len(rows)), "indicators-INITIAL_FORMS": str(len(rows)),
            "indicators-MIN_NUM_FORMS": "0", "indicators-MAX_NUM_FORMS": "1000"}
    for n, (indicator, values) in enumerate(rows):
        prefix = f"indicators-{n}-"
        base = {"id": indicator.pk, "ORDER": n + 1, "code": indicator.code, "parent_code": indicator.parent_code,
                "name": indicator.name, "kind": indicator.kind, "points": str(indicator.points),
                "exam_measure": indicator.exam_measure, "absent_rule": indicator.absent_rule,
                "star_aspect": indicator.star_aspect, "description": ""}
        base.update(values)
        data.update({prefix + k: v for k, v in base.items()})
    data.update(extra)
    return data


def test_a_scheme_whose_weights_do_not_add_up_is_refused_with_a_located_message(client, assessor, year):
    s, _units = year
    client.force_login(assessor)
    rows = [(i, {}) for i in s.indicators.all()]
    rows[0] = (rows[0][0], {"points": "35"})
    response = client.post(f"/admin/assessment/schemes/edit/{s.pk}/", scheme_post(s, rows))
    page = response.content.decode()
    assert "一级指标分值合计为 105 分，必须等于 100 分（相差 -5 分）。" in page
    assert Indicator.objects.get(scheme=s, code="EXAM").points == Decimal("30")


def test_a_group_whose_indicators_do_not_add_up_is_refused(client, assessor, year):
    s, _units = year
    client.force_login(assessor)
    rows = [(i, {"points": "12"} if i.code == "S-ORG" else {}) for i in s.indicators.all()]
    page = client.post(f"/admin/assessment/schemes/edit/{s.pk}/", scheme_post(s, rows)).content.decode()
    assert "第2行指标“星级中队建设”（STAR）：分值 20 分，但下级指标合计 22 分。" in page


def test_saving_a_scheme_records_who_changed_which_indicator(client, assessor, year):
    s, _units = year
    client.force_login(assessor)
    rows = [(i, {"points": "40"} if i.code == "EXAM" else ({"points": "40"} if i.code == "CASE" else {}))
            for i in s.indicators.all()]
    response = client.post(f"/admin/assessment/schemes/edit/{s.pk}/", scheme_post(s, rows))
    assert response.status_code == 302, response.content.decode()[:3000]
    exam_indicator = Indicator.objects.get(scheme=s, code="EXAM")
    assert exam_indicator.points == Decimal("40") and exam_indicator.changed_by == assessor
    assert Indicator.objects.get(scheme=s, code="S-ORG").changed_by is None
    entry = AuditEntry.objects.get(action="assessment.scheme_change")
    assert {c["code"] for c in entry.data["changes"]} == {"EXAM", "CASE"}


def test_a_new_year_is_a_copy_and_shows_the_change_against_the_previous_year(client, assessor, year):
    s, _units = year
    new = copy_scheme(source=s, year=2027, actor=assessor)
    assert [i.code for i in new.indicators.all()] == [i.code for i in s.indicators.all()]
    Indicator.objects.filter(scheme=new, code="EXAM").update(points=Decimal("50"), changed_by=assessor)
    Indicator.objects.filter(scheme=new, code="CASE").update(points=Decimal("30"))
    client.force_login(assessor)
    page = client.get("/admin/assessment/2027/").content.decode()
    row = page[page.index('data-indicator="EXAM"'):]
    row = row[: row.index("</tr>")]
    assert "30.0" in row and "+20.0" in row and "李军" in row
    response = client.post("/admin/assessment/2026/copy/", {"year": 2027})
    assert AssessmentScheme.objects.filter(year=2027).count() == 1
    assert response.status_code == 302


def test_entering_a_score_above_the_points_is_refused_and_nothing_written(client, assessor, year):
    s, units = year
    client.force_login(assessor)
    case = Indicator.objects.get(scheme=s, code="CASE")
    before = EnteredScore.objects.get(indicator=case, unit=units["A"]).value
    page = client.post("/admin/assessment/2026/entered/", {"indicator": case.pk, "unit": units["A"].pk,
                                                           "value": "55", "note": ""}).content.decode()
    assert "A中队，指标“案卷评查”：超过该指标满分 50.0 分（填写的是 55）。" in page
    assert EnteredScore.objects.get(indicator=case, unit=units["A"]).value == before


def test_exports_have_the_design_columns(client, assessor, year):
    client.force_login(assessor)
    response = client.get("/admin/assessment/2026/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content))["排名"]
    header = [c.value for c in sheet[1]]
    assert header == ["单位", "类型", "法律知识当场考试", "星级中队建设", "案卷评查", "总分", "排名", "星级"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["A中队"][1] == "中队" and rows["S1街道"][1] == "街道" and rows["A中队"][7] == "★★"
    # openpyxl does not read charts back: look for the chart part in the package.
    assert any(n.startswith("xl/charts/chart") for n in zipfile.ZipFile(io.BytesIO(response.content)).namelist())
    pdf = client.get("/admin/assessment/2026/export.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "依法行政工作考核结果" in text and "A中队" in text and "各中队总分" in text
    if cjk_font_name() == EMBEDDED_FONT_NAME:  # a real CJK font is installed: its subset is embedded
        assert b"/FontFile2" in pdf.content


def test_the_scheme_editor_renders_for_assessors(client, assessor, year):
    client.force_login(assessor)
    assert client.get("/admin/assessment/schemes/add/").status_code == 200
    page = client.get(f"/admin/assessment/schemes/edit/{year[0].pk}/").content.decode()
    assert "法律知识当场考试" in page and "indicators-TOTAL_FORMS" in page


def test_a_scheme_with_a_published_result_cannot_be_deleted(client, assessor, year):
    s, _units = year
    client.force_login(assessor)
    publish_year(scheme=s, actor=assessor)
    response = client.post(f"/admin/assessment/schemes/delete/{s.pk}/")
    assert response.status_code in (302, 403)
    assert AssessmentScheme.objects.filter(pk=s.pk).exists()


def test_whatif_previews_without_saving_and_refuses_weights_that_do_not_add_up(client, assessor, year):
    s, _units = year
    client.force_login(assessor)
    page = client.get("/admin/assessment/2026/what-if/", {"p_EXAM": "50", "p_CASE": "30"}).content.decode()
    assert 'data-ranking="squad"' in page and "data-top-total" in page
    assert Indicator.objects.get(scheme=s, code="EXAM").points == Decimal("30")
    unbalanced = client.get("/admin/assessment/2026/what-if/", {"p_EXAM": "50"}).content.decode()
    assert "必须为100" in unbalanced
    response = client.post("/admin/assessment/2026/what-if/", {"p_EXAM": "50"})
    assert "一级指标分值合计为 120 分，必须等于 100 分（相差 -20 分）。" in response.content.decode()
    assert Indicator.objects.get(scheme=s, code="EXAM").points == Decimal("30")
    bad = client.get("/admin/assessment/2026/what-if/", {"p_EXAM": "abc"}).content.decode()
    assert "指标“法律知识当场考试”：“abc”不是数字。" in bad


def test_changing_the_weights_of_a_published_year_needs_a_confirmation(client, assessor, year):
    s, _units = year
    client.force_login(assessor)
    publish_year(scheme=s, actor=assessor)
    preview = client.get("/admin/assessment/2026/what-if/", {"p_EXAM": "50", "p_CASE": "30"}).content.decode()
    assert "data-published-warning" in preview and 'name="confirm_published"' in preview
    refused = client.post("/admin/assessment/2026/what-if/", {"p_EXAM": "50", "p_CASE": "30"})
    assert refused.status_code == 200 and "本年度考核结果已发布" in refused.content.decode()
    assert 'name="confirm_published"' in refused.content.decode()  # the form stays: tick and apply
    assert Indicator.objects.get(scheme=s, code="EXAM").points == Decimal("30")
    applied = client.post("/admin/assessment/2026/what-if/", {"p_EXAM": "50", "p_CASE": "30", "confirm_published": "1"})
    assert applied.status_code == 302
    assert Indicator.objects.get(scheme=s, code="EXAM").points == Decimal("50")
    assert s.publications.count() == 1  # nothing republished by changing the weights


def test_a_year_without_any_squad_shows_empty_states(client, assessor):
    scheme(2030, [entered(100)])
    client.force_login(assessor)
    page = client.get("/admin/assessment/2030/")
    assert page.status_code == 200 and "没有单位。" in page.content.decode()
    assert client.get("/admin/assessment/2030/stars/").status_code == 200
    assert client.get("/admin/assessment/2030/export.pdf").status_code == 200


def test_a_scheme_naming_another_years_session_is_refused(client, assessor, year):
    s, _units = year
    other = graded_session(year=2025, code="E2025", results={"A": [60]})
    client.force_login(assessor)
    rows = [(i, {"sessions": [other.pk]} if i.code == "EXAM" else {}) for i in s.indicators.all()]
    page = client.post(f"/admin/assessment/schemes/edit/{s.pk}/", scheme_post(s, rows)).content.decode()
    assert "第1行指标“法律知识当场考试”：考试场次 E2025 属于 2025 年，不是 2026 年。" in page
    assert not Indicator.objects.get(scheme=s, code="EXAM").sessions.exists()


def test_a_bad_version_number_is_a_missing_page(client, assessor, year):
    client.force_login(assessor)
    assert client.get("/admin/assessment/2026/export.xlsx?version=abc").status_code == 404
    assert client.get(f"/admin/assessment/2026/units/{year[1]['A'].pk}/?version=9").status_code == 404
    assert client.get("/admin/assessment/2031/").status_code == 404
