"""Officer-facing sitting views: the exam page, its JSON endpoints and mock exams.

Every view looks the attempt up by id *and* the signed-in account, so another officer's attempt is a 404.
Views are thin: the rules are in services.sitting. JSON errors carry a stable `code` for the page's script
and a Chinese `message` for the candidate.
"""

import json
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .models import Attempt, AttemptKind, AttemptStatus, SubmittedBy
from .selectors import attempt_review, sitting_attempt
from .services import paper_html, sitting
from .services.sessions import ExamError

DEVICE_COOKIE = "exam_device_{}"
SERVICE_WORKER = Path(__file__).parent / "static" / "exams" / "sitting-sw.js"


def _attempt(request, attempt_id: int) -> Attempt:
    # Only what every sitting request reads; the venue (start page) and a mock's blueprint load when used.
    attempt = sitting_attempt(attempt_id, request.user.pk)
    if attempt is None:
        raise Http404
    return attempt


def _error(exc: sitting.SittingError | ExamError) -> JsonResponse:
    code = getattr(exc, "code", "refused")
    status = getattr(exc, "status", 409)
    return JsonResponse({"ok": False, "code": code, "message": str(exc)}, status=status)


def _json_body(request) -> dict:
    if len(request.body) > 200_000:
        raise sitting.BadAnswer(sitting.messages()["malformed"], code="malformed", status=413)
    try:
        body = json.loads(request.body.decode("utf-8") or "{}")
    except (ValueError, RecursionError) as exc:
        # Bad UTF-8 or JSON, an integer of thousands of digits, arrays nested thousands deep: all unreadable.
        raise sitting.BadAnswer(sitting.messages()["malformed"], code="malformed") from exc
    if not isinstance(body, dict):
        raise sitting.BadAnswer(sitting.messages()["malformed"], code="malformed")
    return body


def _device_token(request, attempt: Attempt) -> str:
    return request.COOKIES.get(DEVICE_COOKIE.format(attempt.pk), "")


@never_cache
@login_required
def attempt_page(request, attempt_id: int):
    attempt = sitting.lazily_submit(_attempt(request, attempt_id))
    holds = bool(attempt.device_token) and attempt.status == AttemptStatus.IN_PROGRESS and (
        _device_token(request, attempt) == attempt.device_token)
    context = _page_context(attempt, holds=holds)
    if not holds:  # the start page and the receipt name the venue; the paper does not
        context["venue"] = attempt.candidate.venue if attempt.candidate_id else None
    if attempt.status == AttemptStatus.SUBMITTED:
        if context["is_mock"]:
            # Practice: the key, explanation and score of every question at once (essays are not marked).
            context["mock_review"] = attempt_review(attempt, show_key=True) if attempt.score is not None else []
            essay_points = sum((q["points"] for q in context["mock_review"] if q["type"] == "essay"), 0)
            context["essay_points"] = essay_points
            context["marked_points"] = attempt.paper.total_points - essay_points
        context["review"] = (sitting.candidate_paper(attempt)
                             if attempt.session_id and attempt.session.review_after_submit else None)
        return TemplateResponse(request, "exams/sitting/receipt.html", context)
    if holds:
        return _paper_page(request, attempt, context)
    return TemplateResponse(request, "exams/sitting/start.html", context)


def _page_context(attempt: Attempt, *, holds: bool) -> dict:
    now = timezone.now()
    window = sitting.window_state(attempt, now)
    return {
        "attempt": attempt, "session": attempt.session, "is_mock": attempt.kind == AttemptKind.MOCK,
        "window": window, "holds": holds,
        "needs_code": sitting.needs_access_code(attempt),
        "title": attempt.session.title if attempt.session_id else _("Mock exam: %(name)s") % {
            "name": attempt.blueprint.name},
        "duration": attempt.session.duration_minutes if attempt.session_id else attempt.blueprint.practice_minutes,
        "state": sitting.public_state(attempt, now=now),
        "starts_at_ms": int(attempt.session.starts_at.timestamp() * 1000) if attempt.session_id else None,
        "question_count": attempt.paper.question_count, "total_points": attempt.paper.total_points,
        # Past the start time but not opened by the proctor yet: the start page says what it waits for.
        "waiting_for_proctor": bool(attempt.session_id) and now >= attempt.session.starts_at and window == "before",
    }


def _paper_page(request, attempt: Attempt, context: dict, *, unanswered: bool = False) -> HttpResponse:
    context["navigator_html"], context["questions_html"], context["max_seq"] = paper_html.paper_questions(
        attempt, unanswered=unanswered)
    context["essay_max"] = sitting.essay_max_length(attempt)
    context["poll_seconds"] = getattr(settings, "EXAM_STATE_POLL_SECONDS", 20)
    # The start POST renders this page too: links back to "this page" (the language switch) name the paper.
    context["page_path"] = reverse("exams:attempt", args=[attempt.pk])
    context["urls"] = {name: reverse(f"exams:attempt_{name}", args=[attempt.pk])
                       for name in ("save", "event", "submit", "state")}
    return HttpResponse(paper_html.render_page(request, context))


@require_POST
@never_cache
@login_required
def attempt_start(request, attempt_id: int):
    """Start, resume or take over the attempt on this device (a plain form post) and answer with the paper
    itself rather than a redirect to it: at the synchronised start every candidate's request counts, and
    the page's script puts the paper's own address back in the address bar (history.replaceState), so a
    reload is a plain GET of the paper. A refusal goes back to the start page with the reason."""
    attempt = _attempt(request, attempt_id)
    try:
        attempt, token = sitting.start_attempt(attempt=attempt, device_token=_device_token(request, attempt),
                                               access_code=request.POST.get("access_code"))
    except ExamError as exc:
        messages.error(request, str(exc))
        return redirect("exams:attempt", attempt_id=attempt.pk)
    response = _paper_page(request, attempt, _page_context(attempt, holds=True), unanswered=attempt.started_now)
    response.set_cookie(DEVICE_COOKIE.format(attempt.pk), token, max_age=24 * 3600, httponly=True,
                        samesite="Lax", secure=request.is_secure(), path=reverse("exams:attempt", args=[attempt.pk]))
    return response


@require_POST
@login_required
def attempt_save(request, attempt_id: int):
    """The exam's hot path: it never loads the attempt. The service checks the account against the cached
    facts (another officer's attempt is a 404) and writes under every rule in one statement."""
    try:
        body = _json_body(request)
        position, seq = body.get("position"), body.get("seq")
        if not isinstance(position, int) or isinstance(position, bool):
            raise sitting.BadAnswer(sitting.messages()["malformed"], code="malformed")
        flagged = body.get("flagged")
        result = sitting.save_answer(attempt=attempt_id, user_id=request.user.pk,
                                     device_token=request.headers.get("X-Device-Token", ""),
                                     position=position, seq=seq, answer=body.get("answer"),
                                     flagged=flagged if isinstance(flagged, bool) else None)
    except Attempt.DoesNotExist as exc:
        raise Http404 from exc
    except ExamError as exc:
        return _error(exc)
    return JsonResponse({"ok": True, **result})


@require_POST
@login_required
def attempt_event(request, attempt_id: int):
    attempt = _attempt(request, attempt_id)
    try:
        body = _json_body(request)
        sitting.record_event(attempt=attempt, device_token=request.headers.get("X-Device-Token", ""),
                             kind=str(body.get("kind", "")), detail=str(body.get("detail", "")))
    except ExamError as exc:
        return _error(exc)
    return JsonResponse({"ok": True})


@require_POST
@login_required
def attempt_submit(request, attempt_id: int):
    attempt = sitting.lazily_submit(_attempt(request, attempt_id))
    try:
        attempt, _submitted = sitting.submit_attempt(attempt=attempt, by=SubmittedBy.CANDIDATE,
                                                     device_token=request.headers.get("X-Device-Token", ""))
    except ExamError as exc:
        return _error(exc)
    return JsonResponse({"ok": True, "status": attempt.status, "answered": attempt.answered_count,
                         "submitted_at": timezone.localtime(attempt.submitted_at).strftime("%Y-%m-%d %H:%M:%S")})


@require_GET
@never_cache
@login_required
def attempt_state(request, attempt_id: int):
    """The server's clock, the deadline (a proctor may have extended it) and the status; submits lazily."""
    attempt = sitting.lazily_submit(_attempt(request, attempt_id))
    state = sitting.public_state(attempt)
    state["holds"] = attempt.device_token == request.headers.get("X-Device-Token", "") and bool(attempt.device_token)
    return JsonResponse(state)


@require_GET
def service_worker(request):
    """The offline cache of the sitting page, served from /exams/attempt/ so that it may control that path."""
    response = FileResponse(SERVICE_WORKER.open("rb"), content_type="text/javascript")
    response["Service-Worker-Allowed"] = reverse("exams:attempt_root")
    response["Cache-Control"] = "no-cache"
    return response


@require_POST
@login_required
def mock_start(request):
    blueprint_id = request.POST.get("blueprint", "")
    blueprint = (sitting.practice_blueprints().filter(pk=int(blueprint_id)).first()
                 if blueprint_id.isascii() and blueprint_id.isdigit() and len(blueprint_id) < 10 else None)
    if blueprint is None:
        raise Http404
    try:
        attempt = sitting.start_mock_exam(user=request.user, blueprint=blueprint)
        attempt, token = sitting.start_attempt(attempt=attempt)
    except ExamError as exc:
        messages.error(request, str(exc))
        return redirect("exams:my_exams")
    response = redirect("exams:attempt", attempt_id=attempt.pk)
    response.set_cookie(DEVICE_COOKIE.format(attempt.pk), token, max_age=24 * 3600, httponly=True,
                        samesite="Lax", secure=request.is_secure(), path=reverse("exams:attempt", args=[attempt.pk]))
    return response
