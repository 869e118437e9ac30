"""Automatic marking on a real Celery worker over Redis, on PostgreSQL: sending the task twice (a double
submit, a retried delivery) gives one set of marks and one result."""

from decimal import Decimal

import pytest

from lms.exams.models import Attempt, Mark
from tests.integration.test_services import celery_worker_process  # noqa: F401 - the shared fixture
from tests.unit.exams.grading_factories import PERFECT, attempts_of, grading_session, sit

pytestmark = pytest.mark.integration


def test_grade_attempt_task_twice_on_a_real_worker_marks_once(celery_worker_process):  # noqa: F811
    client, queue = celery_worker_process
    session = grading_session(officers=1)
    attempt = sit(attempts_of(session)[0], PERFECT)
    first = client.send_task("lms.exams.tasks.grade_attempt_task", args=[attempt.pk], queue=queue)
    second = client.send_task("lms.exams.tasks.grade_attempt_task", args=[attempt.pk], queue=queue)
    assert first.get(timeout=120) == second.get(timeout=120) == 10.0
    assert Mark.objects.filter(response__attempt=attempt).count() == 4  # four objective answers, once each
    assert Attempt.objects.get(pk=attempt.pk).score == Decimal("10")
