"""The countdown runs from the server's deadline corrected for the device's clock: a phone whose clock is
three hours slow still shows the time actually left."""

import datetime as dt

import pytest

from lms.exams.models import Delivery
from tests.unit.exams.sitting_factories import open_session

from .sitting_helpers import officer_login, phone_context

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_countdown_is_corrected_for_a_wrong_device_clock(browser, live_server):
    _session, (attempt, _other) = open_session(code="CLK", delivery=Delivery.ONLINE, usernames=["clock_officer"])
    context = phone_context(browser)
    page = context.new_page()
    page.set_default_timeout(30000)
    officer_login(page, live_server.url, "clock_officer", "pass-Word-123")
    page.goto(f"{live_server.url}/exams/attempt/{attempt.pk}/")
    page.get_by_role("button", name="开始考试").click()
    page.wait_for_selector("#sitting")
    # Leave the sitting page before clearing what it stored: a save or state check still in flight there
    # would write its clock offset back after the clear. /healthz is on the same origin and runs no script.
    page.goto(f"{live_server.url}/healthz")
    page.evaluate("localStorage.clear()")
    page.clock.set_fixed_time(dt.datetime.now(dt.UTC) - dt.timedelta(hours=3))
    page.goto(f"{live_server.url}/exams/attempt/{attempt.pk}/")
    page.wait_for_function("document.getElementById('countdown').textContent !== '--:--'")
    shown = page.locator("#countdown").inner_text()
    assert shown.startswith("59:") or shown == "1:00:00", shown
    context.close()
