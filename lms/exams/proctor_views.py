"""The proctor console (监考台) in the Wagtail admin: every candidate of a venue with status, answered
count, last save and events, refreshing by itself; the proctor's actions, each with a reason and audited.

Trainers and proctors (exams.proctor_examsession) use it; officers never reach the admin at all. The
actions call services.sitting; these views only translate forms and errors.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import Attempt, AttemptStatus, ExamSession, SessionStatus, Venue
from .services import sitting
from .services.sessions import ExamError

PERMISSION = "exams.proctor_examsession"
CONSOLE_STATUSES = (SessionStatus.PAPERS_ISSUED, SessionStatus.OPEN, SessionStatus.CLOSED)
REFRESH_SECONDS = 5



def _posted_id(request, name: str) -> int:
    """A posted object id; anything but a plain number is simply not found (404), never a server error."""
    value = request.POST.get(name, "")
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        raise Http404
    return int(value)

def _counts(rows: list[dict]) -> str:
    return " · ".join(f"{label} {sum(1 for r in rows if r['status'] == value)}"
                      for value, label in AttemptStatus.choices)


def _require(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def proctor_index(request):
    _require(request)
    sessions = ExamSession.objects.filter(status__in=CONSOLE_STATUSES).order_by("-starts_at")[:50]
    return TemplateResponse(request, "exams/admin/proctor_index.html", {
        "page_title": _("Proctor console"), "header_icon": "view", "sessions": sessions,
    })


def _venue(session, request):
    venue_id = request.GET.get("venue") or request.POST.get("venue_filter")
    return session.venues.filter(pk=venue_id).first() if venue_id and str(venue_id).isdigit() else None


def proctor_console(request, pk):
    _require(request)
    session = get_object_or_404(ExamSession, pk=pk)
    venue = _venue(session, request)
    rows = sitting.console_rows(session=session, venue_id=venue.pk if venue else None)
    return TemplateResponse(request, "exams/admin/proctor.html", {
        "page_title": _("Proctor console"), "page_subtitle": session.title, "header_icon": "view",
        "session": session, "venue": venue, "venues": list(session.venues.all()),
        "rows": rows, "counts": _counts(rows), "refresh_seconds": REFRESH_SECONDS, "now": timezone.localtime(),
        "can_open": session.status == SessionStatus.PAPERS_ISSUED, "can_close": session.status == SessionStatus.OPEN,
    })


def proctor_rows(request, pk):
    _require(request)
    session = get_object_or_404(ExamSession, pk=pk)
    venue = _venue(session, request)
    # The beat task submits overdue attempts; the console does too, so it never shows a stale "in progress".
    sitting.submit_overdue_attempts()
    rows = sitting.console_rows(session=session, venue_id=venue.pk if venue else None)
    return JsonResponse({"rows": rows, "counts": _counts(rows), "session_status": session.get_status_display(),
                         "time": timezone.localtime().strftime("%H:%M:%S")})


@require_POST
def proctor_act(request, pk):
    _require(request)
    session = get_object_or_404(ExamSession, pk=pk)
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")
    back = reverse("exams_admin:proctor", args=[session.pk])
    if request.POST.get("venue_filter"):
        back += f"?venue={request.POST['venue_filter']}"
    try:
        if action == "open":
            sitting.open_sitting(session=session, actor=request.user)
            message = _("The session is open.")
        elif action == "close":
            sitting.close_sitting(session=session, actor=request.user)
            message = _("The session is closed: attempts in progress were submitted, the others marked absent.")
        elif action == "access_code":
            venue = get_object_or_404(Venue, pk=_posted_id(request, "venue"), session=session)
            venue = sitting.change_access_code(venue=venue, actor=request.user, reason=reason,
                                               code=request.POST.get("code", ""))
            message = _("New access code of %(venue)s: %(code)s") % {"venue": venue.name, "code": venue.access_code}
        else:
            attempt = get_object_or_404(Attempt.objects.select_related("session", "candidate"),
                                        pk=_posted_id(request, "attempt"), session=session)
            name = attempt.candidate.name if attempt.candidate_id else ""
            if action == "extend":
                try:
                    minutes = int(request.POST.get("minutes", ""))
                except ValueError:
                    raise ExamError(_("Extra time must be a whole number of minutes.")) from None
                sitting.extend_attempt(attempt=attempt, minutes=minutes, actor=request.user, reason=reason)
                message = _("%(name)s: %(minutes)d minutes added.") % {"name": name, "minutes": minutes}
            elif action == "reentry":
                sitting.allow_reentry(attempt=attempt, actor=request.user, reason=reason)
                message = _("%(name)s may re-enter on another device.") % {"name": name}
            elif action == "absent":
                sitting.mark_absent(attempt=attempt, actor=request.user, reason=reason)
                message = _("%(name)s marked absent.") % {"name": name}
            elif action == "submit":
                sitting.submit_for_candidate(attempt=attempt, actor=request.user, reason=reason)
                message = _("%(name)s's exam submitted.") % {"name": name}
            else:
                raise ExamError(_("Unknown action."))
    except ExamError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, message)
    return redirect(back)
