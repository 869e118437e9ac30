"""grade_session, export_results and release_results on the command line; make-up's better score counts."""

import io
from decimal import Decimal

from django.core.management import call_command
from django.core.management.base import CommandError

import pytest
from openpyxl import load_workbook

from lms.core import roles
from lms.exams.models import SessionStatus
from lms.exams.services.marking import essay_responses, submit_mark
from lms.exams.services.papers import issue_papers
from lms.exams.services.results import create_makeup_session, release_results, session_results
from lms.exams.services.score_entry import ensure_attempt
from lms.exams.services.sessions import move_session
from tests.conftest import make_user

from .grading_factories import PERFECT, attempts_of, close, grading_session, sit

pytestmark = pytest.mark.django_db


def test_grade_session_prints_counts_and_what_awaits_marking():
    session = grading_session(officers=1)
    for attempt in attempts_of(session)[:2]:
        sit(attempt, PERFECT)
    out = io.StringIO()
    call_command("grade_session", session.code, stdout=out)
    text = out.getvalue()
    assert "3 attempts" in text and "2 fully graded" not in text and "Awaiting manual marking: 2" in text
    out = io.StringIO()
    call_command("grade_session", session.code, stdout=out)
    assert "0 marks added" in out.getvalue()


def test_release_results_refuses_with_the_count_then_releases():
    session = close(grading_session(officers=1))
    for attempt in attempts_of(session):
        sit(attempt, PERFECT)
    with pytest.raises(CommandError, match="3"):
        call_command("release_results", session.code)
    marker = make_user("m", roles.TRAINER)
    for essay in essay_responses(session):
        submit_mark(response=essay, marker=marker, score="5")
    call_command("release_results", session.code, stdout=io.StringIO())
    session.refresh_from_db()
    assert session.status == SessionStatus.RELEASED


def test_unknown_session_is_a_readable_error():
    with pytest.raises(CommandError, match="NOPE"):
        call_command("grade_session", "NOPE")


def test_export_results_columns_and_absent(tmp_path):
    session = close(grading_session(officers=1))
    sit(attempts_of(session)[0], PERFECT)
    submit_mark(response=essay_responses(session).get(), marker=make_user("m"), score="9")
    release_results(session=session)
    path = tmp_path / "results.xlsx"
    call_command("export_results", session.code, str(path), stdout=io.StringIO())
    sheet = load_workbook(path).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0][:7]) == ["准考证号", "姓名", "中队", "职务", "总分", "是否及格", "是否缺考"]
    assert rows[0][7:] == ("第1题", "第2题", "第3题", "第4题", "第5题")
    assert [r[4:7] for r in rows[1:]] == [(19, "是", "否"), (None, None, "是"), (None, None, "是")]


def test_makeup_better_score_counts():
    session = close(grading_session(officers=1))
    first, second, _absent = attempts_of(session)
    sit(first, PERFECT)
    sit(second, {1: "C"})  # 2 points + essay: fails
    marker = make_user("m", roles.TRAINER)
    for essay in essay_responses(session):
        submit_mark(response=essay, marker=marker, score="2")
    release_results(session=session)
    from django.utils import timezone

    makeup = create_makeup_session(session=session, code="G1-BK", starts_at=timezone.now(),
                                   ends_at=timezone.now() + timezone.timedelta(hours=2))
    assert makeup.makeup_of == session and makeup.candidates.count() == 2
    issue_papers(session=makeup)
    makeup = move_session(session=move_session(session=makeup, to=SessionStatus.OPEN), to=SessionStatus.CLOSED)
    papers = {p.candidate.person_id: p for p in makeup.papers.select_related("candidate")}
    attempts = {person: ensure_attempt(paper) for person, paper in papers.items()}  # as issuing papers does
    retake = attempts[second.candidate.person_id]
    sit(retake, PERFECT)
    for essay in essay_responses(makeup):
        submit_mark(response=essay, marker=marker, score="8")
    release_results(session=makeup)
    row = next(r for r in session_results(session) if r["ticket_number"] == second.candidate.ticket_number)
    assert row["score"] == Decimal("4") and row["makeup_score"] == Decimal("18")
    assert row["counted_score"] == Decimal("18") and row["counted_passed"] is True
