"""Score entry for paper exams (纸笔考试): the workbook trainers download and fill, and its import.

One row per candidate (准考证号, 姓名, 中队, 缺考) and one column per paper position. Objective questions
take what the candidate wrote (letters as printed on his paper, 对/错, fill-in text with blanks separated
by “|”), marked by the same engine as online answers; essays take the score. The import checks everything
first and writes nothing when anything is wrong (every error located by sheet, row, column and value).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from lms.core.audit import record
from lms.core.spreadsheets import ImportReport, UploadRejected, check_upload, safe_cell
from question_bank.grading import (
    ESSAY,
    FILL_BLANK,
    MULTIPLE,
    OPTION_KEYS,
    SINGLE,
    TRUE_FALSE,
    parse_letters,
    parse_true_false,
)

from ..models import (
    Attempt,
    AttemptStatus,
    Attendance,
    Candidate,
    ExamSession,
    Mark,
    MarkSource,
    Paper,
    Response,
    SessionStatus,
    SubmittedBy,
)
from .grading import engine_score, extra_spellings, update_attempt_score
from .marking import parse_score
from .results import record_absent
from .sessions import ExamError, require_status

SHEET = "成绩录入"
INFO_SHEET = "说明"
FIXED_HEADERS = ["准考证号", "姓名", "中队", "缺考"]
ABSENT_YES = {"是", "缺考", "缺", "√", "✓", "y", "yes", "1", "true", "x"}
ABSENT_NO = {"", "否", "n", "no", "0", "false"}
IMPORT_STATUSES = (SessionStatus.PAPERS_ISSUED, SessionStatus.OPEN, SessionStatus.CLOSED)
TYPE_LABELS = {SINGLE: "单选", MULTIPLE: "多选", TRUE_FALSE: "判断", FILL_BLANK: "填空", ESSAY: "简答/案例"}


def _papers(session: ExamSession):
    return (Paper.objects.filter(session=session, candidate__draw__superseded_at__isnull=True)
            .select_related("candidate__squad").prefetch_related("questions__version__question")
            .order_by("candidate__ticket_number"))


def _columns(session: ExamSession) -> list[tuple[int, str, Decimal]]:
    """(position, type label, points) per paper position; the first paper's layout names the columns."""
    paper = _papers(session).first()
    if paper is None:
        return []
    return [(q.position, TYPE_LABELS.get(q.version.question.type, ""), q.points) for q in paper.questions.all()]


def column_header(position: int, label: str, points: Decimal) -> str:
    return f"第{position}题 {label} {points}分"


def write_score_sheet(*, session: ExamSession, out: IO[bytes]) -> int:
    """The score-entry workbook of a session; returns the number of candidate rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    columns = _columns(session)
    headers = FIXED_HEADERS + [column_header(*c) for c in columns]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    count = 0
    for paper in _papers(session):
        c = paper.candidate
        attempt = Attempt.objects.filter(paper=paper).first()
        absent = "缺考" if (attempt and attempt.status == AttemptStatus.ABSENT) else ""
        sheet.append([safe_cell(c.ticket_number), safe_cell(c.name), safe_cell(c.squad.name), absent])
        count += 1
    sheet.freeze_panes = "E2"
    for index, width in enumerate([20, 10, 18, 6], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    if count:
        absent_rule = DataValidation(type="list", formula1='"缺考"', allow_blank=True)
        absent_rule.add(f"D2:D{count + 1}")
        sheet.add_data_validation(absent_rule)
    info = workbook.create_sheet(INFO_SHEET)
    for row in (
        ["考试场次", session.code],
        ["名称", safe_cell(session.title)],
        ["填写说明", "单选、多选题填写考生所写字母（如 B、ABD）；判断题填“对”或“错”；填空题填写考生所写内容，多个空用“|”分隔；"
                   "简答/案例题填写得分；缺考者在“缺考”列填“缺考”，其余题目留空。"],
    ):
        info.append(row)
    info.column_dimensions["B"].width = 80
    workbook.save(out)
    return count


@dataclass
class PlannedRow:
    candidate: Candidate
    paper: Paper
    absent: bool
    answers: dict[int, list] = field(default_factory=dict)  # position → answer in the version's terms
    essay_scores: dict[int, Decimal] = field(default_factory=dict)


@dataclass
class ScoreImportReport(ImportReport):
    rows: list[PlannedRow] = field(default_factory=list)


def _display_to_key(paper_question, letter: str) -> str | None:
    """The version's option key for a letter printed on the candidate's paper (options may be shuffled)."""
    options = len(paper_question.version.options or [])
    if letter not in OPTION_KEYS[:options]:
        return None
    order = paper_question.option_order or list(range(options))
    item = order[OPTION_KEYS.index(letter)]
    return OPTION_KEYS[item] if isinstance(item, int) else str(item).upper()


def _parse_cell(paper_question, value, where: dict, report: ImportReport):
    """(kind, value) for one cell: ("answer", [...]) or ("score", Decimal); None after reporting an error."""
    qtype = paper_question.version.question.type
    text = "" if value is None else str(value).strip()
    if qtype == ESSAY:
        if text == "":
            return None
        try:
            return "score", parse_score(text, points=paper_question.points)
        except ExamError as exc:
            report.error(str(exc), value=text, **where)
            return None
    if text == "":
        return "answer", []
    if qtype in (SINGLE, MULTIPLE):
        letters = [letter for letter in parse_letters(text) if letter.strip()]
        keys = [_display_to_key(paper_question, letter) for letter in letters]
        if None in keys:
            count = len(paper_question.version.options or [])
            report.error(_("Not an option of this question; options are %(letters)s.")
                         % {"letters": "、".join(OPTION_KEYS[:count])}, value=text, **where)
            return None
        if qtype == SINGLE and len(set(keys)) > 1:
            report.error(_("A single-choice question takes one letter."), value=text, **where)
            return None
        return "answer", sorted(set(keys))
    if qtype == TRUE_FALSE:
        answer = parse_true_false(text)
        if answer is None:
            report.error(_("Write 对 or 错 for a true-or-false question."), value=text, **where)
            return None
        return "answer", [answer]
    blanks = [part.strip() for part in text.split("|")]
    expected = len(paper_question.version.answer or [])
    if len(blanks) > expected:
        report.error(_("This question has %(n)d blanks; separate them with “|”.") % {"n": expected}, value=text,
                     **where)
        return None
    return "answer", blanks


def _read_rows(file: IO[bytes]):
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise UploadRejected(_("The workbook cannot be read: %(error)s") % {"error": exc}) from exc
    return workbook


def plan_score_import(*, session: ExamSession, file: IO[bytes], filename: str) -> ScoreImportReport:
    """Read and check the workbook; every problem is reported, located. Writes nothing."""
    report = ScoreImportReport()
    try:
        check_upload(file, filename=filename)
        workbook = _read_rows(file)
    except UploadRejected as exc:
        report.error(str(exc))
        return report
    if INFO_SHEET in workbook.sheetnames:
        info = {str(r[0]).strip(): r[1] for r in workbook[INFO_SHEET].iter_rows(min_row=1, max_row=3, values_only=True)
                if r and r[0]}
        code = str(info.get("考试场次") or "").strip()
        if code and code != session.code:
            report.error(_("This workbook is for session “%(other)s”, not “%(code)s”.")
                         % {"other": code, "code": session.code}, sheet=INFO_SHEET, row=1, column="B", value=code)
            return report
    if SHEET not in workbook.sheetnames:
        report.error(_("The workbook has no sheet “%(sheet)s”; download the score-entry workbook again.")
                     % {"sheet": SHEET})
        return report
    rows = workbook[SHEET].iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
    columns = _columns(session)
    expected = FIXED_HEADERS + [column_header(*c) for c in columns]
    if header[:len(expected)] != expected:
        for index, name in enumerate(expected):
            found = header[index] if index < len(header) else ""
            if found != name:
                report.error(_("Expected the column “%(name)s” here.") % {"name": name}, sheet=SHEET, row=1,
                             column=get_column_letter(index + 1), value=found)
                break
        return report
    papers = {p.candidate.ticket_number: p for p in _papers(session)}
    seen: dict[str, int] = {}
    for row_number, values in enumerate(rows, start=2):
        values = list(values) + [None] * (len(expected) - len(values))
        if all(v is None or str(v).strip() == "" for v in values[:len(expected)]):
            continue
        ticket = str(values[0] or "").strip()
        where_ticket = {"sheet": SHEET, "row": row_number, "column": "A"}
        if not ticket:
            report.error(_("The ticket number is empty."), **where_ticket)
            continue
        if ticket in seen:
            report.error(_("Ticket number already given in row %(row)d.") % {"row": seen[ticket]}, value=ticket,
                         **where_ticket)
            continue
        seen[ticket] = row_number
        paper = papers.get(ticket)
        if paper is None:
            report.error(_("No candidate of this session has this ticket number."), value=ticket, **where_ticket)
            continue
        absent_text = str(values[3] or "").strip().casefold()
        if absent_text not in ABSENT_YES | ABSENT_NO:
            report.error(_("Write 缺考 or leave it empty."), sheet=SHEET, row=row_number, column="D",
                         value=str(values[3]))
            continue
        planned = PlannedRow(candidate=paper.candidate, paper=paper, absent=absent_text in ABSENT_YES)
        questions = {q.position: q for q in paper.questions.all()}
        for index, (position, _label, _points) in enumerate(columns, start=4):
            value = values[index]
            where = {"sheet": SHEET, "row": row_number, "column": get_column_letter(index + 1)}
            if planned.absent:
                if value is not None and str(value).strip():
                    report.error(_("The candidate is marked absent but has an entry here."), value=str(value),
                                 **where)
                continue
            question = questions.get(position)
            if question is None:
                continue
            parsed = _parse_cell(question, value, where, report)
            if parsed is None:
                continue
            kind, parsed_value = parsed
            if kind == "score":
                planned.essay_scores[position] = parsed_value
            else:
                planned.answers[position] = parsed_value
        report.rows.append(planned)
    if not report.rows and report.ok:
        report.error(_("The workbook has no candidate rows."), sheet=SHEET)
    report.counts = {
        "rows": len(report.rows),
        "absent": sum(1 for r in report.rows if r.absent),
        "sat": sum(1 for r in report.rows if not r.absent),
        "essay_scores": sum(len(r.essay_scores) for r in report.rows),
        "not_in_workbook": len(set(papers) - set(seen)),
    }
    return report


def ensure_attempt(paper: Paper) -> Attempt:
    """The paper's attempt with one response per paper question (the shape issuing papers creates)."""
    candidate = paper.candidate
    attempt, _created = Attempt.objects.get_or_create(
        paper=paper, defaults={"session_id": paper.session_id, "candidate": candidate,
                               "user_id": candidate.person.user_id if candidate else None})
    have = set(attempt.responses.values_list("position", flat=True))
    Response.objects.bulk_create([
        Response(attempt=attempt, paper_question=q, position=q.position, version_id=q.version_id, points=q.points)
        for q in paper.questions.all() if q.position not in have
    ])
    return attempt


def import_scores(*, session: ExamSession, file: IO[bytes], filename: str, dry_run: bool = False,
                  actor=None) -> ScoreImportReport:
    """Check, then (unless a dry run or anything is wrong) write every row in one transaction."""
    require_status(session, *IMPORT_STATUSES,
                   message=_("Scores can be entered after papers are issued and before the session is graded."))
    report = plan_score_import(session=session, file=file, filename=filename)
    report.dry_run = dry_run
    if not report.ok or dry_run:
        return report
    with transaction.atomic():
        changed = _apply(session, report.rows, actor)
        report.counts["marks_added"] = changed
        record(actor=actor, action="exams.import_scores", obj=session,
               summary=f"{session.code}: scores of {len(report.rows)} candidates entered from {filename}",
               filename=filename, **report.counts)
    return report


def _apply(session: ExamSession, rows: list[PlannedRow], actor) -> int:
    extras = extra_spellings(session)
    rule = session.multi_select_rule
    now = timezone.now()
    marks = 0
    for planned in rows:
        attempt = ensure_attempt(planned.paper)
        attempt.session = session
        if planned.absent:
            record_absent(attempt=attempt, actor=actor)
            continue
        attempt.status = AttemptStatus.SUBMITTED
        attempt.submitted_by = SubmittedBy.SCORE_IMPORT
        attempt.submitted_at = attempt.submitted_at or now
        attempt.save(update_fields=["status", "submitted_by", "submitted_at"])
        Candidate.objects.filter(pk=planned.candidate.pk).exclude(attendance=Attendance.EXCUSED).update(
            attendance=Attendance.PRESENT)
        new_marks, changed = [], []
        for response in attempt.responses.select_related("paper_question__version__question"):
            position = response.position
            if position in planned.answers:
                answer = planned.answers[position]
                score = engine_score(paper_question=response.paper_question, answer=answer, rule=rule, extras=extras)
                response.answer, response.saved_at = answer, now
                if response.score != score:
                    new_marks.append(Mark(response=response, score=score, source=MarkSource.ENGINE,
                                          reason="score entry"))
                    response.score = score
                changed.append(response)
            elif position in planned.essay_scores and response.score != planned.essay_scores[position]:
                score = planned.essay_scores[position]
                new_marks.append(Mark(response=response, score=score, source=MarkSource.SCORE_IMPORT, marker=actor
                                      if getattr(actor, "is_authenticated", False) else None))
                response.score = score
                changed.append(response)
        Mark.objects.bulk_create(new_marks)
        Response.objects.bulk_update(changed, ["answer", "saved_at", "score"])
        marks += len(new_marks)
        update_attempt_score(attempt=Attempt.objects.select_related("session").get(pk=attempt.pk))
    return marks
