"""Periodic jobs run by `celery -A lms beat`. Times are Asia/Shanghai (CELERY_TIMEZONE)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Axes keeps a row per failed login; drop the expired ones nightly so the table stays small.
    "clean-expired-login-failures": {
        "task": "lms.core.tasks.clean_expired_login_failures",
        "schedule": crontab(hour=3, minute=15),
    },
    # Exam deadlines: attempts past deadline + grace are submitted by the server (also done lazily on the
    # next request, so a late beat only delays the proctor console, never lets a candidate save late).
    "submit-overdue-exam-attempts": {
        "task": "lms.exams.tasks.submit_overdue_attempts_task",
        "schedule": 15.0,
    },
    # Jobs whose worker died are marked failed once past their time limit (their owner can restart them).
    "fail-stalled-jobs": {
        "task": "lms.jobs.tasks.fail_stalled_jobs",
        "schedule": 300.0,
    },
    # Waiting uploads and job results (initial codes, answer keys, exports) older than JOBS_FILE_MAX_AGE.
    "clean-job-files": {
        "task": "lms.jobs.tasks.clean_job_files",
        "schedule": crontab(minute=40),
    },
}
