"""Chinese search over courses and lessons; the legal-review moderation workflow; demo content."""

from io import StringIO

from django.urls import reverse

from wagtail.models import Page, Workflow, WorkflowState

import pytest

from courses import demo, services
from courses.models import CourseIndexPage, CoursePage, LessonPage, StudyPlan
from lms.core import roles

from . import factories

pytestmark = pytest.mark.django_db


def titles(client, query) -> list[str]:
    response = client.get(reverse("courses:search"), {"q": query})
    assert response.status_code == 200
    return [page.title for page in response.context["results"]]


@pytest.mark.dual_db
def test_a_two_character_word_inside_a_sentence_finds_its_lesson(client, officer):
    course = factories.make_course(title="行政强制法与城管执法")
    factories.make_lesson(course, title="查封扣押", body=[
        ("paragraph", "<p>因查封、扣押发生的保管费用由行政机关承担，不得向当事人收取。</p>"),
    ])
    factories.make_lesson(course, title="宪法宣誓", body=[("paragraph", "<p>国家工作人员就职时公开进行宪法宣誓。</p>")])
    client.force_login(officer)
    assert titles(client, "保管") == ["查封扣押"]
    assert titles(client, "宣誓") == ["宪法宣誓"]
    assert titles(client, "行政机关 承担") == ["查封扣押"]
    assert titles(client, "城管") == ["行政强制法与城管执法"]
    assert titles(client, "无此内容") == []


@pytest.mark.dual_db
def test_search_never_returns_drafts(client, officer):
    course = factories.make_course(title="课程")
    factories.make_lesson(course, title="草稿", live=False, body=[("paragraph", "<p>保管费用</p>")])
    client.force_login(officer)
    assert titles(client, "保管") == []


def test_the_legal_review_workflow_moderates_course_pages(trainer):
    index = factories.course_index()
    workflow = services.ensure_legal_review_workflow(page=index)
    services.ensure_legal_review_workflow(page=index)  # idempotent
    assert Workflow.objects.filter(name="法制审核").count() == 1
    task = workflow.tasks.get()
    assert task.specific.groups.filter(name=roles.TRAINER).exists()
    course = factories.make_course()
    lesson = factories.make_lesson(course, live=False)
    assert lesson.get_workflow() == workflow
    workflow.start(lesson, trainer)
    assert WorkflowState.objects.get(base_content_type__isnull=False, object_id=str(lesson.pk)).status == "in_progress"
    lesson.refresh_from_db()
    assert not lesson.live  # submitted, not published until the legal-affairs review approves


def test_demo_content_is_complete_and_idempotent(settings):
    from django.core.management import call_command

    call_command("seed_demo", stdout=StringIO())
    counts = (Page.objects.count(), StudyPlan.objects.count())
    demo.seed_demo(StringIO())
    assert (Page.objects.count(), StudyPlan.objects.count()) == counts

    index = CourseIndexPage.objects.get()
    assert index.url == "/courses/"
    courses = {course.title: course for course in CoursePage.objects.live()}
    assert set(courses) == {"宪法学习", "行政强制法与城管执法", "行政处罚法要点", "柔性执法与行政指导"}
    lessons = {title: list(LessonPage.objects.child_of(course).live()) for title, course in courses.items()}
    assert len(lessons["宪法学习"]) >= 4 and len(lessons["行政强制法与城管执法"]) >= 5
    all_text = " ".join(lesson.body_text() for group in lessons.values() for lesson in group)
    for fact in ("宪法宣誓", "12月4日", "二十四小时内", "补办批准手续", "保管费用由行政机关承担", "执法全程说理",
                 "行政监管劝勉", "执法事项提示", "轻微违法警示", "重大案件回访", "突出问题约谈"):
        assert fact in all_text, fact
    for group in lessons.values():
        for lesson in group:
            kinds = {block.block_type for block in lesson.body}
            assert {"law_article", "case_study"} <= kinds, lesson.title

    plan = StudyPlan.objects.get()
    assert plan.positions == []  # every position
    assert courses["宪法学习"].pk in plan.plan_courses.values_list("course_id", flat=True)
    assert Workflow.objects.get(name="法制审核").workflow_pages.filter(page=index).exists()
