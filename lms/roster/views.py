"""Wagtail admin screens of the roster: import (upload → preview → confirm), slips, template, warnings.

The uploaded workbook waits between preview and confirm on the private storage every web node shares
(lms.jobs.uploads), bound to the uploader and his session; the session keeps its id, and the confirm step
trusts nothing the browser sends except a token it compares with the session's. Confirming starts a job
(lms.roster.tasks) whose screen shows the progress, then the counts and the account slips. Plain initial
codes of a reissued code live only in the cache, for an hour, under a session key.
"""

from __future__ import annotations

import io
import secrets
from pathlib import Path

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.core import audit
from lms.core.models import AuditEntry
from lms.core.secret_compare import same_secret
from lms.jobs.models import Job
from lms.jobs.services import job_url, start_job
from lms.jobs.uploads import discard_upload, get_upload, read_upload, save_upload

from .exports import template_xlsx
from .forms import RosterUploadForm
from .models import Person, RosterSnapshot
from .positions import position_label
from .selectors import squads_missing_key_roles
from .services.accounts import AccountSlip, issue_initial_codes, may_manage_account
from .services.imports import import_roster
from .services.snapshots import snapshot_changes
from .slips import write_slips_pdf, write_slips_xlsx
from .tasks import IMPORT_KIND, import_roster_job

IMPORT_PERMISSIONS = ("roster.add_person", "roster.change_person")
PENDING_KEY = "roster_import_pending"
SLIPS_KEY = "roster_import_slips"
SLIPS_TTL = 3600
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_import_permission(request) -> None:
    if not request.user.has_perms(IMPORT_PERMISSIONS):
        raise PermissionDenied


def _require_view_permission(request) -> None:
    if not request.user.has_perm("roster.view_person"):
        raise PermissionDenied


def _discard_pending(request) -> None:
    pending = request.session.pop(PENDING_KEY, None)
    if pending:
        discard_upload(get_upload(request=request, kind="roster", upload_id=pending.get("upload")))


def import_upload(request):
    _require_import_permission(request)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        _discard_pending(request)
        filename = Path(uploaded.name).name[:200]
        upload = save_upload(request=request, kind="roster", filename=filename, content=uploaded.read())
        request.session[PENDING_KEY] = {"upload": str(upload.pk), "filename": filename}
        return redirect("roster_import_preview")
    recent = AuditEntry.objects.filter(action="roster.import").select_related("actor")[:10]
    running = Job.objects.filter(kind=IMPORT_KIND, owner=request.user, status__in=("pending", "running"))[:5]
    return TemplateResponse(request, "roster/admin/import_upload.html", {
        "form": form, "recent_imports": recent, "running_imports": running,
    })


def _pending(request):
    """The upload waiting for this user in this session, or (None, None) after telling him to upload again."""
    pending = request.session.get(PENDING_KEY)
    upload = get_upload(request=request, kind="roster", upload_id=pending.get("upload")) if pending else None
    if upload is None:
        messages.error(request, _("No uploaded roster is waiting; upload it again."))
        return None, None
    return pending, upload


def import_preview(request):
    _require_import_permission(request)
    pending, upload = _pending(request)
    if pending is None:
        return redirect("roster_import")
    report = import_roster(file=io.BytesIO(read_upload(upload)), filename=pending["filename"], dry_run=True,
                           actor=request.user)
    if not report.ok:
        _discard_pending(request)
    return TemplateResponse(
        request,
        "roster/admin/import_preview.html",
        {"report": report, "filename": pending["filename"], "token": pending["upload"]},
    )


@require_POST
def import_confirm(request):
    """Start the import as a job and show its progress; the job checks everything again before writing."""
    _require_import_permission(request)
    pending, upload = _pending(request)
    if pending is None:
        return redirect("roster_import")
    if not same_secret(request.POST.get("token", ""), pending["upload"]):
        messages.error(request, _("This preview is out of date; check the latest preview and confirm again."))
        return redirect("roster_import_preview")
    request.session.pop(PENDING_KEY, None)  # one confirm per upload; the job owns the file now
    job = start_job(
        kind=IMPORT_KIND, owner=request.user, task=import_roster_job,
        params={"upload_id": str(upload.pk), "filename": pending["filename"],
                "site_hint": request.build_absolute_uri("/")},
        title=_("Roster import: %(file)s") % {"file": pending["filename"]},
    )
    return redirect(job_url(job))


def _keep_slips(request, slips: list[AccountSlip]) -> None:
    token = secrets.token_hex(16)
    cache.set(f"roster-slips:{token}", [slip.__dict__ for slip in slips], SLIPS_TTL)
    request.session[SLIPS_KEY] = token


def reissue_code(request, pk: int):
    """A new one-time initial code for one person (he lost his slip); the old code stops working."""
    _require_import_permission(request)
    person = get_object_or_404(Person.objects.select_related("squad", "user"), pk=pk, user__isnull=False)
    if not may_manage_account(request.user, person.user_id):
        messages.error(request, _("This account has staff rights; only a superuser may issue it a new code."))
        return redirect("roster_person:index")
    if request.method != "POST":
        return TemplateResponse(request, "roster/admin/reissue.html", {"person": person})
    slips = issue_initial_codes(people=[person], actor=request.user)
    audit.record(
        actor=request.user, action="roster.reissue_code", obj=person, summary=f"new initial code for {person.name}"
    )
    _keep_slips(request, slips)
    return TemplateResponse(request, "roster/admin/reissue.html", {"person": person, "done": True})


def _session_slips(request) -> list[AccountSlip]:
    token = request.session.get(SLIPS_KEY)
    rows = cache.get(f"roster-slips:{token}") if token else None
    if rows is None:
        raise Http404(_("The account slips of the last import are no longer available."))
    return [AccountSlip(**row) for row in rows]


def slips_xlsx(request):
    _require_import_permission(request)
    response = HttpResponse(write_slips_xlsx(_session_slips(request)), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="account-slips.xlsx"'
    response["Cache-Control"] = "no-store"
    return response


def slips_pdf(request):
    _require_import_permission(request)
    pdf = write_slips_pdf(_session_slips(request), site_hint=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="account-slips.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def template_download(request):
    _require_import_permission(request)
    response = HttpResponse(template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="roster-template.xlsx"'
    return response


def warnings_view(request):
    _require_view_permission(request)
    return TemplateResponse(request, "roster/admin/warnings.html", {"squads": squads_missing_key_roles()})


def snapshot_detail(request, pk: int):
    if not request.user.has_perm("roster.view_rostersnapshot"):
        raise PermissionDenied
    snapshot = get_object_or_404(RosterSnapshot.objects.select_related("previous", "taken_by"), pk=pk)
    changes = snapshot_changes(snapshot)
    for items in changes.values():
        for item in items:
            item["position_label"] = position_label(item["position"])
    for item in changes["position_changed"]:
        item["from_label"], item["to_label"] = position_label(item["from"]), position_label(item["to"])
    return TemplateResponse(request, "roster/admin/snapshot_detail.html", {"snapshot": snapshot, "changes": changes})
