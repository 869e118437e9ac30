"""Long operations as jobs: start one, report its progress, attach its files, fail it with a message.

The whole API other apps use (regrading, exports, statistics …)::

    from lms.jobs.services import JobFailed, attach_file, job_task, report_progress, start_job

    @job_task(queue="exports")                       # in your app's tasks.py
    def export_results_job(job, *, session_id):       # called with the Job and its params
        session = ExamSession.objects.get(pk=session_id)
        report_progress(job, done=0, total=n, message=_("Writing the workbook"))
        ...
        attach_file(job, key="xlsx", label=_("Results (Excel)"), filename="results.xlsx",
                    content=data, content_type=XLSX)
        return {"rows": n}                            # kept as job.result for the result screen

    job = start_job(kind="exams.export_results", owner=request.user, task=export_results_job,
                    params={"session_id": session.pk}, title=_("Results of %s") % session)
    return redirect(job_url(job))                     # the progress screen, then the result

Guarantees:
- A job runs once per run: the task claims the job (pending → running) in one UPDATE guarded by the run
  number, so a Celery retry, a duplicated or a redelivered message never runs the work twice.
- By default the work, its files and the "succeeded" mark commit in one transaction: a failure or a dead
  worker leaves nothing half-written. Raise `JobFailed(message, result=…)` to fail with a message the
  owner reads; any other exception fails the job with a generic message (and is logged).
- A run that outlives its time limit (a worker killed mid-way) is marked failed by the periodic
  `lms.jobs.tasks.fail_stalled_jobs`; its owner can restart it (`restart_job`), which starts a new run.
- Progress goes to the cache (Redis when deployed, so every web node sees it) and, outside a
  transaction, to the job row. The progress screen polls `job_status`.
- Files live on the private storage (`STORAGES["private"]`), are downloaded only by the job's owner and
  are removed by `lms.jobs.tasks.clean_job_files` when they expire (JOBS_FILE_MAX_AGE, a day by default).
- With no broker (`make run`, tests) tasks run in-process when the starting transaction commits, so the
  same screens appear, the progress screen simply opens on a finished job.

Register how a kind is shown (its label and result template) with `register_kind` in your app's
`AppConfig.ready` or at import of your tasks module.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from .models import Job, JobFile, JobStatus

logger = logging.getLogger(__name__)

PROGRESS_KEY = "jobs:progress:{id}:{attempt}"
_DB_PROGRESS_INTERVAL = 1.0  # seconds between progress writes to the job row
_last_db_write: dict[str, float] = {}


class JobFailed(Exception):
    """Raise inside a job to fail it with a message for its owner (and an optional result to show)."""

    def __init__(self, message: str, *, result: dict | None = None):
        super().__init__(message)
        self.message = str(message)
        self.result = result or {}


class _Superseded(Exception):
    """The run was marked failed or restarted while it worked: its work is rolled back."""


@dataclass(frozen=True)
class JobKind:
    label: Any
    result_template: str = "jobs/results/default.html"


_KINDS: dict[str, JobKind] = {}


def register_kind(kind: str, *, label, result_template: str = "jobs/results/default.html") -> None:
    """Say how jobs of `kind` are named and which template shows their result (gets `job` and `result`)."""
    _KINDS[kind] = JobKind(label=label, result_template=result_template)


def kind_info(kind: str) -> JobKind:
    return _KINDS.get(kind) or JobKind(label=kind)


def _setting(name: str, default):
    return getattr(settings, name, default)


# --- starting ----------------------------------------------------------------------------------------


def start_job(
    *,
    kind: str,
    owner,
    task,
    params: dict | None = None,
    title: str = "",
    time_limit: int | None = None,
    queue: str | None = None,
) -> Job:
    """Record a job and queue its task once the current transaction commits (right away outside one).

    `task` is a task made by `@job_task` (or its registered name); `params` are its keyword arguments
    and must be JSON (ids, not objects). `time_limit` (seconds) defaults to JOBS_DEFAULT_TIME_LIMIT.
    """
    task_name = task if isinstance(task, str) else task.name
    job = Job.objects.create(
        kind=kind,
        title=str(title)[:200],
        owner=owner if getattr(owner, "is_authenticated", False) else None,
        task_name=task_name,
        params=params or {},
        queue=queue or getattr(task, "job_queue", "") or "",
        time_limit=time_limit or _setting("JOBS_DEFAULT_TIME_LIMIT", 1800),
    )
    _dispatch(job)
    return job


def _dispatch(job: Job) -> None:
    job_id, attempt, name, queue, limit = str(job.pk), job.attempt, job.task_name, job.queue, job.time_limit

    def send():
        from celery import current_app

        task = current_app.tasks[name]
        options = {"soft_time_limit": limit, "time_limit": limit + 60}
        if queue:
            options["queue"] = queue
        task.apply_async(args=[job_id, attempt], **options)

    transaction.on_commit(send)


def restart_job(*, job: Job, actor) -> Job:
    """Start a failed job again as a new run (its owner only); its files from the failed run go."""
    if job.owner_id is None or job.owner_id != getattr(actor, "pk", None):
        raise PermissionError("only the owner restarts a job")
    with transaction.atomic():
        restarted = Job.objects.filter(pk=job.pk, status=JobStatus.FAILED).update(
            status=JobStatus.PENDING, attempt=F("attempt") + 1, progress_done=0, progress_total=0,
            message="", result={}, queued_at=timezone.now(), started_at=None, finished_at=None,
        )
        if not restarted:
            raise ValueError("only a failed job can be restarted")
        for stored in JobFile.objects.filter(job=job):
            _delete_file(stored.file)
        JobFile.objects.filter(job=job).delete()
        job.refresh_from_db()
        _dispatch(job)
    return job


# --- inside a job --------------------------------------------------------------------------------------


def report_progress(job: Job, *, done: int, total: int | None = None, message: str | None = None) -> None:
    """Tell the person waiting how far the job is (e.g. rows written of rows to write)."""
    job.progress_done = max(0, int(done))
    if total is not None:
        job.progress_total = max(0, int(total))
    if message is not None:
        job.message = str(message)[:1000]
    state = {"done": job.progress_done, "total": job.progress_total, "message": job.message}
    cache.set(PROGRESS_KEY.format(id=job.pk, attempt=job.attempt), state, job.time_limit + 3600)
    # Inside the job's transaction the row's new values would stay invisible until the end (and on
    # SQLite would hold the write lock longer); the cache carries progress there.
    key = str(job.pk)
    now = time.monotonic()
    if not connection.in_atomic_block and now - _last_db_write.get(key, 0) >= _DB_PROGRESS_INTERVAL:
        _last_db_write[key] = now
        Job.objects.filter(pk=job.pk, attempt=job.attempt, status=JobStatus.RUNNING).update(
            progress_done=job.progress_done, progress_total=job.progress_total, message=job.message
        )


def attach_file(
    job: Job,
    *,
    key: str,
    label: str,
    filename: str,
    content: bytes,
    content_type: str,
    ttl: timedelta | None = None,
) -> JobFile:
    """Keep a file the job produced on the private storage for its owner to download (until `ttl`,
    JOBS_FILE_MAX_AGE by default). Files of one job are told apart by `key`."""
    expires = timezone.now() + (ttl or timedelta(seconds=_setting("JOBS_FILE_MAX_AGE", 86400)))
    stored = JobFile(job=job, key=key, label=str(label)[:200], filename=filename[:200],
                     content_type=content_type, size=len(content), expires_at=expires)
    stored.file.save(filename.encode("ascii", "ignore").decode() or "file", ContentFile(content), save=False)
    # If the job's transaction rolls back, the file stays behind unreferenced; the cleanup removes it.
    stored.save()
    return stored


# --- the runner ----------------------------------------------------------------------------------------


def job_task(*, queue: str | None = None, atomic: bool = True, name: str | None = None, **celery_options):
    """Turn `fn(job, **params) -> dict | None` into a Celery task that runs one job.

    `atomic=False` for work that commits in steps of its own (then a failure may leave the steps done).
    """

    def decorate(fn: Callable[..., dict | None]):
        task_name = name or f"{fn.__module__}.{fn.__name__}"

        @shared_task(name=task_name, ignore_result=True, acks_late=True, **celery_options)
        def run(job_id: str, attempt: int = 1):
            return run_job(fn, job_id=job_id, attempt=attempt, atomic=atomic)

        run.job_function = fn
        run.job_queue = queue or ""
        return run

    return decorate


def run_job(fn: Callable[..., dict | None], *, job_id: str, attempt: int, atomic: bool = True) -> str:
    """Claim the job's run and do the work; returns the final status ("skipped" if the run was not ours)."""
    claimed = Job.objects.filter(pk=job_id, attempt=attempt, status=JobStatus.PENDING).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        logger.info("job %s run %s is not waiting; message ignored", job_id, attempt)
        return "skipped"
    job = Job.objects.select_related("owner").get(pk=job_id)
    report_progress(job, done=0, total=job.progress_total)
    try:
        if atomic:
            with transaction.atomic():
                result = fn(job, **job.params)
                if not _mark_succeeded(job, result):
                    raise _Superseded
        else:
            result = fn(job, **job.params)
            _mark_succeeded(job, result)
    except _Superseded:
        logger.warning("job %s run %s finished after it was marked failed; its work was rolled back", job_id, attempt)
        return "superseded"
    except JobFailed as exc:
        _mark_failed(job, exc.message, exc.result)
        return JobStatus.FAILED
    except SoftTimeLimitExceeded:
        _mark_failed(job, _time_limit_message(job))
        return JobStatus.FAILED
    except Exception:
        logger.exception("job %s (%s) failed", job_id, job.kind)
        _mark_failed(job, _("The job stopped because of an unexpected error; nothing was changed. "
                            "Try again, and tell the administrator if it happens again."))
        return JobStatus.FAILED
    finally:
        _last_db_write.pop(str(job_id), None)
    return JobStatus.SUCCEEDED


def _json_safe(result) -> dict:
    return result if isinstance(result, dict) else {}


def _mark_succeeded(job: Job, result) -> bool:
    total = max(job.progress_total, job.progress_done, 1)
    updated = Job.objects.filter(pk=job.pk, attempt=job.attempt, status=JobStatus.RUNNING).update(
        status=JobStatus.SUCCEEDED, finished_at=timezone.now(), result=_json_safe(result),
        progress_done=total, progress_total=total, message="",
    )
    return bool(updated)


def _mark_failed(job: Job, message: str, result: dict | None = None) -> None:
    Job.objects.filter(pk=job.pk, attempt=job.attempt, status=JobStatus.RUNNING).update(
        status=JobStatus.FAILED, finished_at=timezone.now(), message=message[:1000], result=result or {},
    )


def _time_limit_message(job: Job) -> str:
    return _("The job did not finish within its time limit (%(minutes)d min); nothing was changed. "
             "You can restart it.") % {"minutes": max(1, round(job.time_limit / 60))}


# --- housekeeping (periodic tasks call these) -------------------------------------------------------------


def fail_stalled_jobs(*, now=None) -> int:
    """Mark failed the runs that outlived their time limit (their worker died) and jobs never picked up."""
    now = now or timezone.now()
    grace = timedelta(seconds=_setting("JOBS_STALL_GRACE", 120))
    failed = 0
    for job in Job.objects.filter(status=JobStatus.RUNNING, started_at__isnull=False).only(
        "pk", "attempt", "status", "started_at", "time_limit"
    ):
        if job.started_at + timedelta(seconds=job.time_limit) + grace < now:
            _mark_failed(job, _time_limit_message(job))
            failed += 1
    pending_limit = timedelta(seconds=_setting("JOBS_PENDING_TIMEOUT", 6 * 3600))
    failed += Job.objects.filter(status=JobStatus.PENDING, queued_at__lt=now - pending_limit).update(
        status=JobStatus.FAILED, finished_at=now,
        message=_("No worker picked the job up in time; nothing was changed. You can restart it."),
    )
    return failed


def _delete_file(field_file) -> None:
    try:
        if field_file.name:
            field_file.storage.delete(field_file.name)
    except OSError:
        logger.warning("could not delete %s", field_file.name)


def clean_files(*, now=None) -> dict[str, int]:
    """Remove expired job files, uploads older than JOBS_FILE_MAX_AGE, and stray files on the private
    storage older than that (left by a transaction that rolled back)."""
    from .models import Upload, private_storage

    now = now or timezone.now()
    max_age = timedelta(seconds=_setting("JOBS_FILE_MAX_AGE", 86400))
    counts = {"job_files": 0, "uploads": 0, "stray": 0}
    for stored in JobFile.objects.filter(expires_at__lt=now):
        _delete_file(stored.file)
        stored.delete()
        counts["job_files"] += 1
    for upload in Upload.objects.filter(created_at__lt=now - max_age):
        _delete_file(upload.file)
        upload.delete()
        counts["uploads"] += 1
    storage = private_storage()
    known = set(JobFile.objects.values_list("file", flat=True)) | set(Upload.objects.values_list("file", flat=True))
    for name in _walk(storage, ""):
        if name in known:
            continue
        try:
            modified = storage.get_modified_time(name)
        except (OSError, NotImplementedError):
            continue
        if modified < now - max_age:
            storage.delete(name)
            counts["stray"] += 1
    return counts


def _walk(storage, folder: str):
    try:
        folders, files = storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from _walk(storage, f"{folder}/{sub}" if folder else sub)


# --- reading ----------------------------------------------------------------------------------------------


def job_url(job: Job) -> str:
    return reverse("jobs:detail", args=[job.pk])


def job_status(job: Job) -> dict:
    """What the progress screen shows: status, done/total, percent, message; the cache wins while running."""
    done, total, message = job.progress_done, job.progress_total, job.message
    if job.status == JobStatus.RUNNING:
        live = cache.get(PROGRESS_KEY.format(id=job.pk, attempt=job.attempt))
        if live and live["done"] >= done:
            done, total, message = live["done"], live["total"], live["message"]
    percent = 100 if job.status == JobStatus.SUCCEEDED else (min(99, done * 100 // total) if total else 0)
    return {
        "id": str(job.pk),
        "status": job.status,
        "status_label": str(JobStatus(job.status).label),
        "done": done,
        "total": total,
        "percent": percent,
        "message": message,
        "finished": job.is_finished,
    }

