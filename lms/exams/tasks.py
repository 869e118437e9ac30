"""Background work of the exam loop. Tasks take ids and call services; each is safe to run twice."""

import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from celery import shared_task

from lms.jobs.services import JobFailed, attach_file, job_task, register_kind, report_progress

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


@shared_task
def warm_paper_pages_task(session_id: int) -> int:
    """Render every issued paper's questions once, before the candidates arrive (services.paper_html), and
    keep what each save checks its answer against (services.sitting.keep_session_facts)."""
    from .services.paper_html import warm_session_papers
    from .services.sitting import keep_session_facts

    rendered = warm_session_papers(session_id)
    keep_session_facts(session_id)
    return rendered


# --- jobs (lms.jobs): long work a trainer waits for on a progress screen ------------------------------

PRINTABLES_KIND = "exams.printables"
register_kind(PRINTABLES_KIND, label=gettext_lazy("Printables of an exam session"))


@job_task(queue="exports", atomic=False)  # reads only; the PDF is kept as the job's file
def session_printables_job(job, *, session_id: int) -> dict:
    """Tickets, sign-in sheets, papers and answer sheets of a session as one PDF."""
    from .models import ExamSession
    from .services.printables import write_printables

    session = ExamSession.objects.filter(pk=session_id).first()
    if session is None:
        raise JobFailed(_("The exam session no longer exists."))
    report_progress(job, done=0, total=1, message=_("Drawing the PDF"))
    buffer = io.BytesIO()
    pages = write_printables(session=session, out=buffer)
    attach_file(job, key="pdf", label=_("Printable papers, tickets and sign-in sheets (PDF)"),
                filename=f"{session.code}-papers.pdf", content=buffer.getvalue(), content_type="application/pdf")
    return {"pages": pages, "session": session.code}
