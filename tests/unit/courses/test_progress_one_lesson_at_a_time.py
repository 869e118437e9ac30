"""Class hours need study (issue 15 item 2): time counts for one lesson per officer at a time, the most recent
heartbeat wins, and "reached the end" is ignored until the lesson's minimum time has been measured."""

from datetime import timedelta

from django.utils import timezone

import pytest

from courses import services
from courses.models import CourseCompletion, LessonProgress
from courses.selectors import hours_earned

from . import factories

pytestmark = pytest.mark.django_db

T0 = timezone.now().replace(microsecond=0)


def beat(user, lesson, second: int, *, reached_end: bool = False):
    return services.record_heartbeat(user=user, lesson=lesson, reached_end=reached_end, now=T0 + timedelta(seconds=second))


def test_heartbeats_to_many_lessons_at_once_earn_the_wall_clock_time_once(officer):
    course = factories.make_course(class_hours="2")
    lessons = [factories.make_lesson(course, slug=f"l{n}", min_seconds=60) for n in range(14)]
    for second in range(0, 76, 15):
        for lesson in lessons:
            beat(officer, lesson, second, reached_end=True)
    total = sum(LessonProgress.objects.filter(user=officer).values_list("seconds_spent", flat=True))
    assert total <= 75
    # 75 s of real time completes at most one 60-second lesson, never fourteen.
    assert LessonProgress.objects.filter(user=officer, completed_at__isnull=False).count() <= 1
    assert hours_earned(user=officer, year=T0.year) == 0


def test_two_tabs_share_the_time_instead_of_doubling_it(officer):
    course = factories.make_course()
    first = factories.make_lesson(course, slug="a", min_seconds=60)
    second = factories.make_lesson(course, slug="b", min_seconds=60)
    for t in range(0, 121, 15):
        beat(officer, first, t)
        beat(officer, second, t + 7)
    spent = dict(LessonProgress.objects.filter(user=officer).values_list("lesson_id", "seconds_spent"))
    assert spent[first.pk] + spent[second.pk] <= 127


def test_the_most_recent_heartbeat_wins(officer):
    course = factories.make_course()
    first = factories.make_lesson(course, slug="a", min_seconds=60)
    second = factories.make_lesson(course, slug="b", min_seconds=60)
    for t in (0, 15, 30):
        beat(officer, first, t)
    for t in (40, 55, 70):  # the officer moved on to the second lesson
        beat(officer, second, t)
    spent = dict(LessonProgress.objects.filter(user=officer).values_list("lesson_id", "seconds_spent"))
    assert spent[first.pk] == 30
    assert spent[second.pk] == 40  # 30..40 while switching, then 40..70
    # A late heartbeat of the first tab earns nothing it did not share: time since the last beat, once.
    assert beat(officer, first, 70).seconds_spent == 30


def test_an_early_reached_the_end_is_ignored_until_the_minimum_time(officer):
    course = factories.make_course()
    lesson = factories.make_lesson(course, min_seconds=60)
    progress = beat(officer, lesson, 0, reached_end=True)
    assert progress.reached_end is False
    for t in (15, 30, 45):
        progress = beat(officer, lesson, t)
    progress = beat(officer, lesson, 60)
    assert progress.seconds_spent == 60 and progress.completed_at is None  # the end was never reached since
    progress = beat(officer, lesson, 75, reached_end=True)
    assert progress.completed_at is not None


def test_other_officers_do_not_share_one_officers_clock(officer):
    from tests.conftest import make_user

    other = make_user("officer2")
    course = factories.make_course()
    lesson = factories.make_lesson(course, min_seconds=30)
    for t in (0, 15, 30):
        beat(officer, lesson, t, reached_end=True)
        beat(other, lesson, t, reached_end=True)
    assert CourseCompletion.objects.filter(course=course).count() == 2
