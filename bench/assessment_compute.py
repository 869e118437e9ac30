"""Assessment benchmark: computing, publishing and exporting a year for a large district.

    .venv/bin/python bench/assessment_compute.py [--squads 400] [--streets 40] [--candidates 5]

Builds --squads squads in --streets street offices (20 people each), a graded session with --candidates per
squad, and a scheme of 10 indicators (exam, roster, 7 entered, a deduction) with every entered score, then
measures
  compute    compute_year (every figure, street, rank and star), median of 3
  floor      the raw reads compute needs, as plain value lists (candidates with attempts, entries, people)
  publish    publish_year (compute + snapshot)
  xlsx, pdf  the exports of the published result
Prints exactly one JSON line. Uses DATABASE_URL; the roster, exam and assessment tables there are emptied!
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import load_average, print_figures, setup_django  # noqa: E402


def wipe():
    from lms.assessment.models import AssessmentScheme, EnteredScore, Indicator, Publication
    from lms.exams.models import Attempt, Candidate, CandidateDraw, ExamSession, Paper
    from lms.roster.models import OrgUnit, Person, RosterSnapshot

    for model in (Publication, EnteredScore, Indicator, AssessmentScheme, Attempt, Paper, Candidate, CandidateDraw,
                  ExamSession, RosterSnapshot, Person):
        model.objects.all()._raw_delete(model.objects.db)
    for kind in ("squad", "street", "district"):
        OrgUnit.objects.filter(kind=kind).delete()


def build(*, squads: int, streets: int, candidates: int):
    from django.utils import timezone

    from lms.assessment.models import AssessmentScheme, EnteredScore, Indicator
    from lms.exams.models import Attempt, Candidate, CandidateDraw, ExamSession, Paper
    from lms.roster.models import OrgUnit, Person, RosterSnapshot
    from question_bank.models import Blueprint

    district = OrgUnit.objects.create(code="BQ", name="基准区", kind="district")
    street_units = OrgUnit.objects.bulk_create(
        [OrgUnit(code=f"BJ{s:03d}", name=f"街道{s}", kind="street", parent=district) for s in range(streets)])
    squad_units = OrgUnit.objects.bulk_create(
        [OrgUnit(code=f"BZ{q:04d}", name=f"中队{q}", kind="squad", parent=street_units[q % streets])
         for q in range(squads)])
    people, n = [], 0
    for squad in squad_units:
        for k in range(20):
            n += 1
            position = "legal_officer" if k == 0 and n % 7 else ("squad_leader" if k == 1 else "enforcement_officer")
            people.append(Person(name=f"人员{n}", id_number=f"{n:018d}", squad=squad, position=position,
                                 category="staff"))
    people = Person.objects.bulk_create(people)
    blueprint = Blueprint.objects.first() or Blueprint.objects.create(name="基准组卷")
    start = timezone.make_aware(dt.datetime(2026, 6, 1, 9))
    session = ExamSession.objects.create(code="BENCH", title="基准考试", year=2026, blueprint=blueprint,
                                         starts_at=start, ends_at=start + dt.timedelta(hours=2), status="graded")
    draw = CandidateDraw.objects.create(session=session, snapshot=RosterSnapshot.objects.create(), seed="s",
                                        seed_source="random", rule={}, snapshot_digest="x", result_digest="y")
    chosen = [p for i, p in enumerate(people) if i % 20 < candidates]
    cands = Candidate.objects.bulk_create([
        Candidate(draw=draw, session=session, person=p, name=p.name, id_number=p.id_number, squad_id=p.squad_id,
                  squad_code="", position=p.position, reason="sampled") for p in chosen])
    papers = Paper.objects.bulk_create([Paper(session=session, candidate=c, variant="A", total_points=Decimal("100"))
                                        for c in cands])
    Attempt.objects.bulk_create([
        Attempt(paper=paper, session=session, candidate=c,
                status="absent" if i % 11 == 0 else "submitted",
                score=None if i % 11 == 0 else Decimal(40 + (i * 37) % 61),
                passed=None if i % 11 == 0 else (40 + (i * 37) % 61) >= 60)
        for i, (paper, c) in enumerate(zip(papers, cands, strict=True))])
    scheme = AssessmentScheme.objects.create(year=2026, title="基准方案")
    specs = [("EXAM", "exam", 30, {"exam_measure": "mean", "absent_rule": "zero"}),
             ("LEGAL", "roster", 5, {"roster_check": "legal_officer"})]
    specs += [(f"E{k}", "entered", 8 if k < 6 else 9, {"star_aspect": ["leadership", "enforcement", "team",
                                                                        "support", "", "", ""][k]})
              for k in range(7)]
    specs.append(("FEE", "deduction", 8, {"deduction_per_item": Decimal("2"), "floor": Decimal("-4")}))
    indicators = [Indicator.objects.create(scheme=scheme, sort_order=i, code=c, name=c, kind=k, points=Decimal(p), **x)
                  for i, (c, k, p, x) in enumerate(specs)]
    EnteredScore.objects.bulk_create([
        EnteredScore(indicator=ind, unit=squad, value=Decimal((q * 13 + i) % 9) if ind.kind == "deduction"
                     else (ind.points * Decimal(60 + (q * 7 + i) % 41) / 100).quantize(Decimal("0.1")),
                     out_of=ind.points)
        for i, ind in enumerate(indicators) if ind.kind in ("entered", "deduction") for q, squad in enumerate(squad_units)])
    return scheme


def floor_reads(scheme):
    from django.db.models import Count

    from lms.assessment.models import EnteredScore
    from lms.exams.models import Candidate
    from lms.roster.models import OrgUnit

    list(Candidate.objects.filter(session__year=2026).values_list("squad_id", "attempt__status", "attempt__score",
                                                                  "attempt__passed", "attempt__paper__total_points"))
    list(EnteredScore.objects.filter(indicator__scheme=scheme).values_list("indicator_id", "unit_id", "value"))
    list(OrgUnit.objects.filter(kind="squad").annotate(n=Count("people")).values_list("pk", "n"))


def timed(fn, repeat=1):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--squads", type=int, default=400)
    parser.add_argument("--streets", type=int, default=40)
    parser.add_argument("--candidates", type=int, default=5)
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    from lms.assessment.scoring import YearResult
    from lms.assessment.services.compute import compute_year
    from lms.assessment.services.exports import export_bytes
    from lms.assessment.services.publish import publish_year

    wipe()
    scheme = build(squads=args.squads, streets=args.streets, candidates=args.candidates)
    compute = timed(lambda: compute_year(scheme), repeat=3)
    floor = timed(lambda: floor_reads(scheme), repeat=3)
    publication = None

    def do_publish():
        nonlocal publication
        publication = publish_year(scheme=scheme)

    publish = timed(do_publish)
    result = YearResult.from_dict(publication.data)
    xlsx = timed(lambda: export_bytes(result, fmt="xlsx", status="bench"))
    pdf = timed(lambda: export_bytes(result, fmt="pdf", status="bench"))
    size = len(io.BytesIO(export_bytes(result, fmt="pdf", status="bench")).getvalue())
    print_figures({
        "bench": "assessment_compute", "database": connection.vendor, "squads": args.squads,
        "streets": args.streets, "attempts": args.squads * args.candidates,
        "compute_s": round(compute, 3), "floor_reads_s": round(floor, 3), "compute_over_floor": round(compute / floor, 1),
        "publish_s": round(publish, 3), "xlsx_s": round(xlsx, 3), "pdf_s": round(pdf, 3), "pdf_bytes": size,
        "load_average": load_average(),
    })


if __name__ == "__main__":
    main()
