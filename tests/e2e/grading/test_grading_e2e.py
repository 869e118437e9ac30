"""In Chromium: a trainer marks essays with the keyboard only (type a score, Enter; Page Down / Page Up),
blind; an officer sees "成绩尚未发布", then after release his total, pass/fail and question review."""

import pytest

from lms.core import roles
from lms.exams.models import Mark, MarkSource
from lms.exams.services.grading import grade_attempt
from lms.exams.services.marking import essay_responses
from lms.exams.services.results import release_results
from lms.roster.models import Person
from tests.conftest import make_user
from tests.e2e.admin_helpers import admin_login
from tests.unit.exams.grading_factories import PERFECT, attempts_of, close, grading_session, sit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _sat_session():
    session = grading_session(officers=1)
    for attempt in attempts_of(session):
        sit(attempt, PERFECT)
        grade_attempt(attempt_id=attempt.pk)
    return close(session)


def test_trainer_marks_essays_with_the_keyboard(page, output_dir):
    session = _sat_session()
    trainer = make_user("trainer_e2e", roles.TRAINER, last_name="钱", first_name="敏")
    admin_login(page, "trainer_e2e")
    page.goto(page.base_url + f"/admin/exams/sessions/{session.pk}/marking/")
    page.locator("[data-mark-question]").first.click()
    page.wait_for_selector("[data-marking]")
    first_ticket = page.locator("[data-ticket]").inner_text()
    for attempt in attempts_of(session):  # blind: no names on the page
        assert attempt.candidate.name not in page.content()
    page.screenshot(path=str(output_dir / "grading_marking_page.png"), full_page=True)

    # The score field has focus: type and press Enter; the next answer loads.
    page.keyboard.type("8")
    page.keyboard.press("Enter")
    page.wait_for_function(f"(document.querySelector('[data-ticket]') || {{}}).innerText !== {first_ticket!r}")
    second_ticket = page.locator("[data-ticket]").inner_text()
    page.keyboard.type("11")  # above the question's 10 points: refused, nothing saved
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-error]")
    assert "10" in page.locator("[data-error]").inner_text()
    page.keyboard.press("Control+A")
    page.keyboard.type("6.5")
    page.keyboard.press("Enter")
    page.wait_for_function(f"(document.querySelector('[data-ticket]') || {{}}).innerText !== {second_ticket!r}")
    # Page Up goes back without saving; Page Down returns.
    third_ticket = page.locator("[data-ticket]").inner_text()
    page.keyboard.press("PageUp")
    page.wait_for_function(f"(document.querySelector('[data-ticket]') || {{}}).innerText === {second_ticket!r}")
    assert page.locator("#id_score").input_value() == "6.5"
    page.keyboard.press("PageDown")
    page.wait_for_function(f"(document.querySelector('[data-ticket]') || {{}}).innerText === {third_ticket!r}")
    page.keyboard.type("4")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-marking-questions]")
    page.screenshot(path=str(output_dir / "grading_marking_progress.png"), full_page=True)
    scores = sorted(Mark.objects.filter(source=MarkSource.MARKER_1, marker=trainer).values_list("score", flat=True))
    assert [str(s) for s in scores] == ["4.0", "6.5", "8.0"]

    # Every essay is marked: the trainer grades and releases from the results screen.
    page.goto(page.base_url + f"/admin/exams/sessions/{session.pk}/results/")
    page.get_by_role("button", name="完成阅卷").click()
    page.get_by_role("button", name="向考生发布成绩").click()
    assert page.locator("[data-status]").inner_text() == "已发布成绩"
    assert page.locator("[data-results] tbody tr").count() == 3
    page.screenshot(path=str(output_dir / "grading_results_released.png"), full_page=True)


def test_officer_sees_not_yet_released_then_his_result(page, output_dir):
    session = _sat_session()
    attempt = attempts_of(session)[0]
    user = make_user("officer_e2e", roles.OFFICER)
    Person.objects.filter(pk=attempt.candidate.person_id).update(user=user)
    page.goto(page.base_url + "/accounts/login/")
    page.fill("input[name=username]", "officer_e2e")
    page.fill("input[name=password]", "pass-Word-123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + "/")
    page.get_by_role("link", name="我的成绩").first.click()
    card = page.locator(f"[data-result='{session.code}']")
    assert "成绩尚未发布" in card.inner_text()
    assert card.locator("[data-total]").count() == 0
    page.screenshot(path=str(output_dir / "grading_officer_pending.png"), full_page=True)

    marker = make_user("marker_e2e", roles.TRAINER)
    from lms.exams.services.marking import submit_mark

    for essay in essay_responses(session):
        submit_mark(response=essay, marker=marker, score="7", comment="程序要点齐全")
    release_results(session=session)

    page.reload()
    card = page.locator(f"[data-result='{session.code}']")
    assert card.locator("[data-total]").inner_text() == "17.0"
    assert card.locator("[data-passed]").is_visible()
    page.screenshot(path=str(output_dir / "grading_officer_released.png"), full_page=True)
    card.get_by_role("link", name="查看详情").click()
    review = page.locator("[data-review]")
    assert review.locator("li.review-item").count() == 5
    assert "正确答案" in review.inner_text() and "程序要点齐全" in review.inner_text()
    assert "排名" not in page.content()
    page.screenshot(path=str(output_dir / "grading_officer_review.png"), full_page=True)
