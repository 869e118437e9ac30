"""Marking attempts: the engine marks objective answers; people mark essays (see the marking queue).

Marks are only ever added (DESIGN §4). A response's score is its latest final mark and an attempt's score
the sum of its responses' scores, both recomputed here from the marks, so they can always be rebuilt.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from question_bank.grading import score_response

from ..models import Attempt, AttemptStatus, Mark, MarkSource, Response


def multiple_rule_for(attempt: Attempt) -> str:
    return attempt.session.multi_select_rule if attempt.session_id else "all_or_nothing"


@transaction.atomic
def grade_attempt(*, attempt_id: int) -> Attempt | None:
    """Mark every objective answer of a submitted attempt once; safe to run twice (the second run finds
    every objective response already marked and adds nothing). Returns None for an unknown attempt."""
    # of=("self",): the session join is an outer one (mock exams have none), which PostgreSQL cannot lock.
    attempt = Attempt.objects.select_for_update(of=("self",)).select_related("session").filter(pk=attempt_id).first()
    if attempt is None or attempt.status != AttemptStatus.SUBMITTED:
        return attempt
    rule = multiple_rule_for(attempt)
    responses = list(
        attempt.responses.filter(score__isnull=True).select_related("paper_question__version__question")
    )
    marks, marked = [], []
    for response in responses:
        question = response.paper_question
        score = score_response(content=question.version, response=response.answer or [], points=question.points,
                               multiple_rule=rule)
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
    unmarked = attempt.responses.filter(score__isnull=True).exists()
    total = attempt.responses.aggregate(total=Sum("score"))["total"] or Decimal("0")
    attempt.score = total
    if attempt.session_id:
        attempt.passed = total >= attempt.session.pass_mark
    attempt.graded_at = None if unmarked else (attempt.graded_at or timezone.now())
    attempt.save(update_fields=["score", "passed", "graded_at"])
    return attempt
