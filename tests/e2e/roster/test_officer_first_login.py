"""In Chromium on a phone: an imported officer signs in with his phone number and initial code, then must
choose his own password."""

import pytest

from lms.roster.services.imports import import_roster
from tests.unit.roster.workbooks import person_row, simple_roster

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_imported_officer_signs_in_with_phone_and_initial_code(phone_page, output_dir):
    report = import_roster(
        file=simple_roster([person_row(7, name="周强", phone="13912340007")]), filename="r.xlsx", dry_run=False
    )
    code = report.slips[0].code
    page = phone_page
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("用户名、手机号或身份证号").fill("13912340007")
    page.get_by_label("密码").fill(code)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/accounts/password/")
    page.screenshot(path=str(output_dir / "roster-first-login-phone.png"), full_page=True)
    page.fill("input[name=old_password]", code)
    page.fill("input[name=new_password1]", "Zhou-Qiang-2026")
    page.fill("input[name=new_password2]", "Zhou-Qiang-2026")
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_url("**/accounts/password/done/")
    page.goto(page.base_url + "/me/courses/")
    assert page.url.endswith("/me/courses/")
