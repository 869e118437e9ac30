"""In Chromium: HR uploads a roster workbook in the admin, checks the preview, confirms and finds the people."""

import pytest

from lms.core import roles
from lms.roster.models import Person
from tests.conftest import make_user
from tests.e2e.admin_helpers import admin_login
from tests.unit.roster.workbooks import person_row, simple_roster

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_hr_imports_a_roster_through_preview_and_confirm(page, output_dir, tmp_path):
    make_user("hr_e2e", roles.HR, password="pass-Word-123", last_name="孙", first_name="丽")
    workbook = tmp_path / "东城花名册.xlsx"
    rows = [
        person_row(1, name="李建国", position="中队长"),
        person_row(2, name="王芳", position="法制员", male=False),
        person_row(3, name="赵磊"),
        person_row(4, name="陈静", category="协管", position="协管员", male=False),
    ]
    workbook.write_bytes(simple_roster(rows).getvalue())

    admin_login(page, "hr_e2e")

    page.goto(page.base_url + "/admin/roster/import/")
    assert page.get_by_role("heading", name="导入花名册").is_visible()
    page.set_input_files("input[type=file]", str(workbook))
    page.get_by_role("button", name="检查文件").click()
    page.wait_for_url("**/roster/import/preview/")
    assert page.locator('[data-count="created"]').inner_text() == "4"
    assert page.get_by_text("中队 东城街道 / 东城一中队").is_visible()
    page.screenshot(path=str(output_dir / "roster-import-preview.png"), full_page=True)
    assert Person.objects.count() == 0

    page.get_by_role("button", name="确认导入").click()
    page.wait_for_url("**/admin/jobs/**")  # the import runs as a job; its screen shows the result
    assert page.locator("[data-roster-imported]").is_visible()
    assert page.get_by_role("link", name="账号单(PDF，用于打印)").is_visible()
    page.screenshot(path=str(output_dir / "roster-import-done.png"), full_page=True)
    assert Person.objects.count() == 4

    page.get_by_role("link", name="查看花名册", exact=True).click()
    page.fill("input[name=q]", "王芳")
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("link", name="王芳").first.is_visible()
    page.screenshot(path=str(output_dir / "roster-people.png"), full_page=True)


def test_a_bad_workbook_shows_every_error_in_the_preview(page, output_dir, tmp_path):
    make_user("hr_e2e2", roles.HR, password="pass-Word-123")
    workbook = tmp_path / "bad.xlsx"
    workbook.write_bytes(simple_roster([person_row(1, phone="12"), person_row(2, position="局长")]).getvalue())
    admin_login(page, "hr_e2e2")
    page.goto(page.base_url + "/admin/roster/import/")
    page.set_input_files("input[type=file]", str(workbook))
    page.get_by_role("button", name="检查文件").click()
    page.wait_for_url("**/roster/import/preview/")
    assert page.locator("[data-roster-errors] tbody tr").count() == 2
    assert page.get_by_text("未导入任何数据").is_visible()
    page.screenshot(path=str(output_dir / "roster-import-errors.png"), full_page=True)
