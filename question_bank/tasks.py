"""Background work of the question bank: a confirmed import runs as a job (lms.jobs) with its result screen."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.jobs.models import Upload
from lms.jobs.services import JobFailed, job_task, register_kind, report_progress
from lms.jobs.uploads import discard_upload, read_upload

from .imports.service import import_questions

IMPORT_KIND = "questions.import"
MAX_LISTED = 500

register_kind(IMPORT_KIND, label=gettext_lazy("Question import"), result_template="question_bank/job_result.html")


@job_task(queue="imports")
def import_questions_job(job, *, upload_id: str, filename: str) -> dict:
    """Import the previewed file for real: everything is checked again and written in one transaction."""
    upload = Upload.objects.filter(pk=upload_id, owner_id=job.owner_id, kind="questions").first()
    if upload is None:
        raise JobFailed(_("The uploaded file is no longer kept (uploads are removed after a day); upload it again."))
    report_progress(job, done=0, total=2, message=_("Reading and checking the questions"))
    report = import_questions(data=read_upload(upload), dry_run=False, actor=job.owner)
    if not report.ok:  # the bank changed between preview and confirm
        raise JobFailed(
            _("The bank has changed since the preview, so the file no longer passes the checks; nothing was "
              "imported. Upload it again to see the current preview."),
            result={"errors": [e.as_dict() for e in report.errors[:MAX_LISTED]], "error_count": len(report.errors)},
        )
    transaction.on_commit(lambda: discard_upload(upload))
    return {
        "filename": filename,
        "format": report.format_label,
        "counts": report.counts,
        "new_knowledge_points": report.new_knowledge_points,
        "warnings": [str(w) for w in report.warnings[:MAX_LISTED]],
    }
