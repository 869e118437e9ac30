"""Background work of the roster: the confirmed import runs as a job (lms.jobs) with progress and slips."""

from __future__ import annotations

import io
from datetime import timedelta

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.jobs.models import Upload
from lms.jobs.services import JobFailed, attach_file, job_task, register_kind, report_progress
from lms.jobs.uploads import discard_upload, read_upload

from .services.imports import import_roster
from .slips import write_slips_pdf, write_slips_xlsx

IMPORT_KIND = "roster.import"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SLIPS_TTL = timedelta(hours=1)  # the slips carry one-time initial codes: kept no longer than needed
MAX_LISTED = 500  # errors and people listed on the result screen; the counts are always complete

register_kind(IMPORT_KIND, label=gettext_lazy("Roster import"), result_template="roster/admin/job_result.html")


@job_task(queue="imports")
def import_roster_job(job, *, upload_id: str, filename: str, site_hint: str = "") -> dict:
    """Import the previewed workbook for real (all-or-nothing, checked again) and keep the account slips."""
    upload = Upload.objects.filter(pk=upload_id, owner_id=job.owner_id, kind="roster").first()
    if upload is None:
        raise JobFailed(_("The uploaded roster is no longer kept (uploads are removed after a day); upload it again."))
    report_progress(job, done=0, total=4, message=_("Reading the workbook"))

    def phase(name: str, rows: int) -> None:
        step, message = {
            "checking": (1, _("Checking %(rows)s rows")),
            "writing": (2, _("Writing %(rows)s rows to the roster")),
        }[name]
        report_progress(job, done=step, total=4, message=message % {"rows": f"{rows:,}"})

    report = import_roster(file=io.BytesIO(read_upload(upload)), filename=filename, dry_run=False, actor=job.owner,
                           progress=phase)
    if not report.ok:  # the roster changed between preview and confirm
        raise JobFailed(
            _("The roster has changed since the preview, so the file no longer passes the checks; nothing was "
              "imported. Upload it again to see the current preview."),
            result={"errors": [e.as_dict() for e in report.errors[:MAX_LISTED]], "error_count": len(report.errors)},
        )
    report_progress(job, done=3, total=4, message=_("Writing the account slips"))
    if report.slips:
        attach_file(job, key="slips-pdf", label=_("Slips (PDF for printing)"), filename="account-slips.pdf",
                    content=write_slips_pdf(report.slips, site_hint=site_hint),
                    content_type="application/pdf", ttl=SLIPS_TTL)
        attach_file(job, key="slips-xlsx", label=_("Slips (Excel)"), filename="account-slips.xlsx",
                    content=write_slips_xlsx(report.slips), content_type=XLSX, ttl=SLIPS_TTL)
    # The file goes once the import is committed; if anything fails it stays for a restart.
    transaction.on_commit(lambda: discard_upload(upload))
    return {
        "filename": filename,
        "summary": report.summary(),
        "counts": report.counts,
        "new_units": report.new_units,
        "deactivated": report.deactivated[:MAX_LISTED],
        "warnings": [str(w) for w in report.warnings[:MAX_LISTED]],
        "sheets": report.sheets,
        "snapshot_id": report.snapshot_id,
        "slip_count": len(report.slips),
    }
