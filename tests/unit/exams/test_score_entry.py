"""Paper exams: the score-entry workbook round trip, located errors, all or nothing, absent = 缺考."""

import io
from decimal import Decimal

from django.core.management import call_command
from django.core.management.base import CommandError

import pytest
from openpyxl import load_workbook

from lms.exams.models import Attempt, AttemptStatus, Attendance, Mark, Response
from lms.exams.services.results import session_results
from lms.exams.services.score_entry import INFO_SHEET, SHEET, import_scores, write_score_sheet

from .grading_factories import grading_session

pytestmark = pytest.mark.django_db


def _paper_session(**kw):
    return grading_session(officers=1, with_attempts=False, **kw)


def _download(session):
    out = io.BytesIO()
    write_score_sheet(session=session, out=out)
    out.seek(0)
    return load_workbook(out)


def _upload(session, workbook, dry_run=False, filename="成绩.xlsx"):
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    return import_scores(session=session, file=data, filename=filename, dry_run=dry_run)


def _nothing_written(session) -> bool:
    """Issuing papers already creates each candidate's attempt with empty responses (exam sitting), so a
    refused import or a dry run must leave those untouched: none started, answered, scored or marked."""
    return (not Attempt.objects.filter(session=session).exclude(status=AttemptStatus.NOT_STARTED).exists()
            and not Response.objects.filter(attempt__session=session, saved_at__isnull=False).exists()
            and not Response.objects.filter(attempt__session=session, score__isnull=False).exists()
            and not Mark.objects.filter(response__attempt__session=session).exists())


def _fill(workbook, rows):
    sheet = workbook[SHEET]
    for row_index, values in rows.items():
        for col, value in enumerate(values, start=4):
            sheet.cell(row=row_index, column=col, value=value)
    return workbook


def test_the_workbook_has_one_row_per_candidate_and_one_column_per_question():
    session = _paper_session()
    sheet = _download(session)[SHEET]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["准考证号", "姓名", "中队", "缺考"]
    assert header[4:] == ["第1题 单选 2.0分", "第2题 多选 2.0分", "第3题 判断 2.0分", "第4题 填空 4.0分",
                          "第5题 简答/案例 10.0分"]
    assert sheet.max_row == 4


def test_round_trip_marks_objective_answers_with_the_engine_and_takes_essay_scores():
    session = _paper_session()
    workbook = _fill(_download(session), {
        2: ["", "c", "A、B、C", "错", "二十四小时", 8],
        3: ["缺考"],
        4: ["", "B", "AB", "对", "25", 4.5],
    })
    report = _upload(session, workbook)
    assert report.ok, [str(e) for e in report.errors]
    rows = {r["ticket_number"]: r for r in session_results(session)}
    tickets = [workbook[SHEET].cell(row=n, column=1).value for n in (2, 3, 4)]
    assert rows[tickets[0]]["score"] == Decimal("18")
    assert rows[tickets[1]]["absent"] and rows[tickets[1]]["score"] is None
    assert rows[tickets[2]]["score"] == Decimal("4.5")
    absent = Attempt.objects.get(candidate__ticket_number=tickets[1])
    assert absent.status == AttemptStatus.ABSENT and absent.candidate.attendance == Attendance.ABSENT
    assert Response.objects.filter(attempt__session=session).count() == 15
    assert Mark.objects.filter(source="score_import").count() == 2


def test_errors_are_located_and_nothing_is_written():
    session = _paper_session()
    workbook = _fill(_download(session), {2: ["", "E", "ABX", "也许", "", 11]})
    sheet = workbook[SHEET]
    sheet.cell(row=4, column=1, value="NO-SUCH-TICKET")
    sheet.cell(row=5, column=1, value=sheet.cell(row=3, column=1).value)
    report = _upload(session, workbook)
    located = {(e.row, e.column) for e in report.errors}
    assert {(2, "E"), (2, "F"), (2, "G"), (2, "I"), (4, "A"), (5, "A")} <= located
    messages = " ".join(str(e) for e in report.errors)
    assert "NO-SUCH-TICKET" in messages
    assert _nothing_written(session) and not Mark.objects.exists()


def test_a_workbook_for_another_session_is_refused():
    session = _paper_session()
    other = grading_session(officers=1, code="G2", with_attempts=False)
    report = _upload(session, _download(other))
    assert not report.ok and report.errors[0].sheet == INFO_SHEET and "G2" in str(report.errors[0])
    assert _nothing_written(session) and _nothing_written(other)


def test_absent_with_answers_is_refused():
    session = _paper_session()
    report = _upload(session, _fill(_download(session), {2: ["缺考", "A"]}))
    assert [(e.row, e.column) for e in report.errors] == [(2, "E")]


def test_dry_run_writes_nothing():
    session = _paper_session()
    report = _upload(session, _fill(_download(session), {2: ["", "C"]}), dry_run=True)
    assert report.ok and report.counts["rows"] == 3
    assert _nothing_written(session)


def test_import_twice_adds_no_marks_for_unchanged_answers():
    session = _paper_session()
    workbook = _fill(_download(session), {2: ["", "C", "ABC", "错", "24", 7]})
    _upload(session, workbook)
    marks = Mark.objects.count()
    _upload(session, workbook)
    assert Mark.objects.count() == marks


def test_import_scores_command_dry_run_and_errors(tmp_path):
    session = _paper_session()
    path = tmp_path / "scores.xlsx"
    _fill(_download(session), {2: ["", "C"]}).save(path)
    out = io.StringIO()
    call_command("import_scores", session.code, str(path), "--dry-run", stdout=out)
    assert "dry run" in out.getvalue().lower() or "试运行" in out.getvalue()
    assert _nothing_written(session)
    _fill(load_workbook(path), {3: ["", "Z"]}).save(path)
    with pytest.raises(CommandError) as exc:
        call_command("import_scores", session.code, str(path))
    assert "E" in str(exc.value) and "Z" in str(exc.value)
