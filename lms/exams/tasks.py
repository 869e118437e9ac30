"""Background work of the exam loop. Tasks take ids and call services; each is safe to run twice."""

from celery import shared_task

from .services.grading import grade_attempt


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def grade_attempt_task(attempt_id: int) -> float | None:
    """Mark a submitted attempt (the sitting's submit queues this once the submission is committed)."""
    attempt = grade_attempt(attempt_id=attempt_id)
    return float(attempt.score) if attempt is not None and attempt.score is not None else None


@shared_task
def submit_overdue_attempts_task() -> int:
    """Submit every attempt past its deadline + grace (beat, every few seconds): the server ends the exam,
    never the candidate's page. Safe to overlap: each submission is a conditional UPDATE."""
    from .services.sitting import submit_overdue_attempts

    return submit_overdue_attempts()


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def compute_session_statistics_task(session_id: int) -> str | None:
    """Item analysis and report figures of a graded (or regraded) session, cached until the marks change."""
    from .services.item_analysis import refresh_session_statistics

    stats = refresh_session_statistics(session_id=session_id)
    return stats.status if stats is not None else None
