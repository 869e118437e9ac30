"""成绩分析 screens in the Wagtail admin: the list of graded sessions and a session's report, with its PDF
and Excel exports. Trainers and assessors (exams.view_examsession) read; the figures come from the cached
SessionStatistics, recomputed by the Celery task whenever the marks changed since."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wagtail.admin import messages

from lms.core.audit import record

from ..models import ExamSession, SessionStatus, StatisticsStatus
from ..services.item_analysis import graded_attempts, request_statistics, statistics_for
from .build import build_report
from .exports import report_pdf, report_workbook

REPORTABLE = (SessionStatus.CLOSED, SessionStatus.GRADED, SessionStatus.RELEASED)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require(request, perm: str = "exams.view_examsession") -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def report_index(request):
    _require(request)
    sessions = ExamSession.objects.filter(status__in=REPORTABLE).select_related("statistics").order_by(
        "-year", "-starts_at")
    page = Paginator(sessions, 30).get_page(request.GET.get("p"))
    return TemplateResponse(request, "exams/reports/index.html", {
        "page_title": _("Exam reports"), "header_icon": "table", "page_obj": page,
    })


def _current(request, session: ExamSession):
    """The stored statistics, queueing a recomputation when missing or stale (the marks changed)."""
    stats, stale = statistics_for(session)
    if stale and graded_attempts(session).exists():
        stats = request_statistics(session=session)
        stats.refresh_from_db()  # with eager tasks (the embedded default) it is ready already
        stale = stats.status != StatisticsStatus.READY
    return stats, stale


def session_report(request, pk):
    _require(request)
    session = get_object_or_404(ExamSession, pk=pk)
    stats, stale = _current(request, session)
    report = build_report(stats.data) if stats is not None and stats.data else None
    charts = {name: mark_safe(svg) for name, svg in report.charts.items()} if report else {}  # noqa: S308 - built by charts.py, every text escaped
    return TemplateResponse(request, "exams/reports/session.html", {
        "page_title": _("Exam report: %(title)s") % {"title": session.title}, "page_subtitle": session.code,
        "header_icon": "table", "session": session, "stats": stats, "stale": stale, "report": report,
        "charts": charts, "computing": stats is not None and stats.status in (StatisticsStatus.QUEUED,
                                                                              StatisticsStatus.RUNNING),
        "can_recompute": request.user.has_perm("exams.change_examsession"),
    })


def report_progress(request, pk):
    _require(request)
    session = get_object_or_404(ExamSession, pk=pk)
    stats, stale = statistics_for(session)
    if stats is None:
        return JsonResponse({"status": "none"})
    return JsonResponse({"status": stats.status, "done": stats.progress_done, "total": stats.progress_total,
                         "stale": stale})


@require_POST
def report_recompute(request, pk):
    _require(request, "exams.change_examsession")
    session = get_object_or_404(ExamSession, pk=pk)
    request_statistics(session=session)
    record(actor=request.user, action="exams.statistics_requested", obj=session,
           summary=f"{session.code}: statistics recomputation requested")
    messages.success(request, _("The statistics are being recomputed."))
    return redirect("exam_reports:session", pk=session.pk)


def _ready_report(request, pk):
    _require(request)
    session = get_object_or_404(ExamSession, pk=pk)
    stats, _stale = _current(request, session)
    if stats is None or not stats.data:
        messages.error(request, _("This session has no statistics yet: it needs graded attempts."))
        return session, None
    return session, build_report(stats.data)


def report_pdf_view(request, pk):
    session, report = _ready_report(request, pk)
    if report is None:
        return redirect("exam_reports:session", pk=session.pk)
    response = HttpResponse(report_pdf(report, title=session.title), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="report-{session.code}.pdf"'
    return response


def report_xlsx_view(request, pk):
    session, report = _ready_report(request, pk)
    if report is None:
        return redirect("exam_reports:session", pk=session.pk)
    response = HttpResponse(report_workbook(report, title=session.title), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="report-{session.code}.xlsx"'
    return response
