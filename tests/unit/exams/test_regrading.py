"""Key corrections and accepted spellings: preview first, then new marks beside the old ones, audited."""

from decimal import Decimal

import pytest

from lms.core.models import AuditEntry
from lms.exams.models import AcceptedSpelling, KeyCorrection, Mark, MarkSource, Response
from lms.exams.services.grading import grade_attempt
from lms.exams.services.marking import essay_responses, submit_mark
from lms.exams.services.regrading import (
    accept_spelling,
    correct_key,
    preview_accepted_spelling,
    preview_key_correction,
)
from lms.exams.services.sessions import ExamError
from question_bank.models import QuestionVersion
from tests.conftest import make_user

from .grading_factories import PERFECT, attempts_of, grading_session, sit

pytestmark = pytest.mark.django_db


def _setup():
    session = grading_session(officers=1, pass_mark=Decimal("10"))
    a, b, c = attempts_of(session)
    sit(a, {**PERFECT, 1: "B"})              # 8 objective points: fails (10) until B becomes the key
    sit(b, PERFECT)                           # 10: passes until C stops being the key
    sit(c, {1: "B", 4: ["行政机关负责人"]})    # 2 points
    for attempt in (a, b, c):
        grade_attempt(attempt_id=attempt.pk)
    marker = make_user("marker")
    for essay in essay_responses(session):
        submit_mark(response=essay, marker=marker, score="0")
    version = Response.objects.get(attempt=a, position=1).paper_question.version
    return session, (a, b, c), version


def test_key_correction_preview_names_whose_score_and_pass_change_and_writes_nothing():
    session, (a, b, c), version = _setup()
    marks = Mark.objects.count()
    preview = preview_key_correction(session=session, version=version, new_answer="B")
    by_ticket = {ch.ticket_number: ch for ch in preview.changes}
    assert set(by_ticket) == {a.candidate.ticket_number, b.candidate.ticket_number, c.candidate.ticket_number}
    assert (by_ticket[a.candidate.ticket_number].old_total, by_ticket[a.candidate.ticket_number].new_total) == (
        Decimal("8"), Decimal("10"))
    assert {ch.ticket_number for ch in preview.pass_changes} == {a.candidate.ticket_number,
                                                                 b.candidate.ticket_number}
    assert Mark.objects.count() == marks and QuestionVersion.objects.get(pk=version.pk).answer == ["C"]


def test_key_correction_adds_marks_keeps_old_ones_and_is_audited():
    session, (a, _b, _c), version = _setup()
    correct_key(session=session, version=version, new_answer="B", reason="教材修订，原答案有误")
    response = Response.objects.get(attempt=a, position=1)
    assert response.score == Decimal("2")
    assert list(response.marks.values_list("source", "score")) == [(MarkSource.ENGINE, Decimal("0")),
                                                                  (MarkSource.REGRADE, Decimal("2"))]
    a.refresh_from_db()
    assert a.score == Decimal("10") and a.passed is True
    correction = KeyCorrection.objects.get()
    assert (correction.old_answer, correction.new_answer) == (["C"], ["B"])
    assert QuestionVersion.objects.get(pk=version.pk).answer == ["B"]
    assert AuditEntry.objects.filter(action="exams.key_correction").exists()


@pytest.mark.parametrize("bad", ["E", "", "BC"])
def test_a_key_outside_the_options_or_the_same_key_is_refused(bad):
    session, _attempts, version = _setup()
    with pytest.raises(ExamError):
        correct_key(session=session, version=version, new_answer=bad or "C", reason="原因")
    assert not KeyCorrection.objects.exists()


def test_accepting_a_spelling_regrades_only_that_session():
    session, (_a, _b, c), _version = _setup()
    fill = Response.objects.get(attempt=c, position=4).paper_question.version
    preview = preview_accepted_spelling(session=session, version=fill, blank=0, text="行政机关负责人")
    assert [ch.ticket_number for ch in preview.changes] == [c.candidate.ticket_number]
    accept_spelling(session=session, version=fill, blank=0, text="行政机关负责人", reason="表述等价")
    assert Response.objects.get(attempt=c, position=4).score == Decimal("4")
    assert AcceptedSpelling.objects.filter(session=session).count() == 1
    assert fill.answer == [["24小时", "二十四小时"]]
    assert AuditEntry.objects.filter(action="exams.accept_spelling").exists()
