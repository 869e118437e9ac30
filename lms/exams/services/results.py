"""Session results: closed → graded → released, the results table, its Excel export and make-up sessions.

A session is graded when every attempt has a final score (absent candidates count as 缺考, not as zero
scorers who sat) and no essay is left unmarked; a trainer then releases it to the candidates.
"""

from __future__ import annotations

import datetime as dt
from typing import IO

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from openpyxl import Workbook

from lms.core.audit import record
from lms.core.spreadsheets import safe_cell

from ..models import (
    Attempt,
    AttemptStatus,
    Attendance,
    Candidate,
    CandidateDraw,
    ExamSession,
    SessionStatus,
)
from .grading import grade_session, unmarked_essays, update_attempt_score
from .sessions import ExamError, move_session, require_status


def close_for_grading(*, session: ExamSession, actor=None) -> ExamSession:
    """Close a session that is still open (or, for a paper exam never opened online, still issued)."""
    if session.status == SessionStatus.PAPERS_ISSUED:
        session = move_session(session=session, to=SessionStatus.OPEN, actor=actor)
    if session.status == SessionStatus.OPEN:
        session = move_session(session=session, to=SessionStatus.CLOSED, actor=actor)
    require_status(session, SessionStatus.CLOSED)
    return session


def missing_scores(session: ExamSession) -> dict[str, int]:
    """What stops a session from being graded, counted."""
    attempts = Attempt.objects.filter(session=session)
    sitting = (Candidate.objects.filter(session=session, draw__superseded_at__isnull=True, paper__isnull=False)
               .exclude(attendance=Attendance.EXCUSED))
    return {
        "essays": unmarked_essays(session).count(),
        "in_progress": attempts.filter(status=AttemptStatus.IN_PROGRESS).count(),
        "no_attempt": sitting.filter(attempt__isnull=True).count(),
        "ungraded": attempts.filter(status=AttemptStatus.SUBMITTED, graded_at__isnull=True).count(),
    }


def _missing_message(missing: dict[str, int]) -> str:
    parts = []
    if missing["essays"]:
        parts.append(ngettext("%(n)d essay answer is still unmarked", "%(n)d essay answers are still unmarked",
                              missing["essays"]) % {"n": missing["essays"]})
    if missing["in_progress"]:
        parts.append(_("%(n)d attempts are still in progress") % {"n": missing["in_progress"]})
    if missing["no_attempt"]:
        parts.append(_("%(n)d candidates have no scores entered") % {"n": missing["no_attempt"]})
    other = missing["ungraded"] - missing["essays"]
    if other > 0 and not missing["essays"]:
        parts.append(_("%(n)d attempts are not yet marked") % {"n": missing["ungraded"]})
    return "；".join(parts)


@transaction.atomic
def mark_graded(*, session: ExamSession, actor=None) -> ExamSession:
    """closed → graded: never-started attempts become absent (缺考), the engine marks what it can, and the
    move is refused, with the count, while anything is still without a final score."""
    session = ExamSession.objects.select_for_update().get(pk=session.pk)
    require_status(session, SessionStatus.CLOSED)
    for attempt in Attempt.objects.filter(session=session, status=AttemptStatus.NOT_STARTED).select_related(
            "session"):
        record_absent(attempt=attempt, actor=actor)
    grade_session(session=session)
    missing = missing_scores(session)
    if any(missing.values()):
        raise ExamError(_("The session cannot be marked as graded yet: %(what)s.") % {"what": _missing_message(missing)})
    session = move_session(session=session, to=SessionStatus.GRADED, actor=actor)
    session.graded_at = timezone.now()
    session.save(update_fields=["graded_at"])
    return session


def record_absent(*, attempt: Attempt, actor=None) -> Attempt:
    attempt.status = AttemptStatus.ABSENT
    attempt.save(update_fields=["status"])
    if attempt.candidate_id:
        Candidate.objects.filter(pk=attempt.candidate_id).exclude(attendance=Attendance.EXCUSED).update(
            attendance=Attendance.ABSENT)
    return update_attempt_score(attempt=attempt)


@transaction.atomic
def release_results(*, session: ExamSession, actor=None) -> ExamSession:
    """graded → released. A closed session is graded first, so the refusal names what is still unmarked."""
    session = ExamSession.objects.select_for_update().get(pk=session.pk)
    if session.status == SessionStatus.CLOSED:
        session = mark_graded(session=session, actor=actor)
    require_status(session, SessionStatus.GRADED)
    missing = missing_scores(session)
    if any(missing.values()):  # a mark revised after grading could leave an answer without a final score
        raise ExamError(_("The results cannot be released: %(what)s.") % {"what": _missing_message(missing)})
    session = move_session(session=session, to=SessionStatus.RELEASED, actor=actor)
    session.released_at = timezone.now()
    session.save(update_fields=["released_at"])
    record(actor=actor, action="exams.release", obj=session, summary=f"{session.code}: results released")
    return session


# --- Reading results -----------------------------------------------------------------------------------------


def session_results(session: ExamSession) -> list[dict]:
    """One row per candidate of the current draw who was to sit (excused ones are listed as excused).

    For statistics and the assessment: `score` (None when absent or unmarked), `passed`, `absent`,
    `excused`, `status` of the attempt, and `scores` per paper position; `counted_score` /
    `counted_passed` apply a make-up session's rule (the better of the two counts).
    """
    candidates = (Candidate.objects.filter(session=session, draw__superseded_at__isnull=True)
                  .select_related("squad").order_by("squad_code", "ticket_number"))
    attempts = {a.candidate_id: a for a in Attempt.objects.filter(session=session, candidate__isnull=False)}
    scores: dict[int, dict[int, object]] = {}
    for attempt_id, position, score in (Attempt.objects.filter(session=session)
                                        .values_list("id", "responses__position", "responses__score")):
        if position is not None:
            scores.setdefault(attempt_id, {})[position] = score
    makeups = _makeup_attempts(session)
    rows = []
    for c in candidates:
        attempt = attempts.get(c.pk)
        absent = (attempt is not None and attempt.status == AttemptStatus.ABSENT) or (
            attempt is None and c.attendance == Attendance.ABSENT)
        excused = c.attendance == Attendance.EXCUSED and attempt is None
        score = attempt.score if attempt and not absent and attempt.graded_at else None
        passed = bool(attempt.passed) if attempt and attempt.passed is not None and not absent else False
        counted_score, counted_passed = score, passed
        makeup = makeups.get(c.person_id)
        if makeup is not None and makeup.score is not None and makeup.graded_at and (
                counted_score is None or makeup.score > counted_score):
            counted_score, counted_passed = makeup.score, bool(makeup.passed)
        rows.append({
            "candidate": c, "ticket_number": c.ticket_number, "name": c.name, "squad": c.squad.name,
            "squad_code": c.squad_code, "position": c.get_position_display(), "attempt": attempt,
            "status": attempt.status if attempt else "", "score": score,
            "passed": passed if not excused else None, "absent": absent, "excused": excused,
            "scores": scores.get(attempt.pk, {}) if attempt else {},
            "makeup_score": makeup.score if makeup else None,
            "counted_score": counted_score, "counted_passed": counted_passed if not excused else None,
        })
    return rows


def _makeup_attempts(session: ExamSession) -> dict[int, Attempt]:
    best: dict[int, Attempt] = {}
    for attempt in (Attempt.objects.filter(session__makeup_of=session, session__status=SessionStatus.RELEASED)
                    .exclude(status=AttemptStatus.ABSENT).select_related("candidate")):
        person = attempt.candidate.person_id
        if attempt.score is not None and (person not in best or attempt.score > best[person].score):
            best[person] = attempt
    return best


def squad_summary(rows: list[dict]) -> list[dict]:
    squads: dict[str, dict] = {}
    for row in rows:
        s = squads.setdefault(row["squad_code"], {"code": row["squad_code"], "name": row["squad"], "candidates": 0,
                                                  "sat": 0, "passed": 0, "absent": 0, "excused": 0, "total": 0})
        s["candidates"] += 1
        if row["excused"]:
            s["excused"] += 1
        elif row["absent"]:
            s["absent"] += 1
        elif row["score"] is not None:
            s["sat"] += 1
            s["total"] += row["score"]
            s["passed"] += 1 if row["passed"] else 0
    for s in squads.values():
        s["mean"] = round(s["total"] / s["sat"], 1) if s["sat"] else None
        s["pass_rate"] = round(100 * s["passed"] / s["sat"]) if s["sat"] else None
    return list(squads.values())


# Fixed Chinese headers whatever the interface language: operators script against them (DESIGN §6).
RESULT_HEADERS = ["准考证号", "姓名", "中队", "职务", "总分", "是否及格", "是否缺考"]
MAKEUP_HEADERS = ["补考成绩", "认定成绩"]
SQUAD_HEADERS = ["中队", "应考人数", "实考人数", "及格人数", "缺考人数", "免考人数", "平均分", "及格率(%)"]


def result_headers(session: ExamSession, positions: list[int]) -> list[str]:
    headers = list(RESULT_HEADERS)
    if session.makeups.exists():
        headers += MAKEUP_HEADERS
    return headers + [f"第{p}题" for p in positions]


def write_results(*, session: ExamSession, out: IO[bytes]) -> int:
    """The results workbook: one row per candidate; every cell through safe_cell."""
    rows = session_results(session)
    positions = sorted({p for row in rows for p in row["scores"]})
    has_makeup = session.makeups.exists()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("成绩")
    sheet.append([safe_cell(h) for h in result_headers(session, positions)])
    yes, no = "是", "否"
    for row in rows:
        total = "" if row["score"] is None else float(row["score"])
        passed = "" if row["passed"] is None or row["absent"] else (yes if row["passed"] else no)
        absent = "免考" if row["excused"] else (yes if row["absent"] else no)
        values = [safe_cell(row["ticket_number"]), safe_cell(row["name"]), safe_cell(row["squad"]),
                  safe_cell(row["position"]), total, passed, absent]
        if has_makeup:
            values += ["" if row["makeup_score"] is None else float(row["makeup_score"]),
                       "" if row["counted_score"] is None else float(row["counted_score"])]
        values += ["" if row["scores"].get(p) is None else float(row["scores"][p]) for p in positions]
        sheet.append(values)
    sheet_summary = workbook.create_sheet("按中队")
    sheet_summary.append(SQUAD_HEADERS)
    for s in squad_summary(rows):
        sheet_summary.append([safe_cell(s["name"]), s["candidates"], s["sat"], s["passed"], s["absent"], s["excused"],
                              "" if s["mean"] is None else float(s["mean"]),
                              "" if s["pass_rate"] is None else s["pass_rate"]])
    workbook.save(out)
    return len(rows)


# --- Make-up sessions (补考) ---------------------------------------------------------------------------------


@transaction.atomic
def create_makeup_session(*, session: ExamSession, code: str, starts_at: dt.datetime, ends_at: dt.datetime,
                          actor=None) -> ExamSession:
    """A make-up session for those who failed, were absent or were excused; the better score counts."""
    session = ExamSession.objects.select_for_update().get(pk=session.pk)
    require_status(session, SessionStatus.RELEASED,
                   message=_("A make-up exam can be created only from a session whose results are released."))
    if ExamSession.objects.filter(code=code).exists():
        raise ExamError(_("A session with code “%(code)s” already exists.") % {"code": code})
    rows = [r for r in session_results(session) if r["absent"] or r["excused"] or not r["passed"]]
    if not rows:
        raise ExamError(_("Everyone passed; there is nobody to sit a make-up exam."))
    makeup = ExamSession(
        code=code, title=_("%(title)s (make-up)") % {"title": session.title}, year=session.year,
        delivery=session.delivery, blueprint=session.blueprint, paper_mode=session.paper_mode,
        shuffle_options=session.shuffle_options, multi_select_rule=session.multi_select_rule,
        pass_mark=session.pass_mark, starts_at=starts_at, ends_at=ends_at,
        duration_minutes=session.duration_minutes, mandatory_positions=session.mandatory_positions,
        sampled_positions=session.sampled_positions,
        double_marking=session.double_marking, arbiter_threshold=session.arbiter_threshold,
        show_key_after_release=session.show_key_after_release, makeup_of=session,
        status=SessionStatus.CANDIDATES_DRAWN,
    )
    makeup.full_clean(exclude=["blueprint"])
    makeup.save()
    original = session.current_draw
    draw = CandidateDraw.objects.create(
        session=makeup, snapshot=original.snapshot, seed=original.seed, seed_source=original.seed_source,
        witness=original.witness, rule={"makeup_of": session.code}, snapshot_digest=original.snapshot_digest,
        result_digest=original.result_digest, drawn_by=actor if getattr(actor, "is_authenticated", False) else None,
        reason=_("make-up of %(code)s") % {"code": session.code},
    )
    Candidate.objects.bulk_create([
        Candidate(draw=draw, session=makeup, person_id=r["candidate"].person_id, name=r["candidate"].name,
                  id_number=r["candidate"].id_number, squad_id=r["candidate"].squad_id,
                  squad_code=r["candidate"].squad_code, position=r["candidate"].position,
                  reason="added", note=_("make-up: %(why)s") % {"why": _("absent") if r["absent"] else (
                      _("excused") if r["excused"] else _("failed"))},
                  ticket_number=f"{code}-{n:04d}")
        for n, r in enumerate(rows, start=1)
    ])
    record(actor=actor, action="exams.makeup", obj=makeup, summary=f"{code}: make-up of {session.code}",
           original=session.code, candidates=len(rows))
    return makeup
