"""Read-side queries for the exam screens (dashboard, officer's own exams)."""

from collections import defaultdict

from django.db.models import Count, Q

from lms.roster.models import OrgUnit, Position

from .models import Attempt, AttemptKind, Candidate, ExamSession, Paper
from .services.sessions import active_candidates


def dashboard(session: ExamSession) -> dict:
    """Candidates by squad (mandatory / sampled / excused / added), squads without a legal officer, papers."""
    rows = defaultdict(lambda: defaultdict(int))
    legal_officer = set()
    for squad_code, reason, attendance, position, count in (
        active_candidates(session).values_list("squad_code", "reason", "attendance", "position")
        .annotate(n=Count("id")).order_by()
    ):
        row = rows[squad_code]
        if attendance == "excused":
            row["excused"] += count
        else:
            row[reason] += count
            if position == Position.LEGAL_OFFICER:
                legal_officer.add(squad_code)
    draw = session.current_draw
    codes = sorted(set(draw.rule.get("squad_codes", [])) if draw else rows)
    names = dict(OrgUnit.objects.filter(code__in=codes).values_list("code", "name"))
    squads = [
        {"code": code, "name": names.get(code, code), "mandatory": rows[code]["mandatory"],
         "sampled": rows[code]["sampled"] + rows[code]["replacement"], "excused": rows[code]["excused"],
         "added": rows[code]["added"], "legal_officer": code in legal_officer}
        for code in codes
    ]
    papers = Paper.objects.filter(session=session, candidate__draw__superseded_at__isnull=True)
    sitting = active_candidates(session).exclude(attendance="excused")
    return {
        "squads": squads,
        "lacking_legal_officer": [s for s in squads if not s["legal_officer"]],
        "totals": active_candidates(session).aggregate(
            all=Count("id"), excused=Count("id", filter=Q(attendance="excused")),
            seated=Count("id", filter=Q(seat__isnull=False)),
        ),
        "papers_issued": papers.count(),
        "papers_missing": sitting.filter(paper__isnull=True).count(),
        "draw": draw,
        "previous_draws": list(session.draws.filter(superseded_at__isnull=False)),
    }


def candidates_for_dashboard(session: ExamSession):
    return active_candidates(session).select_related("venue", "replaces").order_by("squad_code", "reason", "rank",
                                                                                   "ticket_number")


def my_candidacies(user):
    """The officer's own exam sittings, nothing about anyone else."""
    return (Candidate.objects.filter(person__user=user, draw__superseded_at__isnull=True)
            .select_related("session", "venue", "attempt").order_by("-session__starts_at"))


def my_mock_attempts(user, limit: int = 10):
    """The officer's latest mock exams (模拟考试), newest first."""
    return (Attempt.objects.filter(user=user, kind=AttemptKind.MOCK).select_related("blueprint")
            .order_by("-created_at")[:limit])
