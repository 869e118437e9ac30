"""Every new mark is counted on its attempt (Attempt.marks_count), whichever way it is given, so the
statistics' fingerprint changes with it and cached statistics are never served stale."""

import importlib
from decimal import Decimal

from django.apps import apps
from django.db.models import Count

import pytest

from lms.exams.models import Attempt, Mark, MarkSource, Response
from lms.exams.services.grading import grade_attempt
from lms.exams.services.item_analysis import refresh_session_statistics, statistics_for
from lms.exams.services.marking import essay_responses, submit_mark
from lms.exams.services.regrading import accept_spelling, correct_key, regrade_session
from tests.conftest import make_user

from .grading_factories import PERFECT, attempts_of, grading_session, sit

pytestmark = pytest.mark.django_db


def _marks_per_attempt(session) -> dict[int, int]:
    return dict(Mark.objects.filter(response__attempt__session=session).order_by()
                .values_list("response__attempt").annotate(n=Count("id")))


def _counts(session) -> dict[int, int]:
    return {a.pk: a.marks_count for a in Attempt.objects.filter(session=session) if a.marks_count}


def _graded_session(first_answers=("B", "C", "B")):
    """Three candidates engine-graded and their essays marked: every attempt graded."""
    session = grading_session(officers=1, pass_mark=Decimal("10"))
    a, b, c = attempts_of(session)
    sit(a, {**PERFECT, 1: first_answers[0]})
    sit(b, {**PERFECT, 1: first_answers[1]})
    sit(c, {1: first_answers[2], 4: ["行政机关负责人"]})
    for attempt in (a, b, c):
        grade_attempt(attempt_id=attempt.pk)
    marker = make_user("marker")
    for essay in essay_responses(session):
        submit_mark(response=essay, marker=marker, score="0")
    return session, (a, b, c), marker


def _fresh_statistics(session):
    refresh_session_statistics(session_id=session.pk)
    assert statistics_for(session)[1] is False


def test_engine_grading_and_manual_marks_are_counted_on_their_attempts():
    session, _attempts, _marker = _graded_session()
    assert _counts(session) == _marks_per_attempt(session)
    assert sum(_counts(session).values()) == Mark.objects.count() == 15  # 4 engine marks + 1 essay mark each


def test_a_regrade_counts_its_marks_and_makes_the_statistics_stale():
    session, (a, _b, _c), _marker = _graded_session()
    _fresh_statistics(session)
    version = Response.objects.get(attempt=a, position=1).paper_question.version
    correct_key(session=session, version=version, new_answer="B", reason="教材修订，原答案有误")
    assert Mark.objects.filter(source=MarkSource.REGRADE).exists()
    assert _counts(session) == _marks_per_attempt(session)
    assert statistics_for(session)[1] is True


def test_an_accepted_spelling_makes_the_statistics_stale():
    session, (_a, _b, c), _marker = _graded_session()
    _fresh_statistics(session)
    version = Response.objects.get(attempt=c, position=4).paper_question.version
    accept_spelling(session=session, version=version, blank=0, text="行政机关负责人", reason="同义表述")
    assert Response.objects.get(attempt=c, position=4).score == Decimal("4")
    assert _counts(session) == _marks_per_attempt(session)
    assert statistics_for(session)[1] is True


def test_a_manual_mark_makes_the_statistics_stale():
    session, (a, _b, _c), marker = _graded_session()
    _fresh_statistics(session)
    essay = Response.objects.get(attempt=a, position=5)
    submit_mark(response=essay, marker=marker, score="6")
    assert _counts(session) == _marks_per_attempt(session)
    assert statistics_for(session)[1] is True


def test_a_regrade_that_changes_nothing_keeps_the_statistics_fresh():
    session, _attempts, _marker = _graded_session()
    _fresh_statistics(session)
    marks = Mark.objects.count()
    regrade_session(session=session, reason="复核")
    assert Mark.objects.count() == marks
    assert statistics_for(session)[1] is False


def test_a_key_correction_that_changes_no_score_still_makes_the_statistics_stale():
    # Everyone chose B on question 1 (key C): making D the key changes no score and adds no mark, but the
    # distractor table now shows another key.
    session, (a, _b, _c), _marker = _graded_session(first_answers=("B", "B", "B"))
    _fresh_statistics(session)
    version = Response.objects.get(attempt=a, position=1).paper_question.version
    marks = Mark.objects.count()
    correct_key(session=session, version=version, new_answer="D", reason="原答案有误")
    assert Mark.objects.count() == marks
    assert statistics_for(session)[1] is True


def test_bulk_created_marks_are_counted_whether_or_not_their_response_is_loaded():
    session, (a, b, _c), _marker = _graded_session()
    loaded = Response.objects.get(attempt=a, position=1)
    Mark.objects.bulk_create([
        Mark(response=loaded, score=Decimal("0"), source=MarkSource.REGRADE),
        Mark(response_id=Response.objects.get(attempt=b, position=1).pk, score=Decimal("2"), source=MarkSource.REGRADE),
        Mark(response_id=Response.objects.get(attempt=b, position=2).pk, score=Decimal("2"), source=MarkSource.REGRADE),
    ])
    assert _counts(session) == _marks_per_attempt(session)


def test_the_migration_counts_the_marks_already_given():
    session, _attempts, _marker = _graded_session()
    Attempt.objects.update(marks_count=0)
    migration = importlib.import_module("lms.exams.migrations.0008_attempt_marks_count")
    migration.count_existing_marks(apps, None)
    assert _counts(session) == _marks_per_attempt(session)
