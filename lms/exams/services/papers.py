"""Issuing papers before the exam opens (no spike of paper creation when everyone starts at once).

Every paper is assembled by question_bank.assembly from the session's fixed cell plan, the session's
secret paper seed and a key: the candidate's ID number (one paper per candidate), "A"/"B" (variants,
alternating by seat so neighbours differ) or "shared". The versions a paper shows are pinned and frozen.
"""

import secrets
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.core.audit import record
from lms.roster.models import Person
from question_bank.assembly import (
    AssembledItem,
    AssemblyPlan,
    BlueprintInfeasible,
    assemble_paper,
    cells_as_json,
    plan_blueprint,
    plan_from_json,
)
from question_bank.models import QuestionVersion

from ..models import (
    Attempt,
    AttemptKind,
    Candidate,
    ExamSession,
    Paper,
    PaperMode,
    PaperQuestion,
    SessionStatus,
)
from .bulk import insert_dicts
from .sessions import ExamError, queue_paper_warm_up, require_status, sitting_candidates


def paper_key(session: ExamSession, candidate: Candidate) -> str:
    if session.paper_mode == PaperMode.SHARED:
        return "shared"
    if session.paper_mode == PaperMode.AB:
        number = candidate.seat or int(candidate.ticket_number.rsplit("-", 1)[-1] or 0)
        return "A" if number % 2 else "B"
    return f"candidate:{candidate.id_number}"


def _plan(session: ExamSession) -> AssemblyPlan:
    try:
        if session.paper_plan:
            return plan_from_json(session.blueprint, session.paper_plan)
        plan = plan_blueprint(session.blueprint)
    except BlueprintInfeasible as exc:
        raise ExamError(_("The blueprint cannot be filled: %(issues)s") % {"issues": "；".join(exc.issues)}) from exc
    session.paper_plan = cells_as_json(plan.cells)
    return plan


def _existing_variant(session: ExamSession, key: str) -> list[AssembledItem] | None:
    """Shared and A/B papers already issued are copied, so a late candidate sees exactly the same paper."""
    paper = Paper.objects.filter(session=session, variant=key).first()
    if paper is None:
        return None
    return [AssembledItem(q.position, q.section, q.question_id, q.version_id, q.points, tuple(q.option_order),
                          ("", 0, 0)) for q in paper.questions.all()]


def _write_papers(session: ExamSession, candidates: list[Candidate], plan: AssemblyPlan) -> tuple[int, set[int]]:
    cache: dict[str, list[AssembledItem]] = {}
    papers, items_per_paper = [], []
    for candidate in candidates:
        key = paper_key(session, candidate)
        items = cache.get(key)
        if items is None and session.paper_mode != PaperMode.PER_CANDIDATE:
            items = _existing_variant(session, key)
        if items is None:
            items = assemble_paper(plan=plan, seed=session.paper_seed, key=key,
                                   shuffle_options=session.shuffle_options)
            if session.paper_mode != PaperMode.PER_CANDIDATE:
                cache[key] = items
        papers.append(Paper(session=session, candidate=candidate, variant=key, question_count=len(items),
                            total_points=sum((i.points for i in items), Decimal("0"))))
        items_per_paper.append(items)
    Paper.objects.bulk_create(papers, batch_size=1000)
    rows, versions = [], set()
    for paper, items in zip(papers, items_per_paper, strict=True):
        for i in items:
            rows.append({"paper_id": paper.pk, "position": i.position, "section": i.section,
                         "question_id": i.question_id, "version_id": i.version_id, "points": i.points,
                         "option_order": list(i.option_order)})
            versions.add(i.version_id)
    insert_dicts(PaperQuestion, rows)
    _create_attempts(papers)
    # A version shown in a paper never changes again: editing the question makes a new version.
    QuestionVersion.objects.filter(id__in=versions, frozen_at__isnull=True).update(frozen_at=timezone.now())
    return len(papers), versions


def _create_attempts(papers: list[Paper]) -> None:
    """One attempt per paper (not started, for the candidate's account) and one empty response per paper
    question, so that starting an exam is one update and a save one update of one row (DESIGN §5a)."""
    if not papers:
        return
    accounts = dict(Person.objects.filter(pk__in={p.candidate.person_id for p in papers})
                    .values_list("pk", "user_id"))
    insert_dicts(Attempt, [
        {"kind": AttemptKind.EXAM, "paper_id": p.pk, "session_id": p.session_id, "candidate_id": p.candidate_id,
         "user_id": accounts.get(p.candidate.person_id)}
        for p in papers
    ])
    create_responses(paper_ids=[p.pk for p in papers])


def create_responses(*, paper_ids: list[int]) -> None:
    """Empty responses (answer null, seq 0; position, version and points as on the paper) for every question
    of these papers' attempts, written by the database itself (INSERT … SELECT): no rows travel through
    Python."""
    response = connection.ops.quote_name("exams_response")
    for start in range(0, len(paper_ids), 5000):
        chunk = paper_ids[start:start + 5000]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {response} (attempt_id, paper_question_id, position, version_id, points, answer, "  # noqa: S608
                "seq, flagged) SELECT a.id, pq.id, pq.position, pq.version_id, pq.points, NULL, 0, %s "
                "FROM exams_paperquestion pq JOIN exams_attempt a ON a.paper_id = pq.paper_id "
                f"WHERE pq.paper_id IN ({', '.join(['%s'] * len(chunk))}) "
                "AND NOT EXISTS (SELECT 1 FROM exams_response r WHERE r.paper_question_id = pq.id)",
                [False, *chunk],
            )


@transaction.atomic
def issue_papers(*, session: ExamSession, actor=None) -> int:
    """Assemble a paper for every candidate who has none; returns how many were issued."""
    session = ExamSession.objects.select_for_update().get(pk=session.pk)
    require_status(session, SessionStatus.CANDIDATES_DRAWN, SessionStatus.PAPERS_ISSUED)
    if not session.paper_seed:
        session.paper_seed = secrets.token_hex(16)
    plan = _plan(session)
    candidates = list(sitting_candidates(session).filter(paper__isnull=True).order_by("ticket_number"))
    count, versions = _write_papers(session, candidates, plan)
    session.status = SessionStatus.PAPERS_ISSUED
    session.save(update_fields=["status", "paper_seed", "paper_plan", "updated_at"])
    record(actor=actor, action="exams.issue_papers", obj=session, summary=f"{session.code}: {count} papers issued",
           papers=count, versions=len(versions), mode=session.paper_mode)
    queue_paper_warm_up(session)
    return count



def issue_paper_for(*, candidate: Candidate, actor=None) -> Paper:
    """A paper for a candidate who joined after the others were issued (replacement or addition)."""
    session = candidate.session
    plan = _plan(session)
    _write_papers(session, [candidate], plan)
    record(actor=actor, action="exams.issue_papers", obj=session,
           summary=f"{session.code}: paper issued to {candidate.name}", papers=1, candidate_id=candidate.pk)
    return candidate.paper
