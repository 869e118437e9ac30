"""On PostgreSQL, heartbeats arriving at once from two devices credit the elapsed time once, not twice."""

import threading
from datetime import timedelta

from django.db import connection
from django.utils import timezone

import pytest

from courses import services
from courses.models import LessonProgress
from tests.unit.courses import factories

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_simultaneous_heartbeats_from_two_devices_are_credited_once(postgres_required, officer):
    lesson = factories.make_lesson(factories.make_course(), min_seconds=600)
    start = timezone.now()
    services.record_heartbeat(user=officer, lesson=lesson, now=start)
    barrier = threading.Barrier(4)
    errors = []

    def device():
        try:
            barrier.wait()
            services.record_heartbeat(user=officer, lesson=lesson, now=start + timedelta(seconds=20))
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=device) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert LessonProgress.objects.get(user=officer, lesson=lesson).seconds_spent == 20


def test_the_first_heartbeats_of_two_devices_make_one_progress_row(postgres_required, officer):
    lesson = factories.make_lesson(factories.make_course())
    barrier = threading.Barrier(3)
    errors = []

    def device():
        try:
            barrier.wait()
            services.record_heartbeat(user=officer, lesson=lesson)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=device) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert LessonProgress.objects.filter(user=officer, lesson=lesson).count() == 1


def test_simultaneous_heartbeats_to_different_lessons_credit_the_interval_once(postgres_required, officer):
    course = factories.make_course()
    lessons = [factories.make_lesson(course, slug=f"p{n}", min_seconds=600) for n in range(4)]
    start = timezone.now()
    services.record_heartbeat(user=officer, lesson=lessons[0], now=start)
    barrier = threading.Barrier(len(lessons))
    errors = []

    def tab(lesson):
        try:
            barrier.wait()
            services.record_heartbeat(user=officer, lesson=lesson, now=start + timedelta(seconds=20))
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=tab, args=(lesson,)) for lesson in lessons]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(LessonProgress.objects.filter(user=officer).values_list("seconds_spent", flat=True)) == 20
