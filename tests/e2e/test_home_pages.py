"""In Chromium: the officer home page on a 375 px phone shows his next exam, required courses, class hours and
wrong answers, and the way into the exam once it opens; staff see the attention panel on the admin home."""

import datetime as dt
from datetime import date
from decimal import Decimal

from django.utils import timezone

import pytest

from courses.models import StudyPlan, StudyPlanCourse, WrongAnswer
from lms.core import roles
from lms.exams.services.draw import draw_candidates
from lms.exams.services.papers import issue_papers
from lms.exams.services.sessions import open_session
from lms.roster.models import Person, Position
from tests.conftest import make_user
from tests.e2e.admin_helpers import admin_login
from tests.unit.courses import factories
from tests.unit.exams.factories import build_bank, build_blueprint, build_district, build_session

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def narrow_phone(browser, live_server):
    context = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 812}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(30000)
    page.base_url = live_server.url
    yield page
    context.close()


def officer_with_everything():
    user = make_user("officer_home", roles.OFFICER, last_name="赵", first_name="强")
    build_district([{Position.SQUAD_LEADER: 1, Position.ENFORCEMENT_OFFICER: 3}])
    build_bank({("single", "K1", 3): 6})
    session = build_session(blueprint=build_blueprint(), code="HOME-1")
    session.title = "2026年度法律知识当场考试（第一场）"
    session.starts_at = timezone.now() + dt.timedelta(days=2)
    session.ends_at = session.starts_at + dt.timedelta(hours=2)
    session.save()
    candidate = draw_candidates(session=session, seed="home").candidates.get(position=Position.SQUAD_LEADER)
    Person.objects.filter(pk=candidate.person_id).update(user=user)
    year = timezone.localdate().year
    plan = StudyPlan.objects.create(year=year, title="年度学法计划", class_hour_target=Decimal("12"))
    for title, deadline in (("行政强制法与城管执法", date(year, 12, 31)), ("宪法学习", date(year, 12, 20))):
        course = factories.make_course(title=title)
        factories.make_lesson(course, title="第一课")
        StudyPlanCourse.objects.create(plan=plan, course=course, deadline=deadline)
    WrongAnswer.objects.create(user=user, question=factories.make_question(code="W-1"), wrong_count=1,
                               last_wrong_at=timezone.now())
    return user, session, candidate


def sign_in(page, username):
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("用户名、手机号或身份证号").fill(username)
    page.get_by_label("密码").fill("pass-Word-123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + "/")


def test_officer_home_on_a_375px_phone_shows_what_he_needs_first(narrow_phone, output_dir):
    user, session, candidate = officer_with_everything()
    page = narrow_phone
    sign_in(page, "officer_home")
    exam = page.locator("[data-home=exam]")
    assert session.title in exam.inner_text() and candidate.ticket_number in exam.inner_text()
    assert "2 天后开考" in exam.inner_text()
    assert exam.bounding_box()["y"] < page.locator("[data-home=study]").bounding_box()["y"]  # exam first
    study = page.locator("[data-home=study]").inner_text()
    assert study.index("宪法学习") < study.index("行政强制法与城管执法")  # the earlier deadline first
    assert "0 / 12" in page.locator("[data-home=hours]").inner_text().replace("\n", " ")
    assert "1" in page.locator("[data-home=wrong]").inner_text()
    # Nothing wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(output_dir / "home_officer_phone_375.png"), full_page=True)

    # The exam opens: the home page gives the way in.
    session.refresh_from_db()
    session.starts_at = timezone.now() - dt.timedelta(minutes=1)
    session.ends_at = timezone.now() + dt.timedelta(hours=2)
    session.save()
    issue_papers(session=session)
    open_session(session=session)  # the proctor opens it
    page.reload()
    entry = page.locator("[data-exam-entry]")
    assert entry.is_visible() and entry.inner_text() == "进入考试"
    page.screenshot(path=str(output_dir / "home_officer_exam_open_375.png"), full_page=True)
    entry.click()
    page.wait_for_url(f"**/exams/attempt/{candidate.attempt.pk}/")
    assert page.get_by_role("button", name="开始考试").is_visible()


def test_staff_see_the_attention_panel_on_the_admin_home(page, output_dir):
    user, session, _candidate = officer_with_everything()
    course = factories.make_course(title="行政处罚法")
    plan = StudyPlan.objects.get()
    StudyPlanCourse.objects.create(plan=plan, course=course, deadline=timezone.localdate() - dt.timedelta(days=1))
    factories.make_person(user=make_user("late_officer", roles.OFFICER), name="钱迟到")
    make_user("trainer_home", roles.TRAINER, last_name="孙", first_name="敏")
    admin_login(page, "trainer_home")
    panel = page.locator("[data-panel=attention]")
    text = panel.inner_text()
    assert "需要关注" in text and session.title in text and "已抽取考生" in text
    if timezone.localdate().day > 1 or timezone.localdate().month > 1:
        assert "钱迟到" in text and "行政处罚法" in text
    assert "wagtail.org" not in page.content()
    panel.screenshot(path=str(output_dir / "home_staff_attention_panel.png"))
    page.screenshot(path=str(output_dir / "home_staff_admin.png"), full_page=True)
