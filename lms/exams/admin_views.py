"""Exam screens in the Wagtail admin: blueprint check and preview, the session dashboard and its actions.

Trainers (exams.change_examsession) act; assessors (exams.view_examsession) only look. Every action
calls a service; the views only translate forms and errors.
"""

import io
import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.jobs.models import Job
from lms.jobs.services import job_url, start_job
from lms.roster.models import Person
from question_bank.assembly import assemble_paper, check_blueprint, plan_blueprint, practice_exposure
from question_bank.grading import candidate_view
from question_bank.models import Blueprint, QuestionVersion

from . import selectors
from .forms import AddCandidateForm, DrawForm, ExcuseForm
from .models import ExamSession, SessionStatus
from .services.draw import add_candidate, draw_candidates, excuse_candidate, verify_draw
from .services.exports import write_candidates
from .services.papers import issue_papers
from .services.printables import write_answer_key
from .services.sessions import ExamError, active_candidates
from .tasks import PRINTABLES_KIND, session_printables_job


def _require(request, perm):
    if not request.user.has_perm(perm):
        raise PermissionDenied


def blueprint_check(request, pk):
    _require(request, "question_bank.view_blueprint")
    blueprint = get_object_or_404(Blueprint, pk=pk)
    check = check_blueprint(blueprint)
    sample = []
    if check.ok:
        plan = plan_blueprint(blueprint)
        items = assemble_paper(plan=plan, seed=secrets.token_hex(8), key="preview")
        versions = QuestionVersion.objects.in_bulk([i.version_id for i in items])
        for item in items:
            # Exactly what a candidate would see: no answer, explanation or legal basis.
            view = candidate_view(versions[item.version_id], option_order=list(item.option_order) or None)
            sample.append({"number": item.position, "points": item.points, "stem": view["stem"],
                           "options": [f"{o['label']}. {o['text']}" for o in view["options"]]})
    return TemplateResponse(request, "exams/admin/blueprint_check.html", {
        "page_title": _("Check and preview: %(name)s") % {"name": blueprint.name}, "header_icon": "list-ul",
        "blueprint": blueprint, "check": check, "sample": sample, "difficulties": [1, 2, 3, 4, 5],
        **dict(zip(("practice_drawable", "practice_open"), practice_exposure(blueprint), strict=True)),
    })


def session_dashboard(request, pk):
    _require(request, "exams.view_examsession")
    session = get_object_or_404(ExamSession, pk=pk)
    can_manage = request.user.has_perm("exams.change_examsession")
    data = selectors.dashboard(session)
    return TemplateResponse(request, "exams/admin/dashboard.html", {
        "page_title": session.title, "page_subtitle": session.code, "header_icon": "clipboard-list",
        "session": session, "can_manage": can_manage, **data,
        "candidates": selectors.candidates_for_dashboard(session),
        "draw_form": DrawForm(), "add_form": AddCandidateForm(),
        "can_draw": session.status in (SessionStatus.DRAFT, SessionStatus.CANDIDATES_DRAWN),
        "can_change_candidates": session.status in (SessionStatus.CANDIDATES_DRAWN, SessionStatus.PAPERS_ISSUED),
        "verification": verify_draw(draw=data["draw"]) if data["draw"] else None,
    })


def _act(request, session, action):
    _require(request, "exams.change_examsession")
    try:
        message = action()
    except ExamError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, message)
    return redirect("exams_admin:dashboard", pk=session.pk)


@require_POST
def session_draw(request, pk):
    session = get_object_or_404(ExamSession, pk=pk)
    form = DrawForm(request.POST)

    def action():
        if not form.is_valid():
            raise ExamError(_("Check the draw form."))
        draw = draw_candidates(session=session, actor=request.user, seed=form.cleaned_data["seed"] or None,
                               witness=form.cleaned_data["witness"], reason=form.cleaned_data["reason"])
        return _("Candidates drawn with seed %(seed)s: %(count)d candidates.") % {
            "seed": draw.seed, "count": draw.candidates.count()}

    return _act(request, session, action)


@require_POST
def session_excuse(request, pk):
    session = get_object_or_404(ExamSession, pk=pk)
    form = ExcuseForm(request.POST)

    def action():
        if not form.is_valid():
            raise ExamError(_("An excusal needs a reason and the name of whoever approved it."))
        candidate = get_object_or_404(active_candidates(session), pk=form.cleaned_data["candidate"])
        replacement = excuse_candidate(candidate=candidate, reason=form.cleaned_data["reason"],
                                       approved_by=form.cleaned_data["approved_by"], actor=request.user)
        if replacement:
            return _("%(name)s excused; replaced by %(replacement)s (rank %(rank)d).") % {
                "name": candidate.name, "replacement": replacement.name, "rank": replacement.rank}
        return _("%(name)s excused; no replacement.") % {"name": candidate.name}

    return _act(request, session, action)


@require_POST
def session_add(request, pk):
    session = get_object_or_404(ExamSession, pk=pk)
    form = AddCandidateForm(request.POST)

    def action():
        if not form.is_valid():
            raise ExamError(_("Adding a candidate by hand needs a reason."))
        person = Person.objects.filter(id_number=form.cleaned_data["id_number"].strip().upper()).first()
        if person is None:
            raise ExamError(_("Nobody on the roster has that ID-card number."))
        candidate = add_candidate(session=session, person=person, reason=form.cleaned_data["reason"],
                                  actor=request.user)
        return _("%(name)s added.") % {"name": candidate.name}

    return _act(request, session, action)


@require_POST
def session_issue(request, pk):
    session = get_object_or_404(ExamSession, pk=pk)

    def action():
        count = issue_papers(session=session, actor=request.user)
        return _("%(count)d papers issued.") % {"count": count}

    return _act(request, session, action)


def _pdf(filename, writer, session):
    buffer = io.BytesIO()
    writer(session=session, out=buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=filename, content_type="application/pdf")


def session_printables(request, pk):
    """GET: what the PDF holds and the user's earlier ones; POST: draw it as a job (a progress screen,
    then the download), so a 3,000-page PDF never holds a web request."""
    _require(request, "exams.change_examsession")
    session = get_object_or_404(ExamSession, pk=pk)
    if request.method == "POST":
        job = start_job(kind=PRINTABLES_KIND, owner=request.user, task=session_printables_job,
                        params={"session_id": session.pk},
                        title=_("Printables: %(session)s") % {"session": session.title})
        return redirect(job_url(job))
    earlier = Job.objects.filter(kind=PRINTABLES_KIND, owner=request.user, params__session_id=session.pk)[:10]
    return TemplateResponse(request, "exams/admin/printables.html", {
        "page_title": _("Printables"), "page_subtitle": session.title, "header_icon": "doc-full",
        "session": session, "earlier": earlier,
    })


def session_answer_key(request, pk):
    # Only trainers: the key never reaches officers or read-only staff.
    _require(request, "exams.change_examsession")
    session = get_object_or_404(ExamSession, pk=pk)
    return _pdf(f"{session.code}-answer-key.pdf", write_answer_key, session)


def session_export(request, pk):
    _require(request, "exams.view_examsession")
    session = get_object_or_404(ExamSession, pk=pk)
    buffer = io.BytesIO()
    write_candidates(session=session, out=buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=f"{session.code}-candidates.xlsx",
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
