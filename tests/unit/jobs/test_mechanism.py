"""The job mechanism: a job runs once per run, reports progress, fails cleanly, is restarted by its owner."""

from datetime import timedelta

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

import pytest

from lms.jobs import services
from lms.jobs.models import Job, JobFile, JobStatus, Upload, private_storage
from tests.conftest import make_user

from . import job_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_calls():
    job_tasks.CALLS.clear()


@pytest.fixture
def owner(db):
    return make_user("job-owner")


def start(owner, capture, **params):
    with capture(execute=True):
        return services.start_job(kind="test.count", owner=owner, task=job_tasks.counting_job,
                                  params={"rows": 100, **params}, title="Count")


def test_a_job_runs_when_the_transaction_commits_and_keeps_its_result(owner, django_capture_on_commit_callbacks):
    job = start(owner, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.result == {"rows": 100}
    assert (job.progress_done, job.progress_total) == (100, 100)
    assert job.started_at and job.finished_at and job.owner == owner
    assert services.job_status(job)["percent"] == 100
    assert job.files.get().file.read() == b"rows=100"


def test_progress_reported_inside_the_work_is_visible_while_it_runs(owner, django_capture_on_commit_callbacks):
    start(owner, django_capture_on_commit_callbacks)
    seen = job_tasks.CALLS[0]["seen"]
    assert seen["status"] == JobStatus.RUNNING
    assert (seen["done"], seen["total"], seen["percent"]) == (50, 100, 50)
    assert seen["message"] == "rows" and seen["finished"] is False


def test_a_job_failed_by_the_work_keeps_its_message_and_writes_nothing(owner, django_capture_on_commit_callbacks):
    job = start(owner, django_capture_on_commit_callbacks, fail_at=30, write_group="half-written")
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.message == "row 30 is wrong" and job.result == {"errors": [30]}
    assert not Group.objects.filter(name="half-written").exists()
    assert not job.files.exists()


def test_an_unexpected_error_fails_the_job_with_a_plain_message(owner, django_capture_on_commit_callbacks):
    job = start(owner, django_capture_on_commit_callbacks, crash=True, write_group="crash")
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "disk on fire" not in job.message and "没有任何改动" in job.message
    assert not Group.objects.filter(name="crash").exists()


def test_a_retried_or_duplicated_message_does_not_run_the_work_twice(owner, django_capture_on_commit_callbacks):
    job = start(owner, django_capture_on_commit_callbacks, write_group="once")
    assert len(job_tasks.CALLS) == 1
    # Celery redelivers the same message (acks_late after a lost connection) or retries it.
    assert job_tasks.counting_job.apply(args=[str(job.pk), 1]).get() == "skipped"
    assert job_tasks.counting_job.apply(args=[str(job.pk), 1]).get() == "skipped"
    assert len(job_tasks.CALLS) == 1
    assert Group.objects.filter(name="once").count() == 1


def test_a_message_of_an_older_run_is_ignored_after_a_restart(owner, django_capture_on_commit_callbacks):
    job = start(owner, django_capture_on_commit_callbacks, fail_at=0)
    with django_capture_on_commit_callbacks(execute=False):
        services.restart_job(job=Job.objects.get(pk=job.pk), actor=owner)
    assert job_tasks.counting_job.apply(args=[str(job.pk), 1]).get() == "skipped"
    job.refresh_from_db()
    assert (job.status, job.attempt) == (JobStatus.PENDING, 2)


def test_a_job_whose_worker_died_is_failed_after_its_time_limit_and_restarted_by_its_owner(
    owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # the message is lost with the worker
        job = services.start_job(kind="test.count", owner=owner, task=job_tasks.counting_job,
                                 params={"rows": 10}, time_limit=600)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now() - timedelta(minutes=5))
    assert services.fail_stalled_jobs() == 0  # still within its limit
    Job.objects.filter(pk=job.pk).update(started_at=timezone.now() - timedelta(minutes=13))
    assert services.fail_stalled_jobs() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "时限" in job.message
    with django_capture_on_commit_callbacks(execute=True):
        services.restart_job(job=job, actor=owner)
    job.refresh_from_db()
    assert (job.status, job.attempt, job.result) == (JobStatus.SUCCEEDED, 2, {"rows": 10})


def test_only_the_owner_restarts_and_only_a_failed_job(owner, django_capture_on_commit_callbacks):
    job = start(owner, django_capture_on_commit_callbacks)
    with pytest.raises(PermissionError):
        services.restart_job(job=job, actor=make_user("someone-else"))
    with pytest.raises(ValueError):
        services.restart_job(job=job, actor=owner)


def test_a_run_that_ends_after_it_was_marked_failed_is_rolled_back(owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = services.start_job(kind="test.count", owner=owner, task=job_tasks.counting_job, params={"rows": 10})

    def work(job, **params):
        Group.objects.create(name="late")
        Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED)  # the periodic check got there first
        return {}

    assert services.run_job(work, job_id=str(job.pk), attempt=1) == "superseded"
    assert not Group.objects.filter(name="late").exists()


def test_the_soft_time_limit_fails_the_job_with_the_time_limit_message(owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_job(kind="test.slow", owner=owner, task=job_tasks.slow_job, time_limit=120)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "2" in job.message and "重新开始" in job.message


def test_jobs_no_worker_picked_up_fail_after_the_pending_timeout(owner, django_capture_on_commit_callbacks, settings):
    settings.JOBS_PENDING_TIMEOUT = 3600
    with django_capture_on_commit_callbacks(execute=False):
        job = services.start_job(kind="test.count", owner=owner, task=job_tasks.counting_job, params={"rows": 1})
    Job.objects.filter(pk=job.pk).update(queued_at=timezone.now() - timedelta(hours=2))
    assert services.fail_stalled_jobs() == 1
    assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED
    # Restarted long after it was created, it waits its full time again.
    with django_capture_on_commit_callbacks(execute=False):
        services.restart_job(job=Job.objects.get(pk=job.pk), actor=owner)
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=8))
    assert services.fail_stalled_jobs() == 0


def test_cleanup_removes_expired_files_old_uploads_and_stray_files(owner, django_capture_on_commit_callbacks):
    job = start(owner, django_capture_on_commit_callbacks)
    kept = job.files.get()
    expired = services.attach_file(job, key="old", label="Old", filename="old.txt", content=b"x",
                                   content_type="text/plain", ttl=timedelta(seconds=-1))
    storage = private_storage()
    old_upload = Upload(kind="roster", owner=owner, session_hash="x", filename="a.xlsx",
                        created_at=timezone.now() - timedelta(days=2))
    old_upload.file.save("a", ContentFile(b"a"), save=False)
    old_upload.save()
    new_upload = Upload(kind="roster", owner=owner, session_hash="x", filename="b.xlsx")
    new_upload.file.save("b", ContentFile(b"b"), save=False)
    new_upload.save()
    stray = storage.save("jobs/stray/left-behind.txt", ContentFile(b"s"))
    later = timezone.now() + timedelta(days=1, hours=1)
    counts = services.clean_files(now=later - timedelta(hours=2))  # the stray file is not a day old yet
    assert counts == {"job_files": 1, "uploads": 1, "stray": 0}
    assert not storage.exists(expired.file.name) and not JobFile.objects.filter(pk=expired.pk).exists()
    assert not storage.exists(old_upload.file.name) and storage.exists(new_upload.file.name)
    assert storage.exists(kept.file.name)
    assert services.clean_files(now=later)["stray"] == 1
    assert not storage.exists(stray)


def test_the_periodic_tasks_are_scheduled():
    from lms.beat_schedule import BEAT_SCHEDULE

    tasks = {entry["task"] for entry in BEAT_SCHEDULE.values()}
    assert {"lms.jobs.tasks.fail_stalled_jobs", "lms.jobs.tasks.clean_job_files"} <= tasks
