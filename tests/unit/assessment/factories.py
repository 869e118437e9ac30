"""Builders for assessment tests: squads with people, graded sessions with attempts, schemes.

Sessions are built straight through the exam models (draw, candidates, papers, attempts with scores), as
grading would leave them, so these tests do not depend on the grading screens.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from lms.assessment.models import AssessmentScheme, Indicator
from lms.exams.models import (
    Attempt,
    AttemptStatus,
    Candidate,
    CandidateDraw,
    ExamSession,
    Paper,
    SessionStatus,
)
from lms.roster.models import Category, OrgUnit, Person, Position, RosterSnapshot
from question_bank.models import Blueprint

_counter = {"n": 0}


def _next() -> int:
    _counter["n"] += 1
    return _counter["n"]


def district(streets: dict[str, dict[str, dict[str, int]]]) -> dict[str, OrgUnit]:
    """streets: street code → {squad code → {position → count}}. Returns every unit by code."""
    root, _ = OrgUnit.objects.get_or_create(code="TD", defaults={"name": "测试区城管局", "kind": "district"})
    units = {"TD": root}
    for street_code, squads in streets.items():
        street = OrgUnit.objects.create(code=street_code, name=f"{street_code}街道", kind="street", parent=root)
        units[street_code] = street
        for squad_code, positions in squads.items():
            squad = OrgUnit.objects.create(code=squad_code, name=f"{squad_code}中队", kind="squad", parent=street)
            units[squad_code] = squad
            for position, count in positions.items():
                for _k in range(count):
                    n = _next()
                    Person.objects.create(
                        name=f"测试{n}", id_number=f"11010119900101{n:04d}", squad=squad, position=position,
                        category=Category.AUXILIARY if position == Position.AUXILIARY else Category.STAFF)
    return units


def graded_session(*, year: int, code: str, results: dict[str, list], status=SessionStatus.GRADED,
                   pass_mark="60", total_points="100") -> ExamSession:
    """results: squad code → list of scores (a number, "absent", or "excused"). Passed = score ≥ pass mark."""
    blueprint = Blueprint.objects.first() or Blueprint.objects.create(name="测试组卷方案")
    start = timezone.make_aware(dt.datetime(year, 6, 1, 9, 0))
    session = ExamSession.objects.create(code=code, title=f"{year}年度法律知识考试{code}", year=year,
                                         blueprint=blueprint, starts_at=start, ends_at=start + dt.timedelta(hours=2),
                                         pass_mark=Decimal(pass_mark))
    snapshot = RosterSnapshot.objects.create(note="test")
    draw = CandidateDraw.objects.create(session=session, snapshot=snapshot, seed="s", seed_source="random", rule={},
                                        snapshot_digest="x", result_digest="y")
    for squad_code, scores in results.items():
        squad = OrgUnit.objects.get(code=squad_code)
        for score in scores:
            n = _next()
            person = Person.objects.create(name=f"考生{n}", id_number=f"22010119900101{n:04d}", squad=squad,
                                           position=Position.ENFORCEMENT_OFFICER, category=Category.STAFF)
            candidate = Candidate.objects.create(
                draw=draw, session=session, person=person, name=person.name, id_number=person.id_number,
                squad=squad, squad_code=squad.code, position=person.position, reason="sampled",
                attendance="excused" if score == "excused" else ("absent" if score == "absent" else "present"))
            paper = Paper.objects.create(session=session, candidate=candidate, variant="A",
                                         total_points=Decimal(total_points))
            if score in ("absent", "excused"):
                Attempt.objects.create(paper=paper, session=session, candidate=candidate, status=AttemptStatus.ABSENT)
            else:
                Attempt.objects.create(paper=paper, session=session, candidate=candidate,
                                       status=AttemptStatus.SUBMITTED, score=Decimal(str(score)),
                                       passed=Decimal(str(score)) >= Decimal(pass_mark),
                                       graded_at=timezone.now())
    ExamSession.objects.filter(pk=session.pk).update(status=status)
    session.refresh_from_db()
    return session


def scheme(year: int, indicators: list[dict], **fields) -> AssessmentScheme:
    """indicators: dicts of Indicator fields (code, name, kind, points, …), in order."""
    s = AssessmentScheme.objects.create(year=year, title=f"{year}年度依法行政工作考核方案", **fields)
    for order, values in enumerate(indicators):
        values = dict(values)
        sessions = values.pop("sessions", None)
        values["points"] = Decimal(str(values["points"]))
        for key in ("deduction_per_item", "floor"):
            if key in values:
                values[key] = Decimal(str(values[key]))
        indicator = Indicator.objects.create(scheme=s, sort_order=order, **values)
        if sessions:
            indicator.sessions.set(sessions)
            indicator.save()  # a ParentalManyToManyField is written on save
    return s


def exam(points=30, measure="mean", absent="zero", code="EXAM", **extra) -> dict:
    return {"code": code, "name": "法律知识当场考试", "kind": "exam", "points": points, "exam_measure": measure,
            "absent_rule": absent, **extra}


def entered(points, code="CASE", name="案卷评查", **extra) -> dict:
    return {"code": code, "name": name, "kind": "entered", "points": points, **extra}
