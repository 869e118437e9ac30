"""In Chromium: a trainer builds a blueprint, sees the infeasible cell named, fixes it, creates a session,
draws the candidates, excuses one and sees the replacement; the officer then sees his own sitting."""

import pytest

from lms.core import roles
from lms.roster.models import Position
from tests.conftest import make_user
from tests.e2e.admin_helpers import add_inline, admin_login
from tests.unit.exams.factories import build_bank, build_district

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_trainer_builds_blueprint_and_session_draws_and_excuses(page, output_dir):
    build_district([
        {Position.SQUAD_LEADER: 1, Position.LEGAL_OFFICER: 1, Position.ENFORCEMENT_OFFICER: 8, Position.AUXILIARY: 2},
        {Position.SQUAD_LEADER: 1, Position.ENFORCEMENT_OFFICER: 5},
    ])
    build_bank({("single", "K1", 3): 6, ("single", "K2", 3): 4, ("true_false", "K1", 2): 2})
    make_user("trainer_e2e", roles.TRAINER, last_name="钱", first_name="敏")
    admin_login(page, "trainer_e2e")

    # 1. A blueprint whose true/false quota asks for more than the bank holds.
    page.goto(page.base_url + "/admin/exams/blueprints/add/")
    page.wait_for_load_state("networkidle")
    page.fill("input[name=name]", "季度测验方案")
    page.select_option("select[name=sections-0-question_type]", "single")
    page.fill("input[name=sections-0-count]", "5")
    page.fill("input[name=sections-0-points]", "4")
    add_inline(page, "sections", "select[name=sections-1-question_type]")
    page.select_option("select[name=sections-1-question_type]", "true_false")
    page.fill("input[name=sections-1-count]", "4")
    page.fill("input[name=sections-1-points]", "20")
    page.wait_for_function("document.querySelector('[data-blueprint-total]').textContent === '100'")
    add_inline(page, "knowledge_quotas", "select[name=knowledge_quotas-0-question_type]")
    page.select_option("select[name=knowledge_quotas-0-question_type]", "true_false")
    page.select_option("select[name=knowledge_quotas-0-knowledge_point]", label="知识点K1")
    page.fill("input[name=knowledge_quotas-0-count]", "4")
    page.screenshot(path=str(output_dir / "exams_blueprint_editor.png"), full_page=True)
    page.get_by_role("button", name="保存").first.click()
    page.wait_for_url("**/admin/exams/blueprints/")
    page.get_by_role("link", name="检查与预览").first.click()
    issues = page.locator("[data-check=issues]")
    assert "判断题 · 知识点K1：需要 4 题，题库中启用的只有 2 题" in issues.inner_text()
    page.screenshot(path=str(output_dir / "exams_blueprint_infeasible.png"), full_page=True)

    # 2. Fix it: two true/false questions worth 40 points each.
    page.get_by_role("link", name="编辑组卷方案").click()
    page.fill("input[name=sections-1-count]", "2")
    page.fill("input[name=sections-1-points]", "40")
    page.fill("input[name=knowledge_quotas-0-count]", "2")
    page.get_by_role("button", name="保存").first.click()
    page.wait_for_url("**/admin/exams/blueprints/")
    page.get_by_role("link", name="检查与预览").first.click()
    assert "可以满足" in page.locator("[data-check=ok]").inner_text()
    assert page.locator("ol.exam-sample > li").count() == 7
    page.screenshot(path=str(output_dir / "exams_blueprint_ok.png"), full_page=True)

    # 3. A session for it, with one venue.
    page.goto(page.base_url + "/admin/exams/sessions/add/")
    page.wait_for_load_state("networkidle")  # the inline-panel script must be ready before "add venue"
    page.fill("input[name=code]", "Q4-TEST")
    page.fill("input[name=title]", "第四季度法律知识测验")
    page.fill("input[name=year]", "2026")
    page.select_option("select[name=blueprint]", label="季度测验方案")
    page.fill("input[name=starts_at]", "2026-12-20 09:00")
    page.fill("input[name=ends_at]", "2026-12-20 11:00")
    assert page.locator("input[name=mandatory_positions][value=legal_officer]").is_checked()
    add_inline(page, "venues", "input[name=venues-0-name]")
    page.fill("input[name=venues-0-name]", "第一考场")
    page.fill("input[name=venues-0-seats]", "40")
    page.get_by_role("button", name="保存").first.click()
    page.wait_for_url("**/admin/exams/sessions/")

    # 4. Draw, then excuse one sampled candidate and see who replaces him.
    page.get_by_role("link", name="概况").first.click()
    page.fill("input[name=seed]", "witness-2026")
    page.fill("input[name=witness]", "公证员 孙")
    page.locator("[data-action=draw]").click()
    assert page.locator("[data-seed]").inner_text() == "witness-2026"
    assert page.locator("[data-lacking-legal-officer]").is_visible()
    page.screenshot(path=str(output_dir / "exams_dashboard_drawn.png"))
    row = page.locator("tr[data-reason=sampled]").first
    excused_name = row.get_attribute("data-candidate")
    row.locator("input[name=reason]").fill("公务外出")
    row.locator("input[name=approved_by]").fill("李科长")
    row.get_by_role("button", name="免考").click()
    page.wait_for_load_state()
    message = page.locator(".messages").inner_text()
    assert f"{excused_name} 已免考；由" in message
    replacement = page.locator("tr[data-reason=replacement]")
    assert replacement.count() == 1 and f"接替 {excused_name}" in replacement.inner_text()
    assert page.locator(f"tr[data-candidate='{excused_name}'][data-attendance=excused]").count() == 1
    replacement.scroll_into_view_if_needed()
    page.screenshot(path=str(output_dir / "exams_dashboard_replacement.png"))


def test_officer_sees_his_own_exam_on_a_phone(phone_page, output_dir):
    from lms.exams.services.draw import draw_candidates
    from lms.roster.models import Person
    from tests.unit.exams.factories import build_blueprint, build_session

    build_district([{Position.SQUAD_LEADER: 1, Position.LEGAL_OFFICER: 1, Position.ENFORCEMENT_OFFICER: 4}])
    build_bank({("single", "K1", 3): 6})
    session = build_session(blueprint=build_blueprint(), code="PHONE-1")
    draw = draw_candidates(session=session, seed="phone")
    mine, other = list(draw.candidates.order_by("ticket_number")[:2])
    user = make_user("officer_e2e", roles.OFFICER)
    Person.objects.filter(pk=mine.person_id).update(user=user)
    page = phone_page
    page.goto(page.base_url + "/accounts/login/")
    page.fill("input[name=username]", "officer_e2e")
    page.fill("input[name=password]", "pass-Word-123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + "/")
    page.get_by_role("link", name="我的考试").first.click()
    card = page.locator(f"[data-exam='{session.code}']")
    text = card.inner_text()
    assert mine.ticket_number in text and "第一考场" in text and str(mine.seat) in text
    assert other.name not in page.content() and other.ticket_number not in page.content()
    page.screenshot(path=str(output_dir / "exams_my_exams_phone.png"), full_page=True)
