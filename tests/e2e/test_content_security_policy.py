"""In Chromium, under the Content-Security-Policy: officer pages and the Wagtail admin work and the browser
reports no violation (issue 15 item 7)."""

from django.core.management import call_command

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OFFICER_PAGES = ["/", "/learn/", "/learn/practice/", "/learn/wrong-answers/", "/exams/mine/", "/me/results/"]
ADMIN_PAGES = [
    "/admin/", "/admin/pages/", "/admin/question_bank/questions/", "/admin/question_bank/questions/add/",
    "/admin/images/", "/admin/documents/", "/admin/roster_person/", "/admin/accounts/locked/",
]


def _watch(page) -> list[str]:
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.on("pageerror", lambda exc: violations.append(f"page error: {exc}"))
    return violations


def _sign_in(page, path, username):
    page.goto(page.base_url + path)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "Demo2026!")
    page.locator("main form button[type=submit], form.login-form button[type=submit], #login-form button").last.click()
    page.wait_for_load_state()
    assert "/login/" not in page.url, page.url


def test_officer_pages_and_the_admin_run_under_the_policy(browser, live_server, output_dir):
    call_command("seed_demo")
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.base_url = live_server.url
    violations = _watch(page)
    _sign_in(page, "/accounts/login/", "demo_officer")
    for path in OFFICER_PAGES:
        response = page.goto(live_server.url + path)
        assert response.status == 200 and page.url == live_server.url + path, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
    # A lesson page runs its heartbeat script (a static file) under the policy.
    from courses.models import LessonPage

    lesson = LessonPage.objects.live().order_by("path").first()
    with page.expect_response(lambda r: "/heartbeat/" in r.url, timeout=10000) as heartbeat:
        page.goto(live_server.url + lesson.url)
    assert heartbeat.value.status == 200
    page.screenshot(path=str(output_dir / "csp-officer-lesson.png"), full_page=True)
    assert violations == []
    context.close()

    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    admin = context.new_page()
    admin.base_url = live_server.url
    violations = _watch(admin)
    _sign_in(admin, "/admin/login/", "admin")
    for path in ADMIN_PAGES:
        response = admin.goto(live_server.url + path)
        assert response.status == 200, path
        admin.wait_for_load_state("networkidle")
    # The admin's scripts work: the page explorer's menu and a snippet form's widgets respond.
    admin.goto(live_server.url + "/admin/question_bank/questions/add/")
    admin.fill("textarea[name=stem]", "CSP 下的题干")
    assert admin.locator("textarea[name=stem]").input_value() == "CSP 下的题干"
    admin.screenshot(path=str(output_dir / "csp-admin-question-add.png"), full_page=False)
    admin.goto(live_server.url + "/admin/pages/")
    admin.wait_for_load_state("networkidle")
    admin.screenshot(path=str(output_dir / "csp-admin-pages.png"), full_page=False)
    assert violations == []
    context.close()
