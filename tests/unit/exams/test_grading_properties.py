"""Properties of marking over random answers: totals are sums, no score exceeds its points, marking twice
changes nothing, and regrading after a key change equals marking from scratch with the new key."""

from decimal import Decimal

from django.db import transaction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.exams.models import Attempt, Mark, Response
from lms.exams.services.grading import grade_attempt
from lms.exams.services.regrading import correct_key
from question_bank.grading import score_response
from question_bank.models import QuestionVersion

from .grading_factories import attempts_of, grading_session, sit

pytestmark = pytest.mark.django_db
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

letters = st.sets(st.sampled_from("ABCD"))
answers = st.fixed_dictionaries({
    1: st.sampled_from(["", "A", "B", "C", "D"]),
    2: letters.map(lambda s: "".join(sorted(s))),
    3: st.sampled_from(["", "对", "错"]),
    4: st.lists(st.sampled_from(["24小时", "二十四", "廿四小时", "25", "24天", "", "２４"]), min_size=1, max_size=1),
})
papers = st.lists(answers, min_size=3, max_size=3)


@pytest.fixture
def session():
    return grading_session(officers=1, multi_select_rule="partial")


def _rollback():
    transaction.set_rollback(True)


@SETTINGS
@given(papers)
def test_total_is_the_sum_and_no_score_exceeds_its_points(session, given_answers):
    with transaction.atomic():
        for attempt, raw in zip(attempts_of(session), given_answers, strict=True):
            sit(attempt, raw)
            attempt = grade_attempt(attempt_id=attempt.pk)
            responses = list(attempt.responses.select_related("paper_question"))
            assert attempt.score == sum((r.score or Decimal("0")) for r in responses)
            assert all(r.score is None or Decimal("0") <= r.score <= r.paper_question.points for r in responses)
        _rollback()


@SETTINGS
@given(papers)
def test_marking_twice_gives_the_same_result(session, given_answers):
    with transaction.atomic():
        for attempt, raw in zip(attempts_of(session), given_answers, strict=True):
            sit(attempt, raw)
            first = grade_attempt(attempt_id=attempt.pk)
            marks = Mark.objects.filter(response__attempt=attempt).count()
            again = grade_attempt(attempt_id=attempt.pk)
            assert (again.score, again.passed) == (first.score, first.passed)
            assert Mark.objects.filter(response__attempt=attempt).count() == marks
        _rollback()


@SETTINGS
@given(papers, st.sampled_from("ABCD"), letters.filter(bool))
def test_regrading_after_a_key_change_equals_marking_from_scratch(session, given_answers, single_key, multi_key):
    with transaction.atomic():
        attempts = attempts_of(session)
        for attempt, raw in zip(attempts, given_answers, strict=True):
            sit(attempt, raw)
            grade_attempt(attempt_id=attempt.pk)
        responses = Response.objects.filter(attempt__session=session).select_related("paper_question__version")
        single = responses.filter(position=1).first().paper_question.version
        multiple = responses.filter(position=2).first().paper_question.version
        if [single_key] != single.answer:
            correct_key(session=session, version=single, new_answer=single_key, reason="原答案有误")
        if sorted(multi_key) != multiple.answer:
            correct_key(session=session, version=multiple, new_answer="".join(sorted(multi_key)), reason="原答案有误")
        for response in responses:
            version = QuestionVersion.objects.get(pk=response.paper_question.version_id)
            scratch = score_response(content=version, response=response.answer or [],
                                     points=response.paper_question.points, multiple_rule="partial")
            assert Response.objects.get(pk=response.pk).score == scratch
        for attempt in Attempt.objects.filter(session=session):
            assert attempt.score == sum((r.score or Decimal("0")) for r in attempt.responses.all())
        _rollback()
