"""In Chromium: the demo officer signs in, sees the Chinese home page and switches to English."""

from django.core.management import call_command

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_demo_officer_signs_in_and_switches_to_english(page, output_dir):
    call_command("seed_demo")
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("用户名、手机号或身份证号").fill("demo_officer")
    page.get_by_label("密码").fill("Demo2026!")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_role("navigation").get_by_role("link", name="我的课程").is_visible()
    page.screenshot(path=str(output_dir / "home-zh.png"), full_page=True)

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("navigation").get_by_role("link", name="My courses").is_visible()
    page.screenshot(path=str(output_dir / "home-en.png"), full_page=True)
