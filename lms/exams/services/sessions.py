"""The exam-session lifecycle as explicit transitions (DESIGN §4).

draft → candidates drawn → papers issued → open → closed → graded → released. Each service that moves a
session checks where it stands first, so no screen or command can skip a step.
"""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from lms.core.audit import record

from ..models import Candidate, ExamSession, SessionStatus

TRANSITIONS = {
    SessionStatus.DRAFT: {SessionStatus.CANDIDATES_DRAWN},
    SessionStatus.CANDIDATES_DRAWN: {SessionStatus.PAPERS_ISSUED},
    SessionStatus.PAPERS_ISSUED: {SessionStatus.OPEN},
    SessionStatus.OPEN: {SessionStatus.CLOSED},
    SessionStatus.CLOSED: {SessionStatus.GRADED},
    SessionStatus.GRADED: {SessionStatus.RELEASED},
    SessionStatus.RELEASED: set(),
}


class ExamError(Exception):
    """A rule of the exam process refused the action; the message is for the user."""


def require_status(session: ExamSession, *allowed: str, message: str | None = None) -> None:
    if session.status not in allowed:
        raise ExamError(
            message
            or _("The session is “%(status)s”; this needs: %(allowed)s.")
            % {
                "status": session.get_status_display(),
                "allowed": "、".join(str(SessionStatus(a).label) for a in allowed),
            }
        )


@transaction.atomic
def move_session(*, session: ExamSession, to: str, actor=None) -> ExamSession:
    """The one place that changes a session's status outside the draw and issue services."""
    session = ExamSession.objects.select_for_update().get(pk=session.pk)
    if to not in TRANSITIONS[SessionStatus(session.status)]:
        raise ExamError(
            _("A session cannot go from “%(from)s” to “%(to)s”.")
            % {"from": session.get_status_display(), "to": SessionStatus(to).label}
        )
    previous = session.status
    session.status = to
    session.save(update_fields=["status", "updated_at"])
    record(actor=actor, action="exams.status", obj=session, summary=f"{session.code}: {previous} → {to}",
           previous=previous, status=to)
    if to == SessionStatus.GRADED:
        from .item_analysis import request_statistics  # the statistics task, queued once this commits

        request_statistics(session=session)
    return session


def open_session(*, session: ExamSession, actor=None) -> ExamSession:
    session = move_session(session=session, to=SessionStatus.OPEN, actor=actor)
    queue_paper_warm_up(session)  # papers rendered at issue may have been evicted since; kept ones are skipped
    return session


def queue_paper_warm_up(session: ExamSession) -> None:
    """Render the session's paper pages in the background once this transaction commits
    (services.paper_html). Only with a real worker: run eagerly (the embedded default without a broker) it
    would render every paper inside the trainer's request, so there pages render on first open instead."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return
    from ..tasks import warm_paper_pages_task  # tasks import the services

    warm_paper_pages_task.delay_on_commit(session.pk)


def close_session(*, session: ExamSession, actor=None) -> ExamSession:
    return move_session(session=session, to=SessionStatus.CLOSED, actor=actor)


def active_candidates(session: ExamSession):
    """Candidates of the session's current draw (a superseded draw's people are history only)."""
    return Candidate.objects.filter(session=session, draw__superseded_at__isnull=True)


def sitting_candidates(session: ExamSession):
    return active_candidates(session).exclude(attendance="excused")


def get_session(code_or_pk: str) -> ExamSession:
    """For the command line: a session by its code, or by its number."""
    session = ExamSession.objects.filter(code=code_or_pk).first()
    if session is None and str(code_or_pk).isdigit():
        session = ExamSession.objects.filter(pk=int(code_or_pk)).first()
    if session is None:
        raise ExamError(_("No exam session “%(code)s”.") % {"code": code_or_pk})
    return session
