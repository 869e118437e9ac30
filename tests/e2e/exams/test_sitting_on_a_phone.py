"""On a 375 px phone in Chromium: the demo officer enters the venue access code, answers questions of every
type, loses the network for several answers, reloads the page while offline (the service worker serves it),
comes back online, and the database then holds every answer; the countdown reaches zero and the server
submits. Every response the browser received is scanned for keys, explanations and legal bases.
Screenshots go to test-output/."""

import datetime as dt

from django.core.management import call_command
from django.utils import timezone

import pytest

from lms.exams.models import Attempt, AttemptStatus, Response, SubmittedBy

from .sitting_helpers import (
    Network,
    ResponseScanner,
    officer_login,
    onsite_session_for_demo_officer,
    phone_context,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _secrets(attempt):
    values = []
    for r in Response.objects.filter(attempt=attempt).select_related("paper_question__version"):
        v = r.paper_question.version
        values += [v.explanation, v.legal_basis, v.reference_answer, *[str(p) for p in v.marking_points or []]]
    return [s for s in values if s and len(s) >= 4]


def _question(page, qtype, index=0):
    return page.locator(f"section.question[data-type={qtype}]").nth(index)


def _wait_saved(page):
    page.wait_for_function("document.getElementById('save-state').textContent === '已保存'", timeout=30000)


def test_demo_officer_sits_on_a_phone_offline_and_reload_and_the_server_submits(browser, live_server, output_dir,
                                                                                   settings):
    settings.EXAM_STATE_POLL_SECONDS = 2
    call_command("seed_demo")
    session, attempt = onsite_session_for_demo_officer()
    code = session.venues.get().access_code
    context = phone_context(browser)
    network = Network(context)
    scanner = ResponseScanner(context, live_server.url)
    page = context.new_page()
    page.set_default_timeout(30000)
    shot = lambda name: page.screenshot(path=str(output_dir / f"sitting-phone-{name}.png"), full_page=False)  # noqa: E731

    # 1. My exams → 进入考试 → the access code.
    officer_login(page, live_server.url, "demo_officer", "Demo2026!")
    page.locator("article[data-exam=E2E-PHONE]").get_by_role("link", name="进入考试").click()
    page.wait_for_selector("input[name=access_code]")
    shot("1-start")
    page.fill("input[name=access_code]", "WRONG2")
    page.get_by_role("button", name="开始考试").click()
    assert "考场码错误" in page.locator(".messages").inner_text()
    page.fill("input[name=access_code]", code.lower())
    page.get_by_role("button", name="开始考试").click()
    page.wait_for_selector("#sitting")
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=30000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone
    shot("2-paper")

    # 2. One answer of every type, each saved at once.
    single = _question(page, "single")
    single.locator("label.option").nth(1).click()
    multiple = _question(page, "multiple")
    multiple.locator("label.option").nth(0).click()
    multiple.locator("label.option").nth(2).click()
    _question(page, "true_false").locator("label.option").nth(1).click()
    fill = _question(page, "fill_blank")
    for i in range(fill.locator("input[type=text]").count()):
        fill.locator("input[type=text]").nth(i).fill(f"答案{i + 1}")
    essay = _question(page, "essay")
    # Over-long essay (the page's own limit removed): refused with a message, kept queued, then corrected.
    essay.locator("textarea").evaluate("el => el.removeAttribute('maxlength')")
    essay.locator("textarea").fill("长" * 5001)
    page.wait_for_function("document.getElementById('save-state').textContent.startsWith('未保存')")
    assert "最多允许 5000 字" in essay.locator("[data-refused]").inner_text()
    shot("3-refused")
    essay.locator("textarea").fill("先书面催告，听取陈述申辩，再作出强制执行决定。")
    _question(page, "single", 1).locator("[data-flag]").check()
    _wait_saved(page)
    shot("4-saved")

    # 3. Offline: several answers queue in the browser and the page says so.
    network.go_offline()
    _question(page, "single", 2).locator("label.option").nth(2).click()
    _question(page, "single", 3).locator("label.option").nth(3).click()
    _question(page, "true_false", 1).locator("label.option").nth(0).click()
    _question(page, "multiple", 1).locator("label.option").nth(1).click()
    page.wait_for_function("document.getElementById('save-state').textContent === '离线，4 题待上传'")
    shot("5-offline")

    # 4. Reload while offline: the service worker serves the page, the queue survives.
    page.reload()
    page.wait_for_selector("#sitting")
    page.wait_for_function("document.getElementById('save-state').textContent === '离线，4 题待上传'")
    assert _question(page, "single", 3).locator("input[name^=q]").nth(3).is_checked()
    shot("6-offline-reloaded")

    # 5. Back online: everything uploads; the database holds every answer.
    network.go_online()
    page.evaluate("window.dispatchEvent(new Event('online'))")
    _wait_saved(page)
    shot("7-online-saved")
    stored = {r.position: r for r in Response.objects.filter(attempt=attempt).select_related(
        "paper_question__version__question")}
    by_type = {}
    for r in sorted(stored.values(), key=lambda r: r.position):
        by_type.setdefault(r.paper_question.version.question.type, []).append(r)
    assert by_type["single"][0].answer and by_type["single"][2].answer and by_type["single"][3].answer
    assert len(by_type["multiple"][0].answer) == 2 and by_type["multiple"][1].answer
    assert by_type["true_false"][0].answer == [False] and by_type["true_false"][1].answer == [True]
    assert by_type["fill_blank"][0].answer[0] == "答案1"
    assert by_type["essay"][0].answer == ["先书面催告，听取陈述申辩，再作出强制执行决定。"]
    assert by_type["single"][1].flagged
    attempt.refresh_from_db()
    assert attempt.answered_count == 9

    # 6. Time runs out (the server's deadline, moved here to save waiting): the server submits.
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + dt.timedelta(seconds=6))
    page.wait_for_function("document.getElementById('countdown').textContent === '00:00'", timeout=30000)
    shot("8-time-up")
    page.wait_for_selector("#sitting-receipt", timeout=40000)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED and attempt.submitted_by == SubmittedBy.SERVER
    assert "已交卷" in page.content() and "30 题中已答 9 题" in page.content()
    shot("9-receipt")

    # Nothing the officer received carried a key, explanation, reference answer or legal basis.
    assert scanner.bodies and scanner.leaks(_secrets(attempt)) == []
    context.close()
