"""Key corrections and extra accepted spellings, each regraded with a preview of whose result changes.

A wrong key is corrected on the question version the papers point at (the exam keeps pointing at it); the
old key stays in a KeyCorrection row. Regrading recomputes every objective answer's engine score from
scratch and adds a `regrade` mark where it differs: old marks stay, and the change is audited.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from lms.core.audit import record
from question_bank.grading import ESSAY, FILL_BLANK, normalise_response, parse_letters
from question_bank.models import Question, QuestionVersion

from ..models import (
    AcceptedSpelling,
    Attempt,
    AttemptStatus,
    ExamSession,
    KeyCorrection,
    Mark,
    MarkSource,
    Response,
    SessionStatus,
)
from .grading import engine_score, extra_spellings, update_attempt_score
from .sessions import ExamError, require_status

REGRADE_STATUSES = (SessionStatus.OPEN, SessionStatus.CLOSED, SessionStatus.GRADED, SessionStatus.RELEASED)


@dataclass
class CandidateChange:
    attempt_id: int
    ticket_number: str
    name: str
    old_total: Decimal | None
    new_total: Decimal | None
    old_passed: bool | None
    new_passed: bool | None
    responses: list[tuple[int, Decimal | None, Decimal]] = field(default_factory=list)  # (response, old, new)

    @property
    def pass_changed(self) -> bool:
        return self.old_passed != self.new_passed


@dataclass
class RegradePreview:
    changes: list[CandidateChange] = field(default_factory=list)
    responses_checked: int = 0

    @property
    def pass_changes(self) -> list[CandidateChange]:
        return [c for c in self.changes if c.pass_changed]


def _responses(session: ExamSession, version_ids=None):
    qs = (Response.objects.filter(attempt__session=session, attempt__status=AttemptStatus.SUBMITTED)
          .exclude(paper_question__question__type=ESSAY)
          .select_related("paper_question__version__question", "attempt__candidate"))
    if version_ids is not None:
        qs = qs.filter(paper_question__version_id__in=version_ids)
    return qs


def preview_regrade(*, session: ExamSession, version_ids=None, overrides: dict[int, QuestionVersion] | None = None,
                    extras: dict[int, list[list[str]]] | None = None) -> RegradePreview:
    """Whose scores and pass/fail would change if every objective answer were marked again from scratch
    (with `overrides`: corrected versions; with `extras`: accepted spellings). Writes nothing."""
    overrides = overrides or {}
    extras = extra_spellings(session) if extras is None else extras
    rule = session.multi_select_rule
    preview = RegradePreview()
    per_attempt: dict[int, CandidateChange] = {}
    for response in _responses(session, version_ids):
        preview.responses_checked += 1
        pq = response.paper_question
        new = engine_score(paper_question=pq, answer=response.answer, rule=rule, extras=extras,
                           version=overrides.get(pq.version_id))
        if new == response.score:
            continue
        attempt = response.attempt
        change = per_attempt.get(attempt.pk)
        if change is None:
            change = per_attempt[attempt.pk] = CandidateChange(
                attempt_id=attempt.pk, ticket_number=attempt.candidate.ticket_number if attempt.candidate else "",
                name=attempt.candidate.name if attempt.candidate else "", old_total=attempt.score,
                new_total=attempt.score, old_passed=attempt.passed, new_passed=attempt.passed)
        change.responses.append((response.pk, response.score, new))
        change.new_total = (change.new_total or Decimal("0")) - (response.score or Decimal("0")) + new
    graded = set(Attempt.objects.filter(pk__in=per_attempt, graded_at__isnull=False).values_list("pk", flat=True))
    for change in per_attempt.values():
        # pass/fail exists only for a fully marked attempt (an essay may still be waiting)
        if change.new_total is not None and change.attempt_id in graded:
            change.new_passed = change.new_total >= session.pass_mark
    preview.changes = sorted(per_attempt.values(), key=lambda c: c.ticket_number)
    return preview


def _apply(session: ExamSession, preview: RegradePreview, reason: str, actor) -> int:
    marks = []
    for change in preview.changes:
        for response_id, _old, new in change.responses:
            marks.append(Mark(response_id=response_id, score=new, source=MarkSource.REGRADE, reason=reason[:300]))
            Response.objects.filter(pk=response_id).update(score=new)
    Mark.objects.bulk_create(marks)
    for attempt in Attempt.objects.filter(pk__in=[c.attempt_id for c in preview.changes]).select_related("session"):
        update_attempt_score(attempt=attempt)
    return len(marks)


@transaction.atomic
def regrade_session(*, session: ExamSession, reason: str, actor=None, version_ids=None) -> RegradePreview:
    """Mark every objective answer again with the current keys and spellings; add marks where they differ."""
    require_status(session, *REGRADE_STATUSES)
    preview = preview_regrade(session=session, version_ids=version_ids)
    count = _apply(session, preview, reason, actor)
    record(actor=actor, action="exams.regrade", obj=session, summary=f"{session.code}: {count} answers regraded",
           reason=reason, marks=count, candidates=len(preview.changes),
           pass_changes=[c.ticket_number for c in preview.pass_changes])
    return preview


def _corrected(version: QuestionVersion, raw_answer) -> tuple[QuestionVersion, list]:
    qtype = version.question.type
    if qtype == ESSAY:
        raise ExamError(_("An essay has no key to correct; mark it by hand."))
    if qtype == FILL_BLANK:
        answer = [[part.strip() for part in str(blank).split("|") if part.strip()] for blank in raw_answer]
        if not answer or any(not blank for blank in answer):
            raise ExamError(_("Give at least one accepted answer for every blank."))
    else:
        answer = normalise_response(qtype, raw_answer)
        if qtype == "single" and len({x for x in parse_letters(raw_answer) if x.strip()}) != 1:
            raise ExamError(_("A single-choice question has exactly one right option."))
        count = len(version.options or [])
        if not answer or (qtype != "true_false" and any(a not in "ABCDEFGH"[:count] for a in answer)):
            raise ExamError(_("The key must be among the question's options."))
    corrected = copy.copy(version)
    corrected.answer = answer
    return corrected, answer


def preview_key_correction(*, session: ExamSession, version: QuestionVersion, new_answer) -> RegradePreview:
    corrected, _answer = _corrected(version, new_answer)
    return preview_regrade(session=session, version_ids=[version.pk], overrides={version.pk: corrected})


@transaction.atomic
def correct_key(*, session: ExamSession, version: QuestionVersion, new_answer, reason: str,
                actor=None) -> RegradePreview:
    """Correct a version's key (kept in history) and regrade the session's answers to it."""
    require_status(session, *REGRADE_STATUSES)
    if not reason.strip():
        raise ExamError(_("Say why the key is corrected."))
    version = QuestionVersion.objects.select_for_update(of=("self",)).select_related("question").get(pk=version.pk)
    _corrected_version, answer = _corrected(version, new_answer)
    if answer == version.answer:
        raise ExamError(_("The new key is the same as the old one."))
    KeyCorrection.objects.create(version=version, session=session, old_answer=version.answer, new_answer=answer,
                                 reason=reason.strip()[:300],
                                 corrected_by=actor if getattr(actor, "is_authenticated", False) else None)
    old = version.answer
    QuestionVersion.objects.filter(pk=version.pk).update(answer=answer)
    # The bank's current content follows when this version is still the question's current one.
    Question.objects.filter(pk=version.question_id, current_version_id=version.pk).update(answer=answer)
    preview = preview_regrade(session=session, version_ids=[version.pk])
    count = _apply(session, preview, reason, actor)
    record(actor=actor, action="exams.key_correction", obj=session,
           summary=f"{session.code}: key of {version} corrected; {count} answers regraded",
           version=version.pk, old=old, new=answer, reason=reason, marks=count,
           pass_changes=[c.ticket_number for c in preview.pass_changes])
    return preview


def _spelling_extras(session, version, blank, text):
    if version.question.type != FILL_BLANK:
        raise ExamError(_("Extra spellings are for fill-in questions only."))
    if not (0 <= blank < len(version.answer or [])):
        raise ExamError(_("This question has %(n)d blanks.") % {"n": len(version.answer or [])})
    text = (text or "").strip()
    if not text:
        raise ExamError(_("Type the spelling to accept."))
    extras = copy.deepcopy(extra_spellings(session))
    blanks = extras.setdefault(version.pk, [])
    while len(blanks) <= blank:
        blanks.append([])
    blanks[blank].append(text)
    return extras, text


def preview_accepted_spelling(*, session: ExamSession, version: QuestionVersion, blank: int,
                              text: str) -> RegradePreview:
    extras, _text = _spelling_extras(session, version, blank, text)
    return preview_regrade(session=session, version_ids=[version.pk], extras=extras)


@transaction.atomic
def accept_spelling(*, session: ExamSession, version: QuestionVersion, blank: int, text: str, reason: str = "",
                    actor=None) -> RegradePreview:
    """Accept one more spelling of one blank for this session and regrade the answers to that question."""
    require_status(session, *REGRADE_STATUSES)
    _extras, text = _spelling_extras(session, version, blank, text)
    AcceptedSpelling.objects.get_or_create(
        session=session, version=version, blank=blank, text=text,
        defaults={"reason": reason[:300], "added_by": actor if getattr(actor, "is_authenticated", False) else None})
    preview = preview_regrade(session=session, version_ids=[version.pk])
    why = reason or _("accepted spelling “%(text)s”") % {"text": text}
    count = _apply(session, preview, why, actor)
    record(actor=actor, action="exams.accept_spelling", obj=session,
           summary=f"{session.code}: “{text}” accepted for {version} blank {blank + 1}; {count} answers regraded",
           version=version.pk, blank=blank, text=text, marks=count,
           pass_changes=[c.ticket_number for c in preview.pass_changes])
    return preview
