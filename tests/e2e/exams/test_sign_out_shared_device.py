"""Signing out on a shared phone (Chromium, 375 px): the offline copy of the paper goes, and so does the
sitting state on the device — except answers not yet uploaded, which the officer is told about, which stay,
and which reach the database when he signs in again and opens the exam. Screenshots go to test-output/."""

from django.core.management import call_command

import pytest

from lms.exams.models import Response

from .sitting_helpers import officer_login, onsite_session_for_demo_officer, phone_context

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

KEPT = """async () => {
  const cache = await caches.open("exam-sitting-v1");
  const pages = (await cache.keys()).map(r => new URL(r.url).pathname).filter(p => /\\/exams\\/attempt\\/\\d+\\/$/.test(p));
  const stores = Object.keys(localStorage).filter(k => k.startsWith("exam-sitting:")).map(k => {
    const store = JSON.parse(localStorage.getItem(k));
    return [k, Object.keys(store.queue || {}).length, Object.keys(store.answers || {}).length, Object.keys(store).sort()];
  });
  return {pages, stores};
}"""


def _sign_out(page):
    page.locator("form[data-sign-out] button").click()


def test_sign_out_removes_the_offline_paper_and_keeps_only_unsent_answers(browser, live_server, output_dir):
    call_command("seed_demo")
    session, attempt = onsite_session_for_demo_officer("E2E-SIGNOUT")
    context = phone_context(browser)
    page = context.new_page()
    page.set_default_timeout(30000)
    url = f"{live_server.url}/exams/attempt/{attempt.pk}/"
    officer_login(page, live_server.url, "demo_officer", "Demo2026!", next_url=f"/exams/attempt/{attempt.pk}/")
    page.fill("input[name=access_code]", session.venues.get().access_code)
    page.get_by_role("button", name="开始考试").click()
    page.wait_for_selector("#sitting")
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null")
    for _ in range(60):  # the page puts its own copy in the offline cache once the worker is ready
        if page.evaluate(KEPT)["pages"]:
            break
        page.wait_for_timeout(250)
    assert page.evaluate(KEPT)["pages"] == [f"/exams/attempt/{attempt.pk}/"]

    # One answer saved, one that cannot reach the server (its saves fail): it waits in the queue.
    questions = page.locator("section.question[data-type=single]")
    questions.nth(0).locator("label.option").nth(1).click()
    page.wait_for_function("document.getElementById('save-state').textContent === '已保存'")
    page.route("**/save/", lambda route: route.abort("connectionrefused"))
    questions.nth(1).locator("label.option").nth(2).click()
    page.wait_for_function("document.getElementById('save-state').textContent.indexOf('1 题待上传') >= 0")
    unsent_position = int(questions.nth(1).get_attribute("data-position"))

    # Signing out says so and can be cancelled; confirmed, the paper's copy goes and the answer stays.
    dialogs = []

    def answer(dialog, accept):
        dialogs.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, False))
    _sign_out(page)
    page.wait_for_timeout(500)
    assert "1 题答案尚未上传" in dialogs[0] and page.url == url
    page.once("dialog", lambda dialog: answer(dialog, True))
    _sign_out(page)
    page.wait_for_url("**/accounts/login/**")
    page.screenshot(path=str(output_dir / "sign-out-1-signed-out.png"))
    kept = page.evaluate(KEPT)
    # Only the unsent answer stays (not the answers already saved, nor where the officer was in the paper).
    assert kept["pages"] == [] and kept["stores"] == [[f"exam-sitting:{attempt.pk}", 1, 1, ["answers", "queue", "seq"]]]
    assert not Response.objects.get(attempt=attempt, position=unsent_position).answer

    # Signed in again, the exam uploads what waited; signing out then leaves nothing and asks nothing.
    page.unroute("**/save/")
    officer_login(page, live_server.url, "demo_officer", "Demo2026!", next_url=f"/exams/attempt/{attempt.pk}/")
    page.wait_for_selector("#sitting")
    page.wait_for_function("document.getElementById('save-state').textContent === '已保存'")
    assert Response.objects.get(attempt=attempt, position=unsent_position).answer
    _sign_out(page)
    page.wait_for_url("**/accounts/login/**")
    assert page.evaluate(KEPT) == {"pages": [], "stores": []} and len(dialogs) == 2
    context.close()
