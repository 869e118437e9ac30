"""seed_demo's past session: last year's exam closed, graded and released with a realistic spread of
results (some absent, essays marked), so results, statistics and the assessment have data on first start."""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

import pytest

from lms.exams.demo_results import past_session_code
from lms.exams.models import Attempt, AttemptStatus, ExamSession, Mark, MarkSource, SessionStatus
from lms.exams.selectors import my_results, session_results


@pytest.mark.django_db
def test_last_years_session_is_released_with_a_spread_of_results():
    call_command("seed_demo")
    session = ExamSession.objects.get(code=past_session_code(timezone.localdate().year - 1))
    assert session.status == SessionStatus.RELEASED and session.year == timezone.localdate().year - 1
    rows = session_results(session)
    scores = [r["score"] for r in rows if r["score"] is not None]
    assert sum(r["absent"] for r in rows) >= 1
    assert any(r["passed"] for r in rows) and any(not r["passed"] and not r["absent"] for r in rows)
    assert max(scores) - min(scores) >= 30
    assert not Attempt.objects.filter(session=session, status=AttemptStatus.SUBMITTED, graded_at__isnull=True).exists()
    assert Mark.objects.filter(response__attempt__session=session, source=MarkSource.MARKER_1).exists()
    officer = get_user_model().objects.get(username="demo_officer")
    released = [r for r in my_results(officer) if r["session"] == session]
    assert released and released[0]["released"] and released[0]["attempt"].score is not None
    marks = Mark.objects.count()
    call_command("seed_demo")
    assert Mark.objects.count() == marks
