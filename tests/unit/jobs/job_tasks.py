"""Job tasks used by the job mechanism's tests (registered with Celery on import)."""

from django.contrib.auth.models import Group

from celery.exceptions import SoftTimeLimitExceeded

from lms.jobs.models import Job
from lms.jobs.services import JobFailed, attach_file, job_status, job_task, report_progress

CALLS: list[dict] = []


@job_task()
def counting_job(job, *, rows: int, fail_at: int | None = None, crash: bool = False, write_group: str = ""):
    CALLS.append({"job": str(job.pk), "attempt": job.attempt})
    if write_group:
        Group.objects.create(name=write_group)
    for done in range(0, rows + 1, 10):
        report_progress(job, done=done, total=rows, message="rows")
        if done == 50:
            # What another web node would show while the job runs.
            CALLS[-1]["seen"] = job_status(Job.objects.get(pk=job.pk))
        if fail_at is not None and done >= fail_at:
            raise JobFailed(f"row {done} is wrong", result={"errors": [done]})
        if crash and done >= 20:
            raise RuntimeError("disk on fire")
    attach_file(job, key="report", label="Report", filename="report.txt", content=b"rows=%d" % rows,
                content_type="text/plain")
    return {"rows": rows}


@job_task()
def slow_job(job):
    raise SoftTimeLimitExceeded()
