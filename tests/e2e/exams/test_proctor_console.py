"""In Chromium: a proctor watches two candidates sit in two browser contexts; the console's statuses
change by themselves; an extension lets one candidate save after the other's deadline, while the other is
submitted by the server. Officers cannot open the console."""

import datetime as dt

from django.utils import timezone

import pytest

from lms.core import roles
from lms.exams.models import Attempt, AttemptStatus, Response, SubmittedBy
from tests.conftest import make_user
from tests.e2e.admin_helpers import admin_login
from tests.unit.exams.sitting_factories import open_session

from .sitting_helpers import ResponseScanner, officer_login, pc_context, phone_context

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _row(page, attempt):
    return page.locator(f"tr[data-attempt='{attempt.pk}']")


def _enter(page, base_url, username, attempt, code):
    officer_login(page, base_url, username, "pass-Word-123")
    page.goto(f"{base_url}/exams/attempt/{attempt.pk}/")
    page.fill("input[name=access_code]", code)
    page.get_by_role("button", name="开始考试").click()
    page.wait_for_selector("#sitting")


def _answer_first_single(page, index=0, option=0):
    page.locator("section.question[data-type=single]").nth(index).locator("label.option").nth(option).click()
    page.wait_for_function("document.getElementById('save-state').textContent === '已保存'")


def test_proctor_console_follows_two_candidates_and_an_extension_outlasts_the_deadline(browser, live_server,
                                                                                       output_dir, settings):
    settings.EXAM_STATE_POLL_SECONDS = 2
    session, (first, second) = open_session(code="PRC", usernames=["cand_a", "cand_b"])
    session.save_grace_seconds = 2
    session.save(update_fields=["save_grace_seconds"])
    code = session.venues.get().access_code
    make_user("proctor_e2e", roles.PROCTOR, last_name="陈", first_name="静")

    proctor_ctx = pc_context(browser)
    proctor = proctor_ctx.new_page()
    proctor.set_default_timeout(30000)
    admin_login(proctor, "proctor_e2e", base_url=live_server.url)
    proctor.goto(f"{live_server.url}/admin/exams/proctor/{session.pk}/")
    assert code in proctor.locator("[data-access-code]").inner_text()
    assert "未开始" in _row(proctor, first).inner_text() and "未开始" in _row(proctor, second).inner_text()
    proctor.screenshot(path=str(output_dir / "proctor-1-before.png"), full_page=True)

    # Two candidates, each in his own browser context (a phone and a PC).
    a_ctx, b_ctx = phone_context(browser), pc_context(browser)
    scanners = [ResponseScanner(a_ctx, live_server.url), ResponseScanner(b_ctx, live_server.url)]
    a, b = a_ctx.new_page(), b_ctx.new_page()
    for p in (a, b):
        p.set_default_timeout(30000)
    _enter(a, live_server.url, "cand_a", first, code)
    _answer_first_single(a)
    proctor.wait_for_function(
        f"document.querySelector(\"tr[data-attempt='{first.pk}'] [data-cell=status_label]\").textContent === '作答中'")
    proctor.wait_for_function(
        f"document.querySelector(\"tr[data-attempt='{first.pk}'] [data-cell=answered]\").textContent === '1 / 8'")
    _enter(b, live_server.url, "cand_b", second, code)
    _answer_first_single(b)
    b.evaluate("document.dispatchEvent(new Event('visibilitychange'))")  # stays visible: no event
    proctor.wait_for_function(
        f"document.querySelector(\"tr[data-attempt='{second.pk}'] [data-cell=status_label]\").textContent === '作答中'")
    proctor.screenshot(path=str(output_dir / "proctor-2-in-progress.png"), full_page=True)

    # Both deadlines come near (moved in the database to save waiting); the proctor gives A ten minutes.
    soon = timezone.now() + dt.timedelta(seconds=12)
    Attempt.objects.filter(pk__in=[first.pk, second.pk]).update(
        deadline=soon, started_at=soon - dt.timedelta(minutes=session.duration_minutes))
    row = _row(proctor, first)
    row.locator("summary").click()
    row.locator("select[name=action]").select_option("extend")
    row.locator("input[name=minutes]").fill("10")
    row.locator("input[name=reason]").fill("平板电脑故障，更换设备耽误十分钟")
    row.get_by_role("button", name="确认").click()
    proctor.wait_for_selector(".messages, [role=status]")
    first.refresh_from_db()
    assert first.deadline == soon + dt.timedelta(minutes=10)

    # B's time runs out: the server submits; A, extended, still saves after B's deadline.
    b.wait_for_selector("#sitting-receipt", timeout=60000)
    _answer_first_single(a, index=1, option=2)
    assert timezone.now() > soon + dt.timedelta(seconds=session.save_grace_seconds)
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.status == AttemptStatus.SUBMITTED and second.submitted_by == SubmittedBy.SERVER
    assert first.status == AttemptStatus.IN_PROGRESS and first.answered_count == 2
    assert Response.objects.filter(attempt=first).exclude(answer__isnull=True).count() == 2
    proctor.wait_for_function(
        f"document.querySelector(\"tr[data-attempt='{second.pk}'] [data-cell=status_label]\").textContent === '已交卷'")
    assert "延长时间" in _row(proctor, first).inner_text()
    proctor.screenshot(path=str(output_dir / "proctor-3-extended.png"), full_page=True)

    # Nothing either candidate received carried an explanation, reference answer or legal basis.
    for scanner in scanners:
        assert scanner.bodies and scanner.leaks(["解析秘文", "法条秘文", "参考答案秘文"]) == []

    # An officer never reaches the console.
    a.goto(f"{live_server.url}/admin/exams/proctor/{session.pk}/")
    assert "监考台" not in a.content() and code not in a.content()
    for ctx in (proctor_ctx, a_ctx, b_ctx):
        ctx.close()
