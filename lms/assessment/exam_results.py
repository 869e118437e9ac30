"""The one place the assessment reads exam results (DESIGN §2: assessment reads lms.exams results).

Only these fields are used: the session's year and status, each current candidate's squad and attendance,
and its attempt's status, score, pass flag and paper total. If the exam schema changes, this file changes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from lms.exams.models import AttemptStatus, Attendance, Candidate, ExamSession, SessionStatus

GRADED_STATUSES = (SessionStatus.GRADED, SessionStatus.RELEASED)


@dataclass(frozen=True)
class CandidateResult:
    session_code: str
    sat: bool  # submitted and graded
    fraction: Decimal | None  # score ÷ paper points, in [0, 1]; None when absent
    passed: bool


def graded_sessions(*, year: int, session_ids: list[int] | None = None) -> list[ExamSession]:
    sessions = ExamSession.objects.filter(year=year, status__in=GRADED_STATUSES)
    if session_ids:
        sessions = sessions.filter(pk__in=session_ids)
    return list(sessions.order_by("starts_at", "code"))


def results_by_squad(*, sessions: list[ExamSession]) -> dict[int, list[CandidateResult]]:
    """Every candidate of the sessions' current draws who was not excused, by squad id.

    A candidate counts as having sat when his attempt was submitted and scored; anyone else (absent,
    never started, never submitted) counts as absent.
    """
    by_squad: dict[int, list[CandidateResult]] = defaultdict(list)
    rows = (
        Candidate.objects.filter(session__in=sessions, draw__superseded_at__isnull=True)
        .exclude(attendance=Attendance.EXCUSED)
        .values_list("squad_id", "session__code", "attempt__status", "attempt__score", "attempt__passed",
                     "attempt__paper__total_points")
    )
    for squad_id, code, status, score, passed, total in rows:
        sat = status == AttemptStatus.SUBMITTED and score is not None
        fraction = None
        if sat:
            fraction = min(Decimal("1"), max(Decimal("0"), Decimal(score) / Decimal(total))) if total else Decimal("0")
        by_squad[squad_id].append(CandidateResult(session_code=code, sat=sat, fraction=fraction,
                                                  passed=bool(sat and passed)))
    return by_squad
