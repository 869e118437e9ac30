"""Grading and results screens in the Wagtail admin: results and release, the marking queue (阅卷), score
entry for paper exams (upload → preview → confirm), key corrections and accepted spellings, make-up exams.

Trainers (exams.change_examsession) act and mark; assessors (exams.view_examsession) see the results. Every
action calls a service; these views only translate forms and errors. Marking screens never show a name.
"""

from __future__ import annotations

import io
import secrets
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lms.core.secret_compare import same_secret
from lms.jobs.uploads import discard_upload, get_upload, read_upload, save_upload
from question_bank.grading import ESSAY, FILL_BLANK, plain_text
from question_bank.models import QuestionVersion

from .models import AcceptedSpelling, ExamSession, KeyCorrection, PaperQuestion, SessionStatus
from .services import grading, marking, regrading, results, score_entry
from .services.sessions import ExamError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PENDING_KEY = "exams_score_import_pending"


def _require(request, perm):
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _session(request, pk, perm="exams.change_examsession") -> ExamSession:
    _require(request, perm)
    return get_object_or_404(ExamSession, pk=pk)


def _back(session):
    return redirect("exams_admin:results", pk=session.pk)


# --- Results -------------------------------------------------------------------------------------------------


class MakeupForm(forms.Form):
    code = forms.RegexField(label=gettext_lazy("Session code"), regex=r"^[A-Za-z0-9][A-Za-z0-9_-]*$", max_length=40)
    starts_at = forms.DateTimeField(label=gettext_lazy("Window opens"),
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=gettext_lazy("Window closes"),
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))


def session_results(request, pk):
    session = _session(request, pk, "exams.view_examsession")
    rows = results.session_results(session)
    page = Paginator(rows, 100).get_page(request.GET.get("p"))
    can_manage = request.user.has_perm("exams.change_examsession")
    missing = results.missing_scores(session) if session.status == SessionStatus.CLOSED else None
    totals = {"candidates": len(rows), "absent": sum(r["absent"] for r in rows),
              "excused": sum(r["excused"] for r in rows),
              "scored": sum(1 for r in rows if r["score"] is not None),
              "passed": sum(1 for r in rows if r["passed"] and not r["absent"])}
    return TemplateResponse(request, "exams/admin/results.html", {
        "page_title": _("Results: %(title)s") % {"title": session.title}, "page_subtitle": session.code,
        "header_icon": "tasks", "session": session, "page": page, "totals": totals,
        "squads": results.squad_summary(rows), "can_manage": can_manage, "missing": missing,
        "essays_unmarked": grading.unmarked_essays(session).count(),
        "makeup_form": MakeupForm(initial={"code": f"{session.code}-BK"}),
        "makeups": session.makeups.all(), "has_makeups": session.makeups.exists(),
        "Status": SessionStatus,
    })


def _act(request, session, action):
    try:
        message = action()
    except ExamError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, message)
    return _back(session)


@require_POST
def results_grade(request, pk):
    session = _session(request, pk)

    def action():
        s = grading.grade_session(session=session)
        return _("%(attempts)d attempts checked, %(marks)d answers marked automatically; %(essays)d essay answers "
                 "await a marker.") % {"attempts": s.attempts, "marks": s.marks_added, "essays": s.essays_unmarked}

    return _act(request, session, action)


@require_POST
def results_close(request, pk):
    session = _session(request, pk)
    return _act(request, session, lambda: (results.close_for_grading(session=session, actor=request.user),
                                           _("The session is closed."))[1])


@require_POST
def results_graded(request, pk):
    session = _session(request, pk)
    return _act(request, session, lambda: (results.mark_graded(session=session, actor=request.user),
                                           _("The session is graded."))[1])


@require_POST
def results_release(request, pk):
    session = _session(request, pk)
    return _act(request, session, lambda: (results.release_results(session=session, actor=request.user),
                                           _("The results are released to the candidates."))[1])


@require_POST
def results_makeup(request, pk):
    session = _session(request, pk)
    form = MakeupForm(request.POST)

    def action():
        if not form.is_valid():
            raise ExamError(_("Check the make-up form: %(errors)s") % {
                "errors": "；".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items())})
        if form.cleaned_data["ends_at"] <= form.cleaned_data["starts_at"]:
            raise ExamError(_("The window must close after it opens."))
        makeup = results.create_makeup_session(session=session, code=form.cleaned_data["code"],
                                               starts_at=form.cleaned_data["starts_at"],
                                               ends_at=form.cleaned_data["ends_at"], actor=request.user)
        return _("Make-up session %(code)s created with %(n)d candidates; issue its papers from its dashboard.") % {
            "code": makeup.code, "n": makeup.candidates.count()}

    return _act(request, session, action)


def results_export(request, pk):
    session = _session(request, pk, "exams.view_examsession")
    buffer = io.BytesIO()
    results.write_results(session=session, out=buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=f"{session.code}-results.xlsx", content_type=XLSX)


# --- Manual marking (阅卷) ------------------------------------------------------------------------------------


def marking_overview(request, pk):
    session = _session(request, pk)
    return TemplateResponse(request, "exams/admin/marking_overview.html", {
        "page_title": _("Marking: %(title)s") % {"title": session.title}, "page_subtitle": session.code,
        "header_icon": "edit", "session": session, "questions": marking.question_progress(session),
        "markers": marking.marker_progress(session),
    })


def marking_answer(request, pk, question_id):
    """One answer at a time: the reference answer and marking points beside it, the score typed and Enter."""
    session = _session(request, pk)
    queue = marking.queue_for(session, question_id, request.user)
    if not queue:
        messages.info(request, _("Nothing left for you to mark on this question."))
        return redirect("exams_admin:marking", pk=session.pk)
    index = 0
    if request.GET.get("r"):
        ids = [r.pk for r in queue]
        index = ids.index(int(request.GET["r"])) if request.GET["r"].isdigit() and int(request.GET["r"]) in ids else 0
    else:  # start at the first answer this marker has not yet marked
        mine = {r.pk for r in queue if any(m.marker_id == request.user.pk for m in r.marks.all())}
        index = next((i for i, r in enumerate(queue) if r.pk not in mine), 0)
    response = queue[index]
    error = None
    if request.method == "POST":
        try:
            marking.submit_mark(response=response, marker=request.user, score=request.POST.get("score"),
                                comment=request.POST.get("comment", ""))
        except ExamError as exc:
            error = str(exc)
        else:
            queue = marking.queue_for(session, question_id, request.user)
            ids = [r.pk for r in queue]
            after = [r for r in queue[index + 1:] if not any(m.marker_id == request.user.pk for m in r.marks.all())]
            following = after[0] if after else (queue[index + 1] if index + 1 < len(queue) else None)
            url = reverse("exams_admin:mark_answer", args=[session.pk, question_id])
            if following is None or following.pk not in ids:
                messages.success(request, _("Score saved. You have reached the last answer to this question."))
                return redirect("exams_admin:marking", pk=session.pk)
            return redirect(f"{url}?r={following.pk}")
    state = marking.marking_state(session, response, list(response.marks.all()))
    own = [m for m in state.marks if m.marker_id == request.user.pk]
    version = response.paper_question.version
    answer_text = "\n".join(response.answer or []) if response.answer else ""
    done = sum(1 for r in queue if any(m.marker_id == request.user.pk for m in r.marks.all()))
    return TemplateResponse(request, "exams/admin/marking_answer.html", {
        "page_title": _("Marking"), "page_subtitle": session.code, "header_icon": "edit", "session": session,
        "response": response, "version": version, "points": response.paper_question.points,
        "stem": plain_text(version.stem), "reference": plain_text(version.reference_answer),
        "marking_points": version.marking_points or [], "answer_text": answer_text,
        "ticket": response.attempt.candidate.ticket_number if response.attempt.candidate else response.attempt_id,
        "index": index + 1, "count": len(queue), "done": done, "error": error,
        "previous": queue[index - 1] if index > 0 else None,
        "next": queue[index + 1] if index + 1 < len(queue) else None,
        "own_mark": own[-1] if own else None, "needs": state.needs,
        "double": session.double_marking,
        "other_marks": [m for m in state.marks if m.marker_id != request.user.pk] if state.needs == "arbiter" else [],
        "question_id": question_id,
        "typed": request.POST.get("score", "") if error else "",
    }, status=400 if error else 200)


# --- Score entry for paper exams -----------------------------------------------------------------------------


UPLOAD_KIND = "scores"


def _discard(request):
    pending = request.session.pop(PENDING_KEY, None)
    if pending:
        discard_upload(get_upload(request=request, kind=UPLOAD_KIND, upload_id=pending.get("upload")))


class ScoreUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Filled score-entry workbook (.xlsx)"))


def score_template(request, pk):
    session = _session(request, pk)
    buffer = io.BytesIO()
    score_entry.write_score_sheet(session=session, out=buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=f"{session.code}-score-entry.xlsx", content_type=XLSX)


def score_upload(request, pk):
    session = _session(request, pk)
    form = ScoreUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        _discard(request)
        # Kept on the private storage, bound to this user's sign-in session: the confirm may reach another
        # web node than the upload did (lms.jobs.uploads).
        uploaded = form.cleaned_data["file"]
        filename = Path(uploaded.name).name[:200]
        upload = save_upload(request=request, kind=UPLOAD_KIND, filename=filename, content=uploaded.read())
        request.session[PENDING_KEY] = {"upload": str(upload.pk), "token": secrets.token_hex(16),
                                        "session": session.pk, "filename": filename}
        return redirect("exams_admin:score_preview", pk=session.pk)
    return TemplateResponse(request, "exams/admin/score_upload.html", {
        "page_title": _("Score entry: %(title)s") % {"title": session.title}, "page_subtitle": session.code,
        "header_icon": "upload", "session": session, "form": form,
        "can_import": session.status in score_entry.IMPORT_STATUSES,
    })


def _pending(request, session):
    pending = request.session.get(PENDING_KEY)
    upload = (get_upload(request=request, kind=UPLOAD_KIND, upload_id=pending.get("upload"))
              if pending and pending.get("session") == session.pk else None)
    if upload is None:
        messages.error(request, _("No uploaded workbook is waiting; upload it again."))
        return None, None
    return pending, upload


def _score_report(request, session, pending, upload, *, dry_run):
    try:
        return score_entry.import_scores(session=session, file=io.BytesIO(read_upload(upload)),
                                         filename=pending["filename"], dry_run=dry_run, actor=request.user)
    except ExamError as exc:
        report = score_entry.ScoreImportReport()
        report.error(str(exc))
        return report


def score_preview(request, pk):
    session = _session(request, pk)
    pending, upload = _pending(request, session)
    if pending is None:
        return redirect("exams_admin:score_upload", pk=session.pk)
    report = _score_report(request, session, pending, upload, dry_run=True)
    if not report.ok:
        _discard(request)
    return TemplateResponse(request, "exams/admin/score_preview.html", {
        "page_title": _("Score entry preview"), "page_subtitle": pending["filename"], "header_icon": "upload",
        "session": session, "report": report, "token": pending["token"],
    })


@require_POST
def score_confirm(request, pk):
    session = _session(request, pk)
    pending, upload = _pending(request, session)
    if pending is None:
        return redirect("exams_admin:score_upload", pk=session.pk)
    if not same_secret(request.POST.get("token", ""), pending["token"]):
        messages.error(request, _("This preview is out of date; check the latest preview and confirm again."))
        return redirect("exams_admin:score_preview", pk=session.pk)
    report = _score_report(request, session, pending, upload, dry_run=False)
    _discard(request)
    if not report.ok:
        return TemplateResponse(request, "exams/admin/score_preview.html", {
            "page_title": _("Score entry preview"), "page_subtitle": pending["filename"], "header_icon": "upload",
            "session": session, "report": report})
    messages.success(request, _("Scores of %(n)d candidates entered (%(absent)d absent).") % {
        "n": report.counts["rows"], "absent": report.counts["absent"]})
    return _back(session)


# --- Key corrections and accepted spellings ------------------------------------------------------------------


def _objective_versions(session):
    ids = (PaperQuestion.objects.filter(paper__session=session).exclude(question__type=ESSAY)
           .values_list("version_id", flat=True).distinct())
    return list(QuestionVersion.objects.filter(pk__in=list(ids)).select_related("question")
                .order_by("question__code"))


def regrade(request, pk):
    """GET: the session's objective questions and their keys. POST preview: whose results would change.
    POST confirm: store the correction (or spelling) and the new marks."""
    session = _session(request, pk)
    versions = _objective_versions(session)
    context = {"page_title": _("Key corrections and regrading"), "page_subtitle": session.code,
               "header_icon": "redirect", "session": session, "versions": versions,
               "spellings": AcceptedSpelling.objects.filter(session=session).select_related("version__question"),
               "corrections": KeyCorrection.objects.filter(session=session).select_related("version__question",
                                                                                         "corrected_by")}
    if request.method == "POST" and request.POST.get("kind") == "all":
        # Every objective answer marked again with the current keys (e.g. after a key corrected elsewhere).
        reason = request.POST.get("reason", "").strip() or _("regraded with the current keys")
        try:
            if request.POST.get("confirm"):
                preview = regrading.regrade_session(session=session, reason=reason, actor=request.user)
                messages.success(request, _("Regraded: %(n)d candidates' scores changed, %(p)d pass/fail results "
                                            "changed.") % {"n": len(preview.changes), "p": len(preview.pass_changes)})
                return redirect("exams_admin:regrade", pk=session.pk)
            preview = regrading.preview_regrade(session=session)
        except ExamError as exc:
            messages.error(request, str(exc))
            return TemplateResponse(request, "exams/admin/regrade.html", context, status=400)
        context.update({"preview": preview, "chosen": None, "kind": "all", "posted": request.POST})
        return TemplateResponse(request, "exams/admin/regrade.html", context)
    if request.method == "POST":
        version = next((v for v in versions if str(v.pk) == request.POST.get("version")), None)
        if version is None:
            raise Http404
        kind = request.POST.get("kind")
        reason = request.POST.get("reason", "").strip()
        try:
            if kind == "key":
                raw = request.POST.getlist("answer") if version.question.type == FILL_BLANK else request.POST.get(
                    "answer", "")
                if request.POST.get("confirm"):
                    preview = regrading.correct_key(session=session, version=version, new_answer=raw, reason=reason,
                                                    actor=request.user)
                else:
                    preview = regrading.preview_key_correction(session=session, version=version, new_answer=raw)
            elif kind == "spelling":
                blank = int(request.POST.get("blank") or 1) - 1
                text = request.POST.get("text", "")
                if request.POST.get("confirm"):
                    preview = regrading.accept_spelling(session=session, version=version, blank=blank, text=text,
                                                        reason=reason, actor=request.user)
                else:
                    preview = regrading.preview_accepted_spelling(session=session, version=version, blank=blank,
                                                                  text=text)
            else:
                raise Http404
        except (ExamError, ValueError) as exc:
            messages.error(request, str(exc))
            return TemplateResponse(request, "exams/admin/regrade.html", context, status=400)
        if request.POST.get("confirm"):
            messages.success(request, _("Regraded: %(n)d candidates' scores changed, %(p)d pass/fail results changed.")
                             % {"n": len(preview.changes), "p": len(preview.pass_changes)})
            return redirect("exams_admin:regrade", pk=session.pk)
        others = (ExamSession.objects.filter(papers__questions__version=version).exclude(pk=session.pk)
                  .distinct().values_list("code", flat=True)) if kind == "key" else []
        context.update({"preview": preview, "chosen": version, "kind": kind, "posted": request.POST,
                        "other_sessions": list(others)})
    return TemplateResponse(request, "exams/admin/regrade.html", context)


def grading_link(session) -> str:
    return reverse("exams_admin:results", args=[session.pk])



