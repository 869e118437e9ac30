"""Marking attempts: the engine marks objective answers; people mark essays (services.marking).

Marks are only ever added (DESIGN §4). A response's score is its latest final mark and an attempt's score
the sum of its responses' scores, both recomputed here from the marks, so they can always be rebuilt.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from question_bank.grading import ESSAY, question_type_of, score_response

from ..models import AcceptedSpelling, Attempt, AttemptStatus, ExamSession, Mark, MarkSource, Response


def multiple_rule_for(attempt: Attempt) -> str:
    return attempt.session.multi_select_rule if attempt.session_id else "all_or_nothing"


def extra_spellings(session: ExamSession | None) -> dict[int, list[list[str]]]:
    """Per question version: the extra spellings a session accepted, one list per blank."""
    extras: dict[int, list[list[str]]] = {}
    if session is None:
        return extras
    for version_id, blank, text in AcceptedSpelling.objects.filter(session=session).values_list(
        "version_id", "blank", "text"
    ):
        blanks = extras.setdefault(version_id, [])
        while len(blanks) <= blank:
            blanks.append([])
        blanks[blank].append(text)
    return extras


def engine_score(*, paper_question, answer, rule: str, extras: dict[int, list[list[str]]],
                 version=None) -> Decimal | None:
    """The engine's score for one answer (None for an essay). `version` overrides the paper question's
    version content, e.g. to preview a corrected key."""
    content = version or paper_question.version
    return score_response(content=content, response=answer or [], points=paper_question.points,
                          multiple_rule=rule, extra_accepted=extras.get(paper_question.version_id))


def is_essay(paper_question) -> bool:
    return question_type_of(paper_question.version) == ESSAY


@transaction.atomic
def grade_attempt(*, attempt_id: int) -> Attempt | None:
    """Mark every objective answer of a submitted attempt once; safe to run twice (the second run finds
    every objective response already marked and adds nothing). Returns None for an unknown attempt."""
    # of=("self",): the session join is an outer one (mock exams have none), which PostgreSQL cannot lock.
    attempt = Attempt.objects.select_for_update(of=("self",)).select_related("session").filter(pk=attempt_id).first()
    if attempt is None or attempt.status != AttemptStatus.SUBMITTED:
        return attempt
    rule = multiple_rule_for(attempt)
    extras = extra_spellings(attempt.session)
    responses = list(
        attempt.responses.filter(score__isnull=True).select_related("paper_question__version__question")
    )
    marks, marked = [], []
    for response in responses:
        score = engine_score(paper_question=response.paper_question, answer=response.answer, rule=rule,
                             extras=extras)
        if score is None:  # an essay: a person marks it
            continue
        response.score = score
        marks.append(Mark(response=response, score=score, source=MarkSource.ENGINE))
        marked.append(response)
    Mark.objects.bulk_create(marks)
    Response.objects.bulk_update(marked, ["score"])
    return update_attempt_score(attempt=attempt)


def update_attempt_score(*, attempt: Attempt) -> Attempt:
    """Recompute the attempt's total from its responses' scores; graded once no response is unmarked."""
    if attempt.status == AttemptStatus.ABSENT:
        attempt.score, attempt.passed, attempt.graded_at = None, False, attempt.graded_at or timezone.now()
        attempt.save(update_fields=["score", "passed", "graded_at"])
        return attempt
    unmarked = attempt.responses.filter(score__isnull=True).exists()
    total = attempt.responses.aggregate(total=Sum("score"))["total"] or Decimal("0")
    attempt.score = total
    if attempt.session_id:  # pass/fail only once every answer has its final score
        attempt.passed = None if unmarked else total >= attempt.session.pass_mark
    attempt.graded_at = None if unmarked else (attempt.graded_at or timezone.now())
    attempt.save(update_fields=["score", "passed", "graded_at"])
    return attempt


@dataclass
class SessionGrading:
    attempts: int = 0
    marks_added: int = 0
    graded: int = 0
    not_submitted: int = 0
    absent: int = 0
    essays_unmarked: int = 0
    essays_by_question: dict[str, int] = field(default_factory=dict)


def grade_session(*, session: ExamSession) -> SessionGrading:
    """Engine-mark every submitted attempt of a session (idempotent) and say what awaits a person."""
    summary = SessionGrading()
    marks_before = Mark.objects.filter(response__attempt__session=session).count()
    for attempt_id, status in Attempt.objects.filter(session=session).values_list("id", "status"):
        summary.attempts += 1
        if status == AttemptStatus.ABSENT:
            summary.absent += 1
            continue
        if status != AttemptStatus.SUBMITTED:
            summary.not_submitted += 1
            continue
        attempt = grade_attempt(attempt_id=attempt_id)
        if attempt.graded_at:
            summary.graded += 1
    summary.marks_added = Mark.objects.filter(response__attempt__session=session).count() - marks_before
    by_question: dict[str, int] = defaultdict(int)
    for code in unmarked_essays(session).values_list("paper_question__question__code", flat=True):
        by_question[code] += 1
    summary.essays_by_question = dict(sorted(by_question.items()))
    summary.essays_unmarked = sum(by_question.values())
    return summary


def unmarked_essays(session: ExamSession):
    """Essay answers of submitted attempts that have no final score yet."""
    return Response.objects.filter(
        attempt__session=session, attempt__status=AttemptStatus.SUBMITTED, score__isnull=True,
        paper_question__question__type=ESSAY,
    )
