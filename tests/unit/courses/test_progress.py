"""Study progress is measured by the server from heartbeats; a client cannot claim time it did not spend."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

import pytest

from courses import services
from courses.models import CourseCompletion, LessonProgress
from courses.selectors import hours_earned

from . import factories

pytestmark = pytest.mark.django_db

T0 = timezone.now().replace(microsecond=0)


def beats(user, lesson, seconds: list[int], *, reached_end_at: int | None = None):
    progress = None
    for offset in seconds:
        progress = services.record_heartbeat(
            user=user, lesson=lesson, reached_end=reached_end_at is not None and offset >= reached_end_at,
            now=T0 + timedelta(seconds=offset),
        )
    return progress


@pytest.fixture
def lesson():
    return factories.make_lesson(factories.make_course(class_hours="2"), min_seconds=60)


def test_time_between_consecutive_heartbeats_is_credited(officer, lesson):
    progress = beats(officer, lesson, [0, 15, 30, 45])
    assert progress.seconds_spent == 45


def test_a_gap_longer_than_the_bound_is_not_credited(officer, lesson):
    # The page was closed (or the phone slept) between 15 s and 615 s: that time is not study.
    progress = beats(officer, lesson, [0, 15, 615, 630])
    assert progress.seconds_spent == 30


def test_replayed_or_out_of_order_heartbeats_add_nothing(officer, lesson):
    progress = beats(officer, lesson, [0, 30, 30, 10, 30])
    assert progress.seconds_spent == 30


def test_reaching_the_end_without_the_minimum_time_does_not_complete(officer, lesson):
    progress = beats(officer, lesson, [0, 15, 30], reached_end_at=0)
    # "Reached the end" is not even recorded before the minimum time has been measured (issue 15 item 2).
    assert not progress.reached_end and progress.completed_at is None


def test_the_minimum_time_without_reaching_the_end_does_not_complete(officer, lesson):
    progress = beats(officer, lesson, list(range(0, 121, 15)))
    assert progress.seconds_spent >= 60 and progress.completed_at is None


def test_end_reached_and_minimum_time_spent_completes_the_lesson(officer, lesson):
    progress = beats(officer, lesson, [0, 15, 30, 45, 60], reached_end_at=45)
    assert progress.completed_at == T0 + timedelta(seconds=60)


def test_a_client_cannot_claim_completion_without_server_measured_time(client, officer, lesson):
    client.force_login(officer)
    url = reverse("courses:heartbeat", args=[lesson.pk])
    for _ in range(20):  # a burst of heartbeats claiming the end and a long time
        response = client.post(url, {"reached_end": "1", "seconds_spent": "99999", "completed": "1"})
        assert response.status_code == 200
    data = response.json()
    assert data["completed"] is False
    assert data["seconds_spent"] < 5
    progress = LessonProgress.objects.get(user=officer, lesson=lesson)
    assert progress.completed_at is None and progress.seconds_spent < 5


def test_heartbeats_need_a_signed_in_post_to_a_published_lesson(client, officer):
    course = factories.make_course()
    draft = factories.make_lesson(course, live=False)
    url = reverse("courses:heartbeat", args=[draft.pk])
    assert client.post(url).status_code == 302  # to the sign-in page
    client.force_login(officer)
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 404


def test_class_hours_are_credited_when_every_lesson_of_the_course_is_completed(officer):
    course = factories.make_course(class_hours="3")
    first = factories.make_lesson(course, min_seconds=30)
    second = factories.make_lesson(course, min_seconds=30)
    beats(officer, first, [0, 15, 30], reached_end_at=0)
    assert not CourseCompletion.objects.filter(user=officer, course=course).exists()
    assert hours_earned(user=officer, year=T0.year) == 0
    beats(officer, second, [100, 115, 130], reached_end_at=100)
    completion = CourseCompletion.objects.get(user=officer, course=course)
    assert completion.class_hours == Decimal("3")
    assert hours_earned(user=officer, year=completion.completed_at.year) == Decimal("3")


def test_progress_is_the_same_on_every_device(client, officer, lesson):
    from django.test import Client

    beats(officer, lesson, [0, 15, 30, 45, 60], reached_end_at=0)
    phone, desktop = Client(), Client()
    phone.force_login(officer)
    desktop.force_login(officer)
    course_url = lesson.get_parent().url
    for device in (phone, desktop):
        html = device.get(course_url).content.decode()
        assert "1/1" in html
