"""Reads of the courses app: what an officer sees of courses and plans, and the trainers' completion report."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import Sum
from django.utils import timezone

from wagtail.models import Page

from lms.roster.models import Person, PersonStatus
from question_bank import grading
from question_bank.models import Question, QuestionStatus, QuestionUse

from .models import CourseCompletion, CoursePage, LessonPage, LessonProgress, StudyPlan, WrongAnswer


def person_of(user) -> Person | None:
    """The officer's roster entry; some accounts (staff, demo) have none."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.person
    except Person.DoesNotExist:
        return None


def course_cards(*, user, index=None) -> list[dict]:
    """Published courses with their number of published lessons and whether the user completed each."""
    courses = CoursePage.objects.live().order_by("path")
    if index is not None:
        courses = courses.descendant_of(index)
    courses = list(courses.select_related("cover_image"))
    lessons_by_parent: dict[str, int] = {}
    for path in LessonPage.objects.live().values_list("path", flat=True):
        parent_path = path[: -CoursePage.steplen]
        lessons_by_parent[parent_path] = lessons_by_parent.get(parent_path, 0) + 1
    done = set()
    if user.is_authenticated:
        done = set(CourseCompletion.objects.filter(user=user).values_list("course_id", flat=True))
    return [
        {"course": course, "lesson_count": lessons_by_parent.get(course.path, 0), "completed": course.pk in done}
        for course in courses
    ]


def course_detail(*, user, course: CoursePage) -> dict:
    lessons = list(course.live_lessons())
    progress = {
        p.lesson_id: p for p in LessonProgress.objects.filter(user=user, lesson__in=lessons)
    } if user.is_authenticated else {}
    rows = [{"lesson": lesson, "progress": progress.get(lesson.pk)} for lesson in lessons]
    completed = sum(1 for row in rows if row["progress"] and row["progress"].completed_at)
    completion = CourseCompletion.objects.filter(user=user, course=course).first() if user.is_authenticated else None
    return {"lesson_rows": rows, "completed_lessons": completed, "completion": completion}


def question_for_officer(question: Question) -> dict:
    """What the browser may get before an answer: the bank's candidate view (no key, no explanation)."""
    from question_bank.models import QuestionType

    view = grading.candidate_view(question)
    return {
        "id": question.pk,
        "code": question.code,
        "type_label": QuestionType(question.type).label,
        "blanks": range(view["blank_count"]),
        **view,
    }


PRACTICE_CACHE_SECONDS = 60


def practice_questions_of(lesson: LessonPage) -> dict:
    """The officer view of the lesson's active practice questions, by code. The same for every officer, so
    kept in the cache for a minute: a question retired or corrected in the bank shows within that time
    (bulk imports write without model signals, so a short lifetime is what keeps this simple and right)."""
    from django.core.cache import cache

    published = lesson.last_published_at.timestamp() if lesson.last_published_at else 0
    key = f"courses:practice:{lesson.pk}:{lesson.live_revision_id}:{published}"
    questions = cache.get(key)
    if questions is None:
        questions = {}
        codes = lesson.practice_codes()
        if codes:
            # Exams-only questions never appear in practice, lesson blocks included.
            for question in Question.objects.filter(code__in=codes, status=QuestionStatus.ACTIVE,
                                                    use=QuestionUse.PRACTICE_AND_EXAMS):
                questions[question.code] = question_for_officer(question)
        if lesson.live_revision_id:
            cache.set(key, questions, PRACTICE_CACHE_SECONDS)
    return questions


def lesson_context(*, user, lesson: LessonPage, request=None) -> dict:
    """Progress, neighbours and the practice questions of every practice block, fetched in one query."""
    from .rendering import lesson_position, officer_completion
    from .services import HEARTBEAT_SECONDS

    questions = practice_questions_of(lesson)
    completed_at = officer_completion(user, lesson) if user.is_authenticated else None
    return {
        "practice_questions": questions,
        "progress": SimpleNamespace(completed_at=completed_at),  # the officer's part of the page (cached)
        **lesson_position(lesson, request),  # course, its number, the next lesson and their URLs: cached
        "heartbeat_seconds": HEARTBEAT_SECONDS,
    }


# --- Study plans -------------------------------------------------------------------------------

@dataclass
class PlanCourseRow:
    course: CoursePage
    deadline: object
    lessons_total: int = 0
    lessons_done: int = 0
    completed_at: object = None

    @property
    def completed(self) -> bool:
        return self.completed_at is not None

    @property
    def overdue(self) -> bool:
        return not self.completed and self.deadline < timezone.localdate()

    @property
    def percent(self) -> int:
        return round(100 * self.lessons_done / self.lessons_total) if self.lessons_total else 0


@dataclass
class PlanProgress:
    plan: StudyPlan
    rows: list[PlanCourseRow] = field(default_factory=list)
    hours_earned: Decimal = Decimal("0")

    @property
    def required_done(self) -> int:
        return sum(1 for row in self.rows if row.completed)

    @property
    def hours_percent(self) -> int:
        target = self.plan.class_hour_target
        return min(100, round(100 * self.hours_earned / target)) if target else 100


def plans_for(*, user, year: int | None = None) -> list[StudyPlan]:
    year = year or timezone.localdate().year
    person = person_of(user)
    position = person.position if person else None
    plans = StudyPlan.objects.filter(year=year).prefetch_related("plan_courses__course")
    return [plan for plan in plans if plan.applies_to(position)]


def hours_earned(*, user, year: int) -> Decimal:
    total = CourseCompletion.objects.filter(user=user, completed_at__year=year).aggregate(s=Sum("class_hours"))["s"]
    return total or Decimal("0")


def plan_progress(*, user, plan: StudyPlan) -> PlanProgress:
    result = PlanProgress(plan=plan, hours_earned=hours_earned(user=user, year=plan.year))
    plan_courses = list(plan.plan_courses.all())
    completions = dict(
        CourseCompletion.objects.filter(user=user, course__in=[pc.course_id for pc in plan_courses]).values_list(
            "course_id", "completed_at"
        )
    )
    for plan_course in plan_courses:
        course = plan_course.course
        lessons = list(course.live_lessons().values_list("pk", flat=True))
        done = LessonProgress.objects.filter(user=user, lesson_id__in=lessons, completed_at__isnull=False).count()
        result.rows.append(PlanCourseRow(
            course=course, deadline=plan_course.deadline, lessons_total=len(lessons), lessons_done=done,
            completed_at=completions.get(course.pk),
        ))
    return result


@dataclass
class PersonCompletion:
    person: Person
    completed_courses: int
    hours: Decimal
    courses: dict

    @property
    def flags(self) -> list[bool]:
        """Completed or not, per required course, in the report's course order."""
        return list(self.courses.values())

    def done(self, required: int, target: Decimal) -> bool:
        return self.completed_courses >= required and self.hours >= target


def plan_completion_report(*, plan: StudyPlan) -> dict:
    """Every on-duty person the plan applies to, by squad: required courses completed and class hours."""
    people = Person.objects.filter(status=PersonStatus.ON_DUTY).select_related("squad", "user")
    if plan.positions:
        people = people.filter(position__in=plan.positions)
    people = list(people.order_by("squad__code", "name"))
    courses = list(CoursePage.objects.filter(pk__in=[pc.course_id for pc in plan.plan_courses.all()]).order_by("path"))
    course_ids = [course.pk for course in courses]
    user_ids = [p.user_id for p in people if p.user_id]
    completions: dict[int, set] = {}
    for user_id, course_id in CourseCompletion.objects.filter(user_id__in=user_ids, course_id__in=course_ids).values_list(
        "user_id", "course_id"
    ):
        completions.setdefault(user_id, set()).add(course_id)
    hours = dict(
        CourseCompletion.objects.filter(user_id__in=user_ids, completed_at__year=plan.year)
        .values("user_id").annotate(total=Sum("class_hours")).values_list("user_id", "total")
    )
    squads: dict = {}
    for person in people:
        done_courses = completions.get(person.user_id, set())
        row = PersonCompletion(
            person=person,
            completed_courses=len(done_courses),
            hours=hours.get(person.user_id) or Decimal("0"),
            courses={course_id: course_id in done_courses for course_id in course_ids},
        )
        squad = squads.setdefault(person.squad_id, {"squad": person.squad, "people": [], "done": 0})
        squad["people"].append(row)
        if row.done(len(course_ids), plan.class_hour_target):
            squad["done"] += 1
    return {"plan": plan, "courses": courses, "squads": list(squads.values()), "required": len(course_ids)}


def wrong_book(*, user):
    return (
        WrongAnswer.objects.filter(user=user, resolved_at__isnull=True)
        .select_related("question", "question__knowledge_point")
        .order_by("-last_wrong_at")
    )


def search_pages(*, query: str):
    """Courses and lessons matching a Chinese (or mixed) query, via the bigram index field."""
    from lms.core.textsearch import bigram_query

    terms = bigram_query(query)
    if not terms:
        return []
    return list(
        Page.objects.live().type(CoursePage, LessonPage).specific().search(terms, operator="and", fields=None)
    )

