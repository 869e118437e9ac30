"""Job screens in the Wagtail admin: the progress/result screen, its JSON status, restart, downloads,
the user's own jobs and (for staff with jobs.view_all_jobs) everybody's recent jobs.

Another user's job, status or file is a 404, whoever asks: results can hold initial codes and answer keys.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from wagtail.admin import messages

from .models import Job, JobFile, JobStatus
from .services import job_status, job_url, kind_info, restart_job

PAGE_SIZE = 30


def _own_job(request, pk) -> Job:
    return get_object_or_404(Job.objects.select_related("owner"), pk=pk, owner=request.user)


def _rows(jobs):
    return [{"job": job, "kind": kind_info(job.kind), "status": job_status(job)} for job in jobs]


def my_jobs(request):
    page = Paginator(Job.objects.filter(owner=request.user), PAGE_SIZE).get_page(request.GET.get("p"))
    return TemplateResponse(request, "jobs/job_list.html", {
        "page_title": _("My jobs"), "header_icon": "time", "page_obj": page, "rows": _rows(page),
        "show_owner": False, "can_view_all": request.user.has_perm("jobs.view_all_jobs"),
    })


def all_jobs(request):
    if not request.user.has_perm("jobs.view_all_jobs"):
        raise PermissionDenied
    jobs = Job.objects.select_related("owner")
    status = request.GET.get("status", "")
    if status in JobStatus.values:
        jobs = jobs.filter(status=status)
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("p"))
    return TemplateResponse(request, "jobs/job_list.html", {
        "page_title": _("Recent jobs of all users"), "header_icon": "time", "page_obj": page,
        "rows": _rows(page), "show_owner": True, "statuses": JobStatus.choices, "status": status,
    })


@never_cache
def detail(request, pk):
    job = _own_job(request, pk)
    info = kind_info(job.kind)
    return TemplateResponse(request, "jobs/job_detail.html", {
        "page_title": job.title or str(info.label), "page_subtitle": str(info.label), "header_icon": "time",
        "job": job, "kind": info, "status": job_status(job), "result": job.result,
        "files": {f.key: f for f in job.files.filter(expires_at__gt=timezone.now())}
        if job.status == JobStatus.SUCCEEDED else {},
    })


@never_cache
def status(request, pk):
    job = _own_job(request, pk)
    return JsonResponse(job_status(job))


@require_POST
def restart(request, pk):
    job = _own_job(request, pk)
    try:
        restart_job(job=job, actor=request.user)
    except ValueError:
        messages.error(request, _("Only a failed job can be restarted."))
    return redirect(job_url(job))


def download(request, pk, key):
    job = _own_job(request, pk)
    stored = get_object_or_404(JobFile, job=job, key=key, expires_at__gt=timezone.now())
    try:
        handle = stored.file.storage.open(stored.file.name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404(_("This file is no longer kept; run the job again.")) from None
    response = FileResponse(handle, as_attachment=True, filename=stored.filename, content_type=stored.content_type)
    response["Cache-Control"] = "no-store"
    return response
