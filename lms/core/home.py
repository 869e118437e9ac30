"""What the home pages show first: the officer's next exam, required courses, class hours and wrong answers;
for staff, a panel of what needs attention (who has not studied by the deadline, the next exam session, squads
without a 法制员). Read-only selectors; the officer home view and the Wagtail admin panel render them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

CLOSED_STATUSES = ("closed", "graded", "released")
STUDY_LIST_LIMIT = 10


def _url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


# --- the officer ---------------------------------------------------------------------------------

@dataclass
class NextExam:
    candidate: object
    session: object
    is_open: bool
    entry_url: str | None  # the way in, once the window is open

    @property
    def starts_in_days(self) -> int:
        return max(0, (timezone.localtime(self.session.starts_at).date() - timezone.localdate()).days)


def next_exam(*, user, now: dt.datetime | None = None) -> NextExam | None:
    """The officer's next sitting not yet over (excused sittings left out), with a way in once it opens:
    his attempt's page when the sitting screen exists, else the list of his exams."""
    from lms.exams.models import AttemptStatus, Attendance, Candidate

    now = now or timezone.now()
    candidate = (
        Candidate.objects.filter(person__user=user, draw__superseded_at__isnull=True, session__ends_at__gt=now)
        .exclude(attendance=Attendance.EXCUSED)
        .exclude(session__status__in=CLOSED_STATUSES)
        # A sitting he has already submitted (or was marked absent from) is behind him, though its window
        # may stay open for weeks: the next one is the one to show.
        .exclude(attempt__status__in=[AttemptStatus.SUBMITTED, AttemptStatus.ABSENT])
        .select_related("session", "venue")
        .order_by("session__starts_at")
        .first()
    )
    if candidate is None:
        return None
    session = candidate.session
    is_open = session.starts_at <= now < session.ends_at and session.status in ("papers_issued", "open")
    entry_url = None
    if is_open:
        attempt = _attempt_of(candidate)
        # The sitting screen (exams:attempt) is built in parallel; until it exists, his list of exams.
        entry_url = (_url("exams:attempt", attempt.pk) if attempt else None) or _url("exams:my_exams")
    return NextExam(candidate=candidate, session=session, is_open=is_open, entry_url=entry_url)


def _attempt_of(candidate):
    from lms.exams.models import Attempt

    return Attempt.objects.filter(candidate=candidate).only("pk").first()


@dataclass
class OfficerHome:
    next_exam: NextExam | None
    required: list = field(default_factory=list)  # courses.selectors.PlanCourseRow, open ones first
    hours_earned: Decimal = Decimal("0")
    hours_target: Decimal = Decimal("0")
    wrong_answers: int = 0

    @property
    def hours_percent(self) -> int:
        if not self.hours_target:
            return 100
        return min(100, round(100 * self.hours_earned / self.hours_target))


def officer_home(*, user) -> OfficerHome:
    from courses import selectors as study

    year = timezone.localdate().year
    rows, target = [], Decimal("0")
    for plan in study.plans_for(user=user, year=year):
        rows.extend(study.plan_progress(user=user, plan=plan).rows)
        target = max(target, plan.class_hour_target)
    # Unfinished courses first, the most urgent deadline at the top; finished ones last.
    rows.sort(key=lambda row: (row.completed, row.deadline))
    return OfficerHome(
        next_exam=next_exam(user=user),
        required=rows,
        hours_earned=study.hours_earned(user=user, year=year),
        hours_target=target,
        wrong_answers=study.wrong_book(user=user).count(),
    )


# --- staff ---------------------------------------------------------------------------------------

@dataclass
class OverdueCourse:
    plan: object
    course: object
    deadline: dt.date
    people: list  # Person, the first STUDY_LIST_LIMIT
    count: int


def overdue_study(*, today: dt.date | None = None) -> list[OverdueCourse]:
    """Per required course whose deadline has passed this year: the on-duty people it applies to who have
    not completed it."""
    from courses.models import CourseCompletion, StudyPlanCourse
    from lms.roster.models import Person, PersonStatus

    today = today or timezone.localdate()
    found = []
    plan_courses = (
        StudyPlanCourse.objects.filter(plan__year=today.year, deadline__lt=today)
        .select_related("plan", "course").order_by("deadline", "pk")
    )
    for plan_course in plan_courses:
        people = Person.objects.filter(status=PersonStatus.ON_DUTY, user__isnull=False)
        if plan_course.plan.positions:
            people = people.filter(position__in=plan_course.plan.positions)
        done = CourseCompletion.objects.filter(course=plan_course.course).values("user_id")
        missing = people.exclude(user_id__in=done).select_related("squad").order_by("squad__code", "name")
        count = missing.count()
        if count:
            found.append(OverdueCourse(plan_course.plan, plan_course.course, plan_course.deadline,
                                       list(missing[:STUDY_LIST_LIMIT]), count))
    return found


def next_session(*, now: dt.datetime | None = None):
    """The exam session that closes next among those not over yet, with its candidate and paper counts."""
    from lms.exams.models import ExamSession

    now = now or timezone.now()
    session = (
        ExamSession.objects.filter(ends_at__gt=now).exclude(status__in=CLOSED_STATUSES)
        .order_by("starts_at").first()
    )
    if session is None:
        return None
    from lms.exams.services.sessions import active_candidates

    session.candidate_count = active_candidates(session).count()
    session.paper_count = session.papers.count()
    return session


def staff_attention(*, user) -> dict:
    """What the admin home panel shows this user, by what his role may see."""
    from lms.roster.selectors import squads_missing_key_roles

    data: dict = {}
    if user.has_perm("courses.view_studyplan"):
        data["overdue"] = overdue_study()
        data["completion_url"] = _url("courses_completion_index")
    if user.has_perm("exams.view_examsession"):
        data["session"] = next_session()
    if user.has_perm("roster.view_person"):
        data["squads_without_legal_officer"] = [s for s in squads_missing_key_roles() if not s.legal_officers]
        data["warnings_url"] = _url("roster_warnings")
    return data
