"""Demo courses, the legal-review workflow and this year's study plan for `seed_demo`. Idempotent."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from wagtail.models import Page, Site

from question_bank.models import KnowledgePoint, Question, QuestionStatus

from .demo_content import COURSES
from .models import CourseIndexPage, CoursePage, LessonPage, StudyPlan, StudyPlanCourse
from .services import ensure_legal_review_workflow

INDEX_SLUG = "courses"
PLAN_TITLE = "年度学法计划"


def _publish(page: Page) -> None:
    page.save_revision().publish()


def _practice_codes(knowledge_point_code: str, limit: int = 2) -> list[str]:
    """Codes of active, automatically marked questions of a knowledge point, if the bank has any."""
    codes = (
        Question.objects.filter(status=QuestionStatus.ACTIVE, knowledge_point__code=knowledge_point_code)
        .exclude(type="essay")
        .order_by("code")
        .values_list("code", flat=True)[:limit]
    )
    return list(codes)


def _lesson_body(blocks) -> list:
    body = []
    for block_type, value in blocks:
        if block_type == "practice":
            codes = _practice_codes(value["knowledge_point"])
            if not codes:
                continue  # no matching questions in the bank: the lesson simply has no practice block
            value = {"title": value["title"], "questions": codes}
        body.append((block_type, value))
    return body


def course_index() -> CourseIndexPage:
    index = CourseIndexPage.objects.filter(slug=INDEX_SLUG).first()
    if index is None:
        site = Site.objects.filter(is_default_site=True).first()
        root = site.root_page if site else Page.get_first_root_node()
        index = CourseIndexPage(
            title="课程中心", slug=INDEX_SLUG,
            intro="<p>宪法、行政强制法、行政处罚法和柔性执法课程。完成课程即可获得相应学时。</p>",
        )
        root.add_child(instance=index)
        _publish(index)
    return index


@transaction.atomic
def seed_demo(stdout) -> None:
    index = course_index()
    ensure_legal_review_workflow(page=index)
    created_courses = created_lessons = 0
    for spec in COURSES:
        course = CoursePage.objects.child_of(index).filter(slug=spec["slug"]).first()
        if course is None:
            course = CoursePage(
                title=spec["title"], slug=spec["slug"], summary=spec["summary"],
                class_hours=Decimal(spec["class_hours"]), is_required=spec["required"], positions=spec["positions"],
            )
            index.add_child(instance=course)
            course.knowledge_points.set(KnowledgePoint.objects.filter(code__in=spec["knowledge_points"]))
            _publish(course)
            created_courses += 1
        for slug, title, intro, blocks in spec["lessons"]:
            if LessonPage.objects.child_of(course).filter(slug=slug).exists():
                continue
            lesson = LessonPage(title=title, slug=slug, intro=intro, body=_lesson_body(blocks), min_seconds=60)
            course.add_child(instance=lesson)
            _publish(lesson)
            created_lessons += 1

    year = timezone.localdate().year
    plan, plan_created = StudyPlan.objects.get_or_create(
        year=year, title=f"{year}{PLAN_TITLE}",
        defaults={
            "positions": [],
            "class_hour_target": Decimal("12"),
            "description": "宪法学习是全体执法人员学法计划和培训计划的固定内容；全年完成不少于12学时。",
        },
    )
    constitution = CoursePage.objects.child_of(index).get(slug="constitution")
    coercion = CoursePage.objects.child_of(index).get(slug="coercion-law")
    for course, deadline in ((constitution, date(year, 12, 4)), (coercion, date(year, 12, 31))):
        StudyPlanCourse.objects.get_or_create(plan=plan, course=course, defaults={"deadline": deadline})
    stdout.write(
        f"courses: {created_courses} courses and {created_lessons} lessons created; "
        f"study plan {plan} {'created' if plan_created else 'kept'}"
    )
