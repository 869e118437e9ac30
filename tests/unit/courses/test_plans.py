"""Study plans: what an officer sees, the trainers' completion report by squad and person, and its export."""

from datetime import date
from decimal import Decimal
from io import BytesIO

from django.urls import reverse
from django.utils import timezone

import pytest
from openpyxl import load_workbook

from courses.models import CourseCompletion, StudyPlan, StudyPlanCourse
from lms.core import roles
from tests.conftest import make_user

from . import factories

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def make_plan(*courses, positions=None, title="年度学法计划", target="6"):
    plan = StudyPlan.objects.create(year=YEAR, title=title, positions=positions or [], class_hour_target=Decimal(target))
    for course in courses:
        StudyPlanCourse.objects.create(plan=plan, course=course, deadline=date(YEAR, 12, 4))
    return plan


def complete(user, course):
    CourseCompletion.objects.create(user=user, course=course, completed_at=timezone.now(), class_hours=course.class_hours)


def test_an_officer_sees_the_plans_for_his_position_and_his_progress(client, officer):
    factories.make_person(user=officer, position="enforcement_officer")
    constitution = factories.make_course(title="宪法学习", class_hours="4")
    penalty = factories.make_course(title="行政处罚法要点")
    make_plan(constitution, title="全员宪法学习计划")
    make_plan(penalty, positions=["legal_officer"], title="法制员专项计划")
    complete(officer, constitution)
    client.force_login(officer)
    html = client.get(reverse("courses:my_learning")).content.decode()
    assert "全员宪法学习计划" in html and "宪法学习" in html
    assert "法制员专项计划" not in html
    assert 'data-hours-earned="4" data-hours-target="6"' in html


def test_an_account_without_a_roster_entry_sees_the_plans_for_everyone(client, officer):
    make_plan(factories.make_course(title="宪法学习"), title="全员宪法学习计划")
    make_plan(factories.make_course(title="专项"), positions=["legal_officer"], title="法制员专项计划")
    client.force_login(officer)
    html = client.get(reverse("courses:my_learning")).content.decode()
    assert "全员宪法学习计划" in html and "法制员专项计划" not in html


def report_fixture():
    east, west = factories.make_squad("SQ01", "东城中队"), factories.make_squad("SQ02", "西城中队")
    done_user = make_user("done1", roles.OFFICER)
    late_user = make_user("late1", roles.OFFICER)
    factories.make_person(user=done_user, name="张伟", squad=east)
    factories.make_person(user=late_user, name="=HYPERLINK(\"x\")", squad=west)
    factories.make_person(user=None, name="李娜", squad=west, position="legal_officer")
    course = factories.make_course(title="宪法学习", class_hours="6")
    complete(done_user, course)
    return make_plan(course, positions=["enforcement_officer"])


def test_trainers_see_completion_by_squad_and_person(client, trainer):
    plan = report_fixture()
    client.force_login(trainer)
    html = client.get(reverse("courses_completion_report", args=[plan.pk])).content.decode()
    assert "东城中队" in html and "西城中队" in html
    assert "张伟" in html and "✓" in html  # 张伟 completed the required course
    assert "李娜" not in html  # a legal officer is not covered by this plan
    assert "1 / 1" in html.replace("1 of 1", "1 / 1") or "1/1" in html


def test_the_completion_export_is_a_workbook_with_every_cell_made_safe(client, trainer, django_capture_on_commit_callbacks):
    from lms.jobs.models import Job

    plan = report_fixture()
    client.force_login(trainer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("courses_completion_report", args=[plan.pk]), {"export": "xlsx"})
    job = Job.objects.get(kind="courses.completion_export", owner=trainer)
    assert response["Location"] == reverse("jobs:detail", args=[job.pk]) and job.status == "succeeded"
    response = client.get(reverse("jobs:download", args=[job.pk, "xlsx"]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    rows = list(load_workbook(BytesIO(content)).active.iter_rows(values_only=True))
    people = {row[1]: row for row in rows[2:]}
    assert people["张伟"][0] == "东城中队" and people["张伟"][4] == 6
    assert "'=HYPERLINK(\"x\")" in people  # a formula typed as a name is neutralised


def test_officers_and_hr_cannot_reach_the_completion_report(client, officer, hr_user):
    plan = report_fixture()
    url = reverse("courses_completion_report", args=[plan.pk])
    client.force_login(officer)
    assert client.get(url).status_code == 403
    client.force_login(hr_user)
    assert client.get(url).status_code in (302, 403)


def test_trainers_edit_study_plans_in_the_admin(client, trainer):
    plan = make_plan(factories.make_course())
    client.force_login(trainer)
    assert client.get("/admin/snippets/courses/studyplan/").status_code == 200
    assert client.get(f"/admin/snippets/courses/studyplan/edit/{plan.pk}/").status_code == 200
