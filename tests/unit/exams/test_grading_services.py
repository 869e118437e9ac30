"""Automatic marking, manual marking, grading and release of a session: one behaviour per test."""

from decimal import Decimal

import pytest

from lms.core.models import AuditEntry
from lms.exams.models import AttemptStatus, Mark, MarkSource, Response, SessionStatus
from lms.exams.services.grading import grade_attempt, grade_session
from lms.exams.services.marking import (
    essay_responses,
    marker_progress,
    question_progress,
    queue_for,
    submit_mark,
)
from lms.exams.services.results import mark_graded, release_results, session_results
from lms.exams.services.sessions import ExamError
from tests.conftest import make_user

from .grading_factories import PERFECT, attempts_of, close, grading_session, sit

pytestmark = pytest.mark.django_db


def test_engine_marks_objective_answers_and_leaves_the_essay():
    session = grading_session(officers=1)
    attempt = sit(attempts_of(session)[0], PERFECT)
    attempt = grade_attempt(attempt_id=attempt.pk)
    scores = dict(attempt.responses.values_list("position", "score"))
    assert scores == {1: Decimal("2"), 2: Decimal("2"), 3: Decimal("2"), 4: Decimal("4"), 5: None}
    assert attempt.score == Decimal("10") and attempt.graded_at is None
    assert attempt.passed is None  # pass/fail waits for the essay


def test_grading_twice_adds_no_marks():
    session = grading_session(officers=1)
    attempt = sit(attempts_of(session)[0], PERFECT)
    grade_attempt(attempt_id=attempt.pk)
    marks = Mark.objects.count()
    grade_attempt(attempt_id=attempt.pk)
    assert Mark.objects.count() == marks


def test_grade_session_counts_what_awaits_a_marker():
    session = grading_session(officers=2)
    attempts = attempts_of(session)
    sit(attempts[0], PERFECT)
    sit(attempts[1], {1: "A"})
    summary = grade_session(session=session)
    assert summary.attempts == 4 and summary.not_submitted == 2
    assert summary.essays_unmarked == 2 and list(summary.essays_by_question.values()) == [2]


def test_a_marker_score_completes_the_attempt_and_is_audited():
    session = grading_session(officers=1)
    attempt = sit(attempts_of(session)[0], PERFECT)
    grade_attempt(attempt_id=attempt.pk)
    trainer = make_user("marker1")
    essay = essay_responses(session).get()
    submit_mark(response=essay, marker=trainer, score="7.5", comment="要点基本齐全")
    attempt.refresh_from_db()
    assert attempt.score == Decimal("17.5") and attempt.passed is True and attempt.graded_at is not None
    assert AuditEntry.objects.filter(action="exams.mark").count() == 1


@pytest.mark.parametrize("score", ["11", "-1", "abc", "2.25"])
def test_out_of_range_or_malformed_scores_are_refused(score):
    session = grading_session(officers=1)
    attempt = sit(attempts_of(session)[0], PERFECT)
    with pytest.raises(ExamError):
        submit_mark(response=essay_responses(session).get(), marker=make_user("m"), score=score)
    assert not Mark.objects.filter(response__attempt=attempt, source=MarkSource.MARKER_1).exists()


def test_double_marking_close_scores_average():
    session = grading_session(officers=1, double_marking=True, arbiter_threshold=Decimal("3"))
    sit(attempts_of(session)[0], PERFECT)
    essay = essay_responses(session).get()
    submit_mark(response=essay, marker=make_user("m1"), score="6")
    essay.refresh_from_db()
    assert essay.score is None  # one marker is not enough
    submit_mark(response=essay, marker=make_user("m2"), score="8")
    essay.refresh_from_db()
    assert essay.score == Decimal("7.0")
    assert essay.marks.filter(source=MarkSource.AVERAGE, is_final=True).count() == 1


def test_double_marking_far_apart_goes_to_an_arbiter_whose_score_stands():
    session = grading_session(officers=1, double_marking=True, arbiter_threshold=Decimal("3"))
    sit(attempts_of(session)[0], PERFECT)
    essay = essay_responses(session).get()
    m1, m2, arbiter = make_user("m1"), make_user("m2"), make_user("arb")
    submit_mark(response=essay, marker=m1, score="2")
    submit_mark(response=essay, marker=m2, score="9")
    essay.refresh_from_db()
    assert essay.score is None
    assert [r["arbiter"] for r in question_progress(session)] == [1]
    assert queue_for(session, essay.paper_question.question_id, arbiter) == [essay]
    submit_mark(response=essay, marker=arbiter, score="5")
    essay.refresh_from_db()
    assert essay.score == Decimal("5")
    assert essay.marks.get(source=MarkSource.ARBITER).marker == arbiter
    assert {r["marker"].username: r["answers"] for r in marker_progress(session)} == {"m1": 1, "m2": 1, "arb": 1}


def test_marking_progress_per_question():
    session = grading_session(officers=2)
    for attempt in attempts_of(session)[:3]:
        sit(attempt, PERFECT)
    submit_mark(response=essay_responses(session).first(), marker=make_user("m1"), score="5")
    [row] = question_progress(session)
    assert (row["total"], row["done"], row["open"]) == (3, 1, 2)


def test_graded_is_refused_with_the_count_of_unmarked_essays():
    session = grading_session(officers=1)
    for attempt in attempts_of(session):
        sit(attempt, PERFECT)
    session = close(session)
    with pytest.raises(ExamError, match="3"):
        mark_graded(session=session)
    with pytest.raises(ExamError, match="3"):
        release_results(session=session)
    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED


def test_never_started_attempts_become_absent_and_the_session_is_released():
    session = grading_session(officers=1)
    attempts = attempts_of(session)
    sit(attempts[0], PERFECT)
    marker = make_user("m1")
    session = close(session)
    submit_mark(response=essay_responses(session).get(), marker=marker, score="8")
    session = release_results(session=session)
    assert session.status == SessionStatus.RELEASED and session.released_at
    rows = {r["ticket_number"]: r for r in session_results(session)}
    first = rows[attempts[0].candidate.ticket_number]
    assert first["score"] == Decimal("18") and first["passed"] and not first["absent"]
    others = [rows[a.candidate.ticket_number] for a in attempts[1:]]
    assert all(r["absent"] and r["score"] is None and r["passed"] is False for r in others)
    assert all(a.status == AttemptStatus.ABSENT for a in attempts_of(session)[1:])


def test_response_score_is_the_latest_final_mark():
    session = grading_session(officers=1)
    sit(attempts_of(session)[0], PERFECT)
    essay = essay_responses(session).get()
    marker = make_user("m1")
    submit_mark(response=essay, marker=marker, score="3")
    submit_mark(response=essay, marker=marker, score="6")
    essay = Response.objects.get(pk=essay.pk)
    assert essay.score == Decimal("6") and essay.marks.count() == 2
