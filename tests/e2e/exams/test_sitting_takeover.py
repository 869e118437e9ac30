"""One device at a time, in Chromium: the officer starts on his phone, continues on a PC; the phone then
says 考试已在另一台设备上继续 and saves nothing more, while the PC saves."""

import pytest
from playwright.sync_api import expect

from lms.exams.models import AttemptEvent, Response
from tests.unit.exams.sitting_factories import open_session

from .sitting_helpers import officer_login, pc_context, phone_context

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_second_device_takes_over_and_the_first_stops_saving(browser, live_server, output_dir, settings):
    settings.EXAM_STATE_POLL_SECONDS = 60  # the refused save, not the state poll, must tell the phone
    session, (attempt, _other) = open_session(code="TKO", usernames=["takeover_officer"])
    code = session.venues.get().access_code
    phone_ctx, pc_ctx = phone_context(browser), pc_context(browser)
    phone, pc = phone_ctx.new_page(), pc_ctx.new_page()
    for page in (phone, pc):
        page.set_default_timeout(30000)
        officer_login(page, live_server.url, "takeover_officer", "pass-Word-123")
    phone.goto(f"{live_server.url}/exams/attempt/{attempt.pk}/")
    phone.fill("input[name=access_code]", code)
    phone.get_by_role("button", name="开始考试").click()
    phone.locator("section.question[data-type=single]").first.locator("label.option").first.click()
    expect(phone.locator("#save-state")).to_have_text("已保存")  # a locator wait: no script text under the CSP

    pc.goto(f"{live_server.url}/exams/attempt/{attempt.pk}/")
    assert "正在另一台设备上进行" in pc.content()
    pc.fill("input[name=access_code]", code)
    pc.get_by_role("button", name="在本设备继续").click()
    pc.wait_for_selector("#sitting")
    assert pc.locator("section.question[data-type=single]").first.locator("input[name^=q]").first.is_checked()

    second = phone.locator("section.question[data-type=single]").nth(1)
    second.locator("label.option").first.click()
    phone.wait_for_selector("#sitting-alert:not([hidden])")
    assert "考试已在另一台设备上继续" in phone.locator("#sitting-alert").inner_text()
    assert phone.locator("#submit-open").is_disabled()
    phone.screenshot(path=str(output_dir / "sitting-taken-over.png"))
    position = int(second.get_attribute("data-position"))
    assert Response.objects.get(attempt=attempt, position=position).answer is None

    pc.locator(f"section.question[data-position='{position}'] label.option").nth(2).click()
    expect(pc.locator("#save-state")).to_have_text("已保存")  # a locator wait: no script text under the CSP
    assert Response.objects.get(attempt=attempt, position=position).answer
    assert AttemptEvent.objects.filter(attempt=attempt, kind="taken_over").count() == 1
    phone_ctx.close()
    pc_ctx.close()
