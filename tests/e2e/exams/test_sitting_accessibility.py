"""axe-core (axe-playwright-python) in Chromium finds no serious or critical violation on the officer's exam
list, the start page, the sitting page (whole paper and one question at a time) and the receipt."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from lms.exams.models import Attempt
from tests.unit.exams.sitting_factories import open_session

from .sitting_helpers import officer_login, pc_context, phone_context

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _serious(page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("device", ["phone", "pc"])
def test_exam_list_and_sitting_pages_have_no_serious_axe_violations(browser, live_server, output_dir, device):
    session, (attempt, _other) = open_session(code=f"AX{device[:2].upper()}", usernames=[f"ax_{device}"])
    session.blueprint.open_for_practice = True
    session.blueprint.save()
    context = phone_context(browser) if device == "phone" else pc_context(browser)
    page = context.new_page()
    page.set_default_timeout(30000)
    found = {}
    officer_login(page, live_server.url, f"ax_{device}", "pass-Word-123")
    found["my exams"] = _serious(page)

    page.goto(f"{live_server.url}/exams/attempt/{attempt.pk}/")
    found["start"] = _serious(page)
    page.fill("input[name=access_code]", session.venues.get().access_code)
    page.get_by_role("button", name="开始考试").click()
    page.wait_for_selector("#sitting")
    page.locator("section.question[data-type=single]").first.locator("label.option").first.click()
    page.locator("section.question[data-type=multiple]").first.locator("[data-flag]").check()
    page.wait_for_function("document.getElementById('save-state').textContent === '已保存'")
    found["sitting, whole paper"] = _serious(page)
    page.screenshot(path=str(output_dir / f"sitting-{device}-whole-paper.png"), full_page=False)
    page.get_by_role("button", name="逐题作答").click()
    found["sitting, one question"] = _serious(page)
    page.screenshot(path=str(output_dir / f"sitting-{device}-one-question.png"), full_page=False)
    page.get_by_role("button", name="交卷").first.click()
    confirm = page.locator("#submit-confirm")
    flagged = page.locator("section.question[data-type=multiple]").first.get_attribute("data-position")
    assert confirm.locator("[data-flagged]").inner_text() == flagged  # the flagged question is listed
    assert "2" in confirm.locator("[data-unanswered]").inner_text().split("、")  # and the unanswered ones
    found["submit confirmation"] = _serious(page)
    page.get_by_role("button", name="确认交卷").click()
    page.wait_for_selector("#sitting-receipt")
    found["receipt"] = _serious(page)
    page.screenshot(path=str(output_dir / f"sitting-{device}-receipt.png"), full_page=True)
    assert Attempt.objects.get(pk=attempt.pk).status == "submitted"
    context.close()
    assert {name: v for name, v in found.items() if v} == {}
