"""In Chromium, against two gunicorn nodes and a real Celery worker: HR imports a roster of several thousand
rows; after confirming, the job screen shows a progress bar that moves by itself, then the result."""

import time

import pytest

from lms.core import roles
from lms.roster.models import Person
from tests.cluster import cluster  # noqa: F401 - the fixture
from tests.conftest import make_user
from tests.e2e.admin_helpers import admin_login
from tests.unit.roster.workbooks import person_row, simple_roster

pytestmark = [pytest.mark.e2e, pytest.mark.integration]
ROWS = 5000


def test_a_large_roster_import_shows_progress_then_the_result(browser, cluster, tmp_path, output_dir):  # noqa: F811
    (node_a, _node_b), _private = cluster
    make_user("hr_big", roles.HR, last_name="孙", first_name="丽")
    workbook = tmp_path / "全局花名册.xlsx"
    rows = [person_row(n, squad=f"东城{(n - 1) // 250 + 1}中队") for n in range(1, ROWS + 1)]
    workbook.write_bytes(simple_roster(rows).getvalue())

    # bypass_csp: wait_for_function's expressions are eval'ed, which the admin's policy refuses (see conftest).
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(120000)
    try:
        admin_login(page, "hr_big", base_url=node_a)

        page.goto(node_a + "/admin/roster/import/")
        page.set_input_files("input[type=file]", str(workbook))
        page.get_by_role("button", name="检查文件").click()
        page.wait_for_url("**/roster/import/preview/")
        assert page.locator('[data-count="created"]').inner_text() == str(ROWS)

        page.get_by_role("button", name="确认导入").click()
        page.wait_for_url("**/admin/jobs/**")
        bar = page.locator("[data-job-bar]")
        assert bar.is_visible(), "the job finished before its screen was shown"
        assert page.locator("[data-job-hint]").inner_text().startswith("本页会自动更新")
        page.screenshot(path=str(output_dir / "roster-import-job-started.png"), full_page=True)
        started = time.monotonic()
        # The bar moves without a reload: a later step (checking, writing, slips) shows a percentage.
        page.wait_for_function(
            "document.querySelector('[data-job-bar]') && document.querySelector('[data-job-bar]').value > 0"
            " || document.querySelector('[data-roster-imported]')"
        )
        if page.locator("[data-job-bar]").count():
            assert page.locator("[data-job-count]").inner_text() in ("25%", "50%", "75%")
            page.screenshot(path=str(output_dir / "roster-import-job-progress.png"), full_page=True)

        # The page polls the job's status and reloads itself when the job has finished.
        page.locator("[data-roster-imported]").wait_for()
        assert page.locator('[data-count="created"]').inner_text() == str(ROWS)
        assert page.locator("[data-job-file=slips-pdf]").is_visible()
        page.screenshot(path=str(output_dir / "roster-import-job-done.png"), full_page=True)
        assert Person.objects.count() == ROWS
        print(f"job screen to result: {time.monotonic() - started:.1f} s")
    finally:
        context.close()
