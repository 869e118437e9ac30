"""The officer home page shows what he needs first (next exam, required courses, class hours, wrong answers);
staff get an attention panel on the admin home (not studied by the deadline, next session, squads without
a 法制员)."""

import datetime as dt
from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone, translation

import pytest

from courses.models import CourseCompletion, StudyPlan, StudyPlanCourse, WrongAnswer
from lms.exams.services.draw import draw_candidates
from lms.exams.services.papers import issue_papers
from lms.roster.models import Person, Position
from tests.conftest import make_user
from tests.unit.courses import factories
from tests.unit.exams.factories import build_bank, build_blueprint, build_district, build_session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def sit(user, *, starts_in: dt.timedelta, hours: int = 2, issue: bool = False):
    """A session with `user` as a candidate (the squad leader, who must sit)."""
    build_district([{Position.SQUAD_LEADER: 1, Position.ENFORCEMENT_OFFICER: 2}])
    build_bank({("single", "K1", 3): 6})
    session = build_session(blueprint=build_blueprint(), code="NEXT")
    session.starts_at = timezone.now() + starts_in
    session.ends_at = session.starts_at + dt.timedelta(hours=hours)
    session.save()
    draw = draw_candidates(session=session, seed="home")
    candidate = draw.candidates.get(position=Position.SQUAD_LEADER)
    Person.objects.filter(pk=candidate.person_id).update(user=user)
    if issue:
        issue_papers(session=session)
    return session, candidate


def home_html(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_next_exam_shows_when_and_where_and_no_way_in_before_it_opens(client, officer):
    session, candidate = sit(officer, starts_in=dt.timedelta(days=3))
    html = home_html(client, officer)
    assert 'data-home="exam"' in html and session.title in html
    assert candidate.venue.name in html and candidate.ticket_number in html
    assert "3 天后开考" in html
    assert "data-exam-entry" not in html


def test_once_the_exam_opens_the_home_page_links_the_way_in(client, officer):
    session, candidate = sit(officer, starts_in=-dt.timedelta(minutes=5), issue=True)
    html = home_html(client, officer)
    assert "data-exam-entry" in html and "进入考试" in html
    from lms.core.home import next_exam

    entry = next_exam(user=officer).entry_url
    try:
        expected = reverse("exams:attempt", args=[candidate.attempt.pk])
    except Exception:  # the sitting screen is not on this branch yet
        expected = reverse("exams:my_exams")
    assert entry == expected and f'href="{entry}"' in html


def test_a_finished_or_excused_exam_is_not_the_next_one(client, officer):
    session, candidate = sit(officer, starts_in=-dt.timedelta(days=2))
    html = home_html(client, officer)
    assert "暂无需要参加的考试" in html
    session.refresh_from_db()
    session.ends_at = timezone.now() + dt.timedelta(days=5)
    session.save()
    candidate.attendance = "excused"
    candidate.save()
    assert "暂无需要参加的考试" in home_html(client, officer)


def test_a_submitted_online_exam_gives_way_to_the_next_one_and_says_online(client, officer):
    from lms.exams.models import AttemptStatus, Delivery

    session, candidate = sit(officer, starts_in=-dt.timedelta(minutes=5), hours=24 * 30, issue=True)
    session.delivery = Delivery.ONLINE
    session.save(update_fields=["delivery"])
    html = home_html(client, officer)
    assert session.title in html and "待定" not in html
    assert "在线" in html.split('data-home="exam"')[1].split("</section>")[0]
    candidate.attempt.status = AttemptStatus.SUBMITTED
    candidate.attempt.save(update_fields=["status"])
    assert session.title not in home_html(client, officer)  # submitted: behind him, window open or not


def test_required_courses_with_due_dates_and_progress_open_ones_first(client, officer):
    factories.make_person(user=officer)
    year = timezone.localdate().year
    done_course = factories.make_course(title="宪法学习", class_hours="4")
    open_course = factories.make_course(title="行政强制法")
    factories.make_lesson(open_course)
    plan = StudyPlan.objects.create(year=year, title="年度学法计划", class_hour_target=Decimal("12"))
    StudyPlanCourse.objects.create(plan=plan, course=done_course, deadline=date(year, 12, 31))
    StudyPlanCourse.objects.create(plan=plan, course=open_course, deadline=date(year, 12, 31))
    CourseCompletion.objects.create(user=officer, course=done_course, completed_at=timezone.now(),
                                    class_hours=Decimal("4"))
    html = home_html(client, officer)
    assert html.index("行政强制法") < html.index("宪法学习")  # unfinished first
    assert f"{year}-12-31前完成" in html or f"截止 {year}-12-31" in html or f"{year}-12-31" in html
    assert "0/1 课时" in html or "0/1" in html
    assert 'data-home="hours"' in html and "<strong>4</strong> / 12" in html


def test_wrong_answers_waiting_are_counted_with_a_link_to_review(client, officer):
    question = factories.make_question()
    WrongAnswer.objects.create(user=officer, question=question, last_wrong_at=timezone.now())
    html = home_html(client, officer)
    section = html[html.index('data-home="wrong"'):]
    assert "<strong>1</strong>" in section[:400] and reverse("courses:wrong_book") in section[:600]


def test_an_officer_with_nothing_scheduled_sees_plain_empty_states(client, officer):
    html = home_html(client, officer)
    assert "暂无需要参加的考试" in html and "今年没有要求你学习的课程" in html


# --- staff ---------------------------------------------------------------------------------------

def admin_home(client, user) -> str:
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def test_trainers_see_who_has_not_studied_by_the_deadline_and_the_next_session(client, trainer):
    year = timezone.localdate().year
    course = factories.make_course(title="行政处罚法")
    plan = StudyPlan.objects.create(year=year, title="年度学法计划")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    if yesterday.year != year:
        pytest.skip("on 1 January no deadline of this year has passed")
    StudyPlanCourse.objects.create(plan=plan, course=course, deadline=yesterday)
    late, diligent = make_user("late", "学员"), make_user("diligent", "学员")
    factories.make_person(user=late, name="迟到的人")
    factories.make_person(user=diligent, name="按时的人", squad=factories.make_squad("SQ02", "西城中队"))
    CourseCompletion.objects.create(user=diligent, course=course, completed_at=timezone.now(), class_hours=2)
    session, _candidate = sit(make_user("candidate", "学员"), starts_in=dt.timedelta(days=2))
    html = admin_home(client, trainer)
    panel = html[html.index('data-panel="attention"'):]
    assert "迟到的人" in panel and "按时的人" not in panel and "行政处罚法" in panel
    assert session.title in panel and "已抽取考生" in panel
    assert reverse("exams_admin:dashboard", args=[session.pk]) in panel


def test_hr_sees_squads_without_a_legal_officer(client, hr_user):
    build_district([{Position.SQUAD_LEADER: 1, Position.ENFORCEMENT_OFFICER: 2},
                    {Position.SQUAD_LEADER: 1, Position.LEGAL_OFFICER: 1}])
    html = admin_home(client, hr_user)
    panel = html[html.index('data-panel="attention"'):]
    assert "D1第1中队" in panel and "D1第2中队" not in panel
    assert reverse("roster_warnings") in panel


def test_each_role_sees_only_its_part_of_the_panel(client, hr_user):
    html = admin_home(client, hr_user)
    panel = html[html.index('data-panel="attention"'):]
    assert 'data-attention="session"' not in panel and 'data-attention="study"' not in panel
    assert 'data-attention="squads"' in panel
