"""Job records (a long operation run by a Celery task) and the files they keep on private storage.

A Job is what the person waiting sees: kind, owner, status, progress, message, result and files. An
Upload is a file waiting for its owner's confirmation (an import between preview and confirm). Both keep
their files on the "private" storage (never served by the web server; downloads go through views that
check the owner), and the periodic cleanup removes them after JOBS_FILE_MAX_AGE.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def private_storage():
    """The storage for uploads and generated files; a callable so tests and settings can swap it."""
    from django.core.files.storage import storages

    return storages["private"]


class JobStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Finished")
    FAILED = "failed", _("Failed")


FINISHED_STATUSES = (JobStatus.SUCCEEDED, JobStatus.FAILED)


class Job(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.SET_NULL, null=True,
        related_name="jobs",
    )
    status = models.CharField(_("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.PENDING)
    task_name = models.CharField(max_length=200)
    params = models.JSONField(default=dict, blank=True)  # the task's keyword arguments (ids, never objects)
    queue = models.CharField(max_length=64, blank=True)
    # Each run (the first, and every restart) has its own number; a task message carries the number of
    # the run it belongs to, so a redelivered or duplicated message for an older run does nothing.
    attempt = models.PositiveIntegerField(default=1)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    message = models.CharField(_("message"), max_length=1000, blank=True)
    result = models.JSONField(default=dict, blank=True)
    time_limit = models.PositiveIntegerField(help_text="seconds a run may take before it counts as failed")
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    queued_at = models.DateTimeField(default=timezone.now)  # when the current run was queued (restarts too)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        permissions = [("view_all_jobs", "Can see everybody's recent jobs")]
        indexes = [models.Index(fields=["status", "started_at"]), models.Index(fields=["owner", "-created_at"])]

    def __str__(self) -> str:
        return self.title or self.kind

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def deadline(self):
        return self.started_at + timedelta(seconds=self.time_limit) if self.started_at else None


def _job_file_path(instance: JobFile, filename: str) -> str:
    return f"jobs/{instance.job_id}/{uuid.uuid4().hex}-{filename}"


class JobFile(models.Model):
    """A file a job produced (an export, a PDF, account slips); downloaded only by the job's owner."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="files")
    key = models.SlugField(max_length=50)  # how the job's result screen refers to it, e.g. "slips-pdf"
    label = models.CharField(max_length=200)
    filename = models.CharField(max_length=200)  # the name the browser saves it under
    content_type = models.CharField(max_length=100)
    file = models.FileField(storage=private_storage, upload_to=_job_file_path, max_length=300)
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["job", "key"], name="jobs_jobfile_unique_key")]

    def __str__(self) -> str:
        return self.filename


def _upload_path(instance: Upload, filename: str) -> str:
    return f"uploads/{instance.kind}/{instance.pk.hex}"


class Upload(models.Model):
    """A file uploaded for an operation its owner will confirm later (an import between preview and
    confirm). Only its owner, in the same sign-in session, may use it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.SlugField(max_length=50)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_uploads")
    # SHA-256 of the session key: signing out (or the session expiring) makes the upload unusable.
    session_hash = models.CharField(max_length=64)
    filename = models.CharField(max_length=200)
    file = models.FileField(storage=private_storage, upload_to=_upload_path, max_length=300)
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename
