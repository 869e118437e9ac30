"""Periodic housekeeping of jobs (scheduled in lms/beat_schedule.py)."""

from celery import shared_task

from . import services


@shared_task
def fail_stalled_jobs() -> int:
    """Mark failed the jobs whose worker died (past their time limit), so nothing shows "running" forever."""
    return services.fail_stalled_jobs()


@shared_task
def clean_job_files() -> dict:
    """Remove job results, waiting uploads and stray files older than JOBS_FILE_MAX_AGE."""
    return services.clean_files()
