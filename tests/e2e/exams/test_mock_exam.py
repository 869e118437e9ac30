"""A mock exam (模拟考试) on a phone, in Chromium: the officer starts one from 我的考试, answers, submits, and
the receipt reviews every question with its key and explanation; the score counts only the marked points
(essays are not marked in practice) and says so."""

import pytest
from playwright.sync_api import expect

from lms.core import roles
from lms.exams.models import Attempt, AttemptKind, AttemptStatus
from tests.conftest import make_user
from tests.unit.exams.sitting_factories import build_full_bank, full_blueprint

from .sitting_helpers import officer_login, phone_context

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_officer_practises_on_a_phone_and_reviews_every_question(browser, live_server, output_dir):
    build_full_bank()
    blueprint = full_blueprint("手机练习方案")
    blueprint.open_for_practice = True
    blueprint.save()
    user = make_user("mock_phone_officer", roles.OFFICER)
    context = phone_context(browser)
    page = context.new_page()
    page.set_default_timeout(30000)
    officer_login(page, live_server.url, "mock_phone_officer", "pass-Word-123")

    page.locator(".mock-exams .card", has_text="手机练习方案").get_by_role("button", name="开始模拟考试").click()
    page.wait_for_selector("#sitting")
    single = page.locator("section.question[data-type=single]").first
    single.locator("label.option").first.click()
    expect(page.locator("#save-state")).to_have_text("已保存")
    page.locator("section.question[data-type=true_false]").first.locator("label.option").first.click()
    expect(page.locator("#save-state")).to_have_text("已保存")

    page.locator("#submit-open").click()
    page.locator("#submit-confirm-button").click()
    page.wait_for_selector("#sitting-receipt")
    attempt = Attempt.objects.get(user=user, kind=AttemptKind.MOCK)
    assert attempt.status == AttemptStatus.SUBMITTED and attempt.score is not None

    review = page.locator("[data-review] li.review-item")
    expect(review).to_have_count(8)
    assert page.locator("[data-key]").count() >= 7  # every question but the essay shows its key
    assert page.locator("[data-reference]").count() == 1  # the essay shows its reference answer
    score = page.locator("[data-score]").inner_text()
    assert "16" in score and "26" not in score and "10" in score  # 26 points on the paper, the essay's 10 unmarked
    page.screenshot(path=str(output_dir / "mock-exam-receipt-phone.png"), full_page=True)
    # Nothing wider than the phone: the review wraps.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()
