"""The clocks of the sitting: the countdown runs from the server's deadline corrected for the device's clock
(a phone whose clock is three hours slow still shows the time actually left), and the start page's countdown
shows the start button at zero without reloading."""

import datetime as dt

from django.utils import timezone

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


def test_at_zero_the_start_button_appears_without_a_reload_and_the_paper_keeps_its_own_address(browser, live_server):
    """A thousand start pages reaching zero in the same second must not reload at once: the page shows the
    start button it already holds. The start POST answers with the paper, and the address bar then holds
    the paper's own address, so a reload is a plain GET (no "resubmit the form?")."""
    session, (attempt, _other) = open_session(code="ZERO", delivery=Delivery.ONLINE, usernames=["zero_officer"])
    session.starts_at = timezone.now() + dt.timedelta(seconds=6)
    session.save(update_fields=["starts_at"])
    context = phone_context(browser)
    page = context.new_page()
    page.set_default_timeout(30000)
    officer_login(page, live_server.url, "zero_officer", "pass-Word-123")
    url = f"{live_server.url}/exams/attempt/{attempt.pk}/"
    page.goto(url)
    assert page.get_by_text("距离开考还有").is_visible()
    button = page.get_by_role("button", name="开始考试")
    assert not button.is_visible()
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads
    button.wait_for(state="visible", timeout=20000)
    assert page.evaluate("window.__sameDocument === true")
    assert not page.get_by_text("距离开考还有").is_visible()
    methods = []
    page.on("request", lambda request: request.is_navigation_request() and methods.append(request.method))
    button.click()
    page.wait_for_selector("#sitting")
    page.wait_for_url(url)  # the page's script gives the paper its own address
    assert methods == ["POST"]  # one request: the start answered with the paper
    page.reload()
    page.wait_for_selector("#sitting")
    assert methods == ["POST", "GET"]
    context.close()
