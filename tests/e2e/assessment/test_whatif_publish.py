"""In Chromium: an assessor raises the exam's weight in the what-if preview, sees the ranking change, applies
the weights and publishes the year."""

import pytest

from lms.assessment.models import Indicator, Publication
from lms.assessment.services.entries import enter_score
from lms.core import roles
from lms.roster.models import Position
from tests.conftest import make_user
from tests.e2e.admin_helpers import admin_login
from tests.unit.assessment.factories import district, entered, exam, graded_session, scheme

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_assessor_previews_a_higher_exam_weight_then_publishes(page, output_dir):
    assessor = make_user("assessor_e2e", roles.ASSESSOR, password="pass-Word-123", last_name="刘", first_name="洋")
    units = district({"S1": {"A": {Position.LEGAL_OFFICER: 1}, "B": {Position.LEGAL_OFFICER: 1}}})
    # A: strong exam (90), weak case files; B: the other way round.
    graded_session(year=2026, code="E2026", results={"A": [90, 90], "B": [50, 50]})
    s = scheme(2026, [exam(30), entered(70)])
    case = Indicator.objects.get(scheme=s, code="CASE")
    enter_score(indicator=case, unit=units["A"], value=40, actor=assessor)  # A: 27 + 40 = 67
    enter_score(indicator=case, unit=units["B"], value=60, actor=assessor)  # B: 15 + 60 = 75

    admin_login(page, "assessor_e2e")

    # The scheme editor shows each indicator's own settings only.
    page.goto(page.base_url + f"/admin/assessment/schemes/edit/{s.pk}/")
    absent_rule = page.locator('[name="indicators-0-absent_rule"]')
    roster_check = page.locator('[name="indicators-0-roster_check"]')
    assert absent_rule.is_visible() and not roster_check.is_visible()
    page.select_option('[name="indicators-0-kind"]', "roster")
    assert roster_check.is_visible() and not absent_rule.is_visible()
    page.select_option('[name="indicators-0-kind"]', "exam")
    page.screenshot(path=str(output_dir / "assessment-scheme-editor.png"))

    page.goto(page.base_url + "/admin/assessment/2026/")
    squads = page.locator('table[data-ranking="squad"] tbody tr')
    assert squads.nth(0).get_attribute("data-unit") == "B"

    page.get_by_role("link", name="权重模拟").click()
    page.get_by_label("法律知识当场考试").fill("60")
    page.get_by_label("案卷评查").fill("40")
    page.get_by_role("button", name="预览排名").click()
    page.wait_for_load_state("networkidle")
    # A: 0.9 × 60 + 40/70 × 40 = 54 + 22.86 = 76.86; B: 0.5 × 60 + 60/70 × 40 = 30 + 34.29 = 64.29.
    preview = page.locator('table[data-ranking="squad"] tbody tr')
    assert preview.nth(0).get_attribute("data-unit") == "A"
    assert preview.nth(0).locator("[data-total]").inner_text() == "76.86"
    assert preview.nth(0).locator("[data-up]").inner_text() == "▲1"
    assert page.locator("[data-top-total]").inner_text().startswith("100")
    page.screenshot(path=str(output_dir / "assessment-whatif.png"), full_page=True)
    assert Indicator.objects.get(scheme=s, code="EXAM").points == 30  # nothing saved by a preview

    page.get_by_role("button", name="应用到考核方案").click()
    page.wait_for_url("**/admin/assessment/2026/")
    assert page.locator('[data-indicator="EXAM"] [data-delta]').count() == 1
    assert page.locator('table[data-ranking="squad"] tbody tr').nth(0).get_attribute("data-unit") == "A"
    page.screenshot(path=str(output_dir / "assessment-year.png"), full_page=True)
    page.get_by_role("button", name="发布结果").click()
    page.wait_for_url("**/admin/assessment/published/*/")
    assert "第1版" in page.locator("[data-status]").inner_text()
    page.screenshot(path=str(output_dir / "assessment-published.png"), full_page=True)

    publication = Publication.objects.get()
    assert publication.published_by == assessor
    assert [(u["code"], u["total"]) for u in publication.data["squads"]] == [("A", "76.86"), ("B", "64.29")]
    assert Indicator.objects.get(scheme=s, code="EXAM").changed_by == assessor
