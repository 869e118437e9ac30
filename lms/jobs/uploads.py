"""Files waiting for their owner's confirmation (an import between preview and confirm).

Kept on the private storage, so every web node sees them and no web server serves them. An upload is
bound to its owner and to his sign-in session: after he signs out (or the session expires) nobody can
confirm it, not even he after signing in again. `lms.jobs.tasks.clean_job_files` removes uploads older
than JOBS_FILE_MAX_AGE.
"""

from __future__ import annotations

import hashlib
import uuid

from django.contrib.auth.signals import user_logged_out
from django.core.files.base import ContentFile
from django.dispatch import receiver

from .models import Upload


def _session_hash(request) -> str:
    if not request.session.session_key:
        request.session.save()
    return hashlib.sha256(request.session.session_key.encode()).hexdigest()


def save_upload(*, request, kind: str, filename: str, content: bytes) -> Upload:
    """Keep `content` for the signed-in user of `request`, in this session only."""
    upload = Upload(id=uuid.uuid4(), kind=kind, owner=request.user, session_hash=_session_hash(request),
                    filename=filename[:200], size=len(content))
    upload.file.save(upload.id.hex, ContentFile(content), save=False)
    upload.save()
    return upload


def get_upload(*, request, kind: str, upload_id) -> Upload | None:
    """The upload if it belongs to this user in this session; None otherwise (gone, or someone else's)."""
    try:
        upload_uuid = uuid.UUID(str(upload_id))
    except ValueError:
        return None
    if not request.user.is_authenticated or not request.session.session_key:
        return None
    upload = Upload.objects.filter(
        pk=upload_uuid, kind=kind, owner=request.user, session_hash=_session_hash(request)
    ).first()
    if upload is None or not upload.file.storage.exists(upload.file.name):
        return None
    return upload


def read_upload(upload: Upload) -> bytes:
    with upload.file.storage.open(upload.file.name, "rb") as handle:
        return handle.read()


def discard_upload(upload: Upload | None) -> None:
    if upload is None:
        return
    if upload.file.name:
        upload.file.storage.delete(upload.file.name)
    Upload.objects.filter(pk=upload.pk).delete()


@receiver(user_logged_out)
def _discard_uploads_of_ended_session(sender, request, user, **kwargs):
    # The session is about to end: its waiting uploads can never be confirmed, so remove them now.
    if user is None or request is None or not getattr(request, "session", None) or not request.session.session_key:
        return
    for upload in Upload.objects.filter(owner=user, session_hash=_session_hash(request)):
        discard_upload(upload)
