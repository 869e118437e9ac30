"""Manual marking (阅卷) of essays and case analyses: blind, by question across candidates.

One marker per essay by default; with `session.double_marking` two different markers mark each essay, and
when their scores differ by more than `session.arbiter_threshold` a third marker (the arbiter) decides;
otherwise their average stands. Every score is a Mark row; nothing is overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from lms.core.audit import record
from question_bank.grading import ESSAY

from ..models import Attempt, AttemptStatus, ExamSession, Mark, MarkSource, Response, SessionStatus
from .grading import update_attempt_score
from .sessions import ExamError, require_status

MARKER_SOURCES = (MarkSource.MARKER_1, MarkSource.MARKER_2)
MARKING_STATUSES = (SessionStatus.OPEN, SessionStatus.CLOSED, SessionStatus.GRADED)
STEP = Decimal("0.1")


def essay_responses(session: ExamSession):
    """Every essay answer of the session's submitted attempts, in ticket order (blind: no names here)."""
    return (Response.objects.filter(attempt__session=session, attempt__status=AttemptStatus.SUBMITTED,
                                    paper_question__question__type=ESSAY)
            .select_related("paper_question__version", "paper_question__question", "attempt__candidate")
            .order_by("attempt__candidate__ticket_number", "position"))


def parse_score(raw, *, points: Decimal) -> Decimal:
    """A typed score as a Decimal within 0..points, at most one decimal place; ExamError in Chinese if not."""
    text = str(raw if raw is not None else "").strip().replace("，", ".").replace(",", ".")
    try:
        score = Decimal(text)
    except InvalidOperation:
        raise ExamError(_("“%(value)s” is not a score.") % {"value": text}) from None
    if not score.is_finite() or score < 0 or score > points:
        raise ExamError(_("The score must be between 0 and %(points)s.") % {"points": points})
    if score != score.quantize(STEP):
        raise ExamError(_("Scores have at most one decimal place."))
    return score.quantize(STEP)


@dataclass(frozen=True)
class MarkingState:
    marks: tuple  # the marker and arbiter marks, oldest first
    needs: str  # "marker", "second", "arbiter" or "done"
    markers: frozenset  # ids of the markers whose marks count (latest per marker)


def marking_state(session: ExamSession, response: Response, marks: list[Mark] | None = None) -> MarkingState:
    marks = list(marks if marks is not None else response.marks.all())
    people = [m for m in marks if m.source in (*MARKER_SOURCES, MarkSource.ARBITER)]
    latest = {}
    for m in people:
        if m.source in MARKER_SOURCES:
            latest[m.marker_id] = m
    arbiter = [m for m in people if m.source == MarkSource.ARBITER]
    if not session.double_marking:
        needs = "done" if response.score is not None else "marker"
    elif len(latest) < 2:
        needs = "marker" if not latest else "second"
    elif arbiter:
        needs = "done"
    else:
        a, b = list(latest.values())[:2]
        needs = "arbiter" if abs(a.score - b.score) > session.arbiter_threshold else "done"
    return MarkingState(marks=tuple(people), needs=needs, markers=frozenset(latest))


def can_mark(session: ExamSession, state: MarkingState, marker) -> bool:
    """Whether this marker has anything to do on this answer (or may revise his own mark)."""
    if not session.double_marking:
        return True
    if marker.pk in state.markers:
        return True
    if state.needs in ("marker", "second"):
        return True
    return state.needs == "arbiter"


@transaction.atomic
def submit_mark(*, response: Response, marker, score, comment: str = "") -> Mark:
    """Record one marker's score for one essay answer and update the response's and attempt's scores."""
    response = Response.objects.select_for_update(of=("self",)).select_related(
        "attempt__session", "paper_question__question").get(pk=response.pk)
    attempt = response.attempt
    session = attempt.session
    require_status(session, *MARKING_STATUSES,
                   message=_("Marking is open from the exam's opening until results are released."))
    if attempt.status != AttemptStatus.SUBMITTED or response.paper_question.question.type != ESSAY:
        raise ExamError(_("Only essay answers of submitted attempts are marked by hand."))
    value = parse_score(score, points=response.paper_question.points)
    comment = (comment or "").strip()[:500]
    marks = list(response.marks.all())
    state = marking_state(session, response, marks)
    if not session.double_marking:
        mark = Mark.objects.create(response=response, score=value, source=MarkSource.MARKER_1, marker=marker,
                                   comment=comment, is_final=True)
        response.score = value
    else:
        mark = _double_mark(session, response, state, marker, value, comment)
    response.save(update_fields=["score"])
    update_attempt_score(attempt=Attempt.objects.select_related("session").get(pk=attempt.pk))
    record(actor=marker, action="exams.mark", obj=response, summary=f"{session.code} #{response.pk}: {value}",
           score=str(value), source=mark.source, attempt=attempt.pk)
    return mark


def _double_mark(session, response, state: MarkingState, marker, value, comment) -> Mark:
    if marker.pk in state.markers:
        source = next(m.source for m in reversed(state.marks) if m.marker_id == marker.pk and m.source in
                      MARKER_SOURCES)
    elif state.needs == "marker":
        source = MarkSource.MARKER_1
    elif state.needs == "second":
        source = MarkSource.MARKER_2
    elif state.needs == "arbiter":
        source = MarkSource.ARBITER
    else:
        raise ExamError(_("This answer has already been marked by two markers."))
    final = source == MarkSource.ARBITER
    mark = Mark.objects.create(response=response, score=value, source=source, marker=marker, comment=comment,
                               is_final=final)
    if final:
        response.score = value
        return mark
    state = marking_state(session, response, [*state.marks, mark])
    latest = {}
    for m in state.marks:
        if m.source in MARKER_SOURCES:
            latest[m.marker_id] = m
    arbiter = [m for m in state.marks if m.source == MarkSource.ARBITER]
    if arbiter:
        response.score = arbiter[-1].score
    elif state.needs == "done":
        a, b = list(latest.values())[:2]
        average = ((a.score + b.score) / 2).quantize(STEP, rounding=ROUND_HALF_UP)
        Mark.objects.create(response=response, score=average, source=MarkSource.AVERAGE, is_final=True,
                            reason=_("average of two markers"))
        response.score = average
    else:  # a second marker is still due, or the two disagree and an arbiter must decide
        response.score = None
    return mark


def question_progress(session: ExamSession) -> list[dict]:
    """Per essay question: answers, marked, awaiting a second marker, awaiting an arbiter."""
    rows: dict[int, dict] = {}
    responses = essay_responses(session).prefetch_related("marks")
    for response in responses:
        question = response.paper_question.question
        row = rows.setdefault(question.pk, {"question": question, "stem": response.paper_question.version.stem,
                                            "total": 0, "done": 0, "second": 0, "arbiter": 0, "open": 0})
        row["total"] += 1
        needs = marking_state(session, response, list(response.marks.all())).needs
        key = {"done": "done", "second": "second", "arbiter": "arbiter"}.get(needs, "open")
        row[key] += 1
    return sorted(rows.values(), key=lambda r: r["question"].code)


def marker_progress(session: ExamSession) -> list[dict]:
    """Per marker: answers marked (distinct), as first/second marker and as arbiter."""
    from django.contrib.auth import get_user_model

    counts = (Mark.objects.filter(response__attempt__session=session, marker__isnull=False)
              .values("marker").annotate(
                  answers=Count("response", distinct=True),
                  arbitrated=Count("response", distinct=True, filter=Q(source=MarkSource.ARBITER))))
    users = get_user_model().objects.in_bulk([c["marker"] for c in counts])
    return sorted(({"marker": users[c["marker"]], "answers": c["answers"], "arbitrated": c["arbitrated"]}
                   for c in counts), key=lambda r: -r["answers"])


def queue_for(session: ExamSession, question_id: int, marker) -> list[Response]:
    """The answers to one question this marker may mark, in ticket order."""
    responses = list(essay_responses(session).filter(paper_question__question_id=question_id)
                     .prefetch_related("marks"))
    return [r for r in responses if can_mark(session, marking_state(session, r, list(r.marks.all())), marker)]
