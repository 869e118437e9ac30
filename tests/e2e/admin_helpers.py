"""Steps the Wagtail admin browser tests share: signing in, and adding a form to an inline panel."""

from playwright.sync_api import TimeoutError as PlaywrightTimeout

PASSWORD = "pass-Word-123"  # tests.conftest.make_user's default


def admin_login(page, username: str, *, password: str = PASSWORD, base_url: str | None = None) -> None:
    """Sign in through the admin's login form and wait for the dashboard. `base_url` defaults to the
    page fixture's live server."""
    base_url = base_url or page.base_url
    page.goto(base_url + "/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(base_url + "/admin/")


def add_inline(page, prefix: str, first_field: str) -> None:
    """Click an inline panel's add button until its form shows: on a loaded machine the first click can
    land before Wagtail's formset script is listening."""
    for _attempt in range(5):
        page.locator(f"#id_{prefix}-ADD").click()
        try:
            page.locator(first_field).wait_for(state="visible", timeout=3000)
            return
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"the {prefix} inline form never appeared")
