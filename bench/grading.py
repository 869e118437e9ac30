"""Grading benchmark: automatic marking of a whole session and its results export, each against a floor.

    .venv/bin/python bench/grading.py [--attempts 2000] [--questions 50] [--bank 3000]

Builds (with bench/exam_prepare.py's builders) a roster of --attempts officers, all candidates of one
session with per-candidate papers of --questions questions, creates their attempts and simulated
answers, then measures
  grade      grade_session: every submitted attempt engine-marked (marks, response scores, totals)
  floor      a plain bulk insert of the same Mark rows and one UPDATE of the same responses' scores
  export     write_results: the results workbook (one row per candidate, one column per question)
  xfloor     openpyxl write-only workbook of the same shape filled with constants
Prints exactly one JSON line. Uses DATABASE_URL (default postgres://…/grading_bench); its exam, roster
and bank tables are emptied!
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/grading_bench")

from bench import exam_prepare as prep  # noqa: E402
from bench.common import ensure_database, load_average, print_figures, setup_django  # noqa: E402


def simulate(session, seed: int = 7) -> int:
    """Random answers (mostly right) for every attempt, then submitted; returns the number of responses."""
    from django.utils import timezone

    from lms.exams.models import Attempt, Response
    from lms.exams.services.score_entry import ensure_attempt

    rng = random.Random(seed)
    for paper in session.papers.all():
        ensure_attempt(paper)
    responses = list(Response.objects.filter(attempt__session=session)
                     .select_related("paper_question__version__question").only(
                         "id", "answer", "paper_question__version__answer", "paper_question__version__question__type"))
    for r in responses:
        key = r.paper_question.version.answer
        right = rng.random() < 0.7
        qtype = r.paper_question.version.question.type
        if qtype == "true_false":
            r.answer = key if right else [not key[0]]
        else:
            r.answer = key if right else [rng.choice("BD")]
    Response.objects.bulk_update(responses, ["answer"], batch_size=5000)
    Attempt.objects.filter(session=session).update(status="submitted", submitted_at=timezone.now(),
                                                   submitted_by="candidate")
    return len(responses)


def floor_marks(session) -> float:
    from django.db import transaction

    from lms.exams.models import Mark, Response

    ids = list(Response.objects.filter(attempt__session=session).values_list("id", flat=True))
    start = time.perf_counter()
    with transaction.atomic():
        Mark.objects.bulk_create([Mark(response_id=i, score=Decimal("2"), source="engine") for i in ids],
                                 batch_size=5000)
        Response.objects.filter(attempt__session=session).update(score=Decimal("2"))
        elapsed = time.perf_counter() - start
        transaction.set_rollback(True)
    return elapsed


def floor_export(rows: int, columns: int) -> float:
    from openpyxl import Workbook

    start = time.perf_counter()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("成绩")
    for n in range(rows):
        sheet.append([f"T-{n:05d}", "张三", "第1中队", "执法队员", 80.0, "是", "否"] + [2.0] * columns)
    workbook.save(io.BytesIO())
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=2000)
    parser.add_argument("--questions", type=int, default=50)
    parser.add_argument("--bank", type=int, default=3000)
    args = parser.parse_args()
    ensure_database(os.environ["DATABASE_URL"])
    setup_django()
    from django.db import connection

    from lms.exams.services.draw import draw_candidates
    from lms.exams.services.grading import grade_session
    from lms.exams.services.papers import issue_papers
    from lms.exams.services.results import write_results

    prep.wipe()
    squads = max(1, args.attempts // 50)
    _district, _streets, squad_units, _per = prep.build_roster(args.attempts, squads)
    kps = prep.build_bank(args.bank)
    session = prep.make_session("GRADE-BENCH", prep.build_blueprint(kps, args.questions), squad_units, "1.0",
                                args.attempts + 10)
    draw_candidates(session=session, seed="bench")
    issue_papers(session=session)
    responses = simulate(session)
    floor = floor_marks(session)
    start = time.perf_counter()
    summary = grade_session(session=session)
    grade = time.perf_counter() - start
    start = time.perf_counter()
    rows = write_results(session=session, out=io.BytesIO())
    export = time.perf_counter() - start
    xfloor = floor_export(rows, args.questions)
    print_figures({
        "bench": "grading", "database": connection.vendor, "attempts": summary.attempts,
        "questions": args.questions, "responses": responses, "marks": summary.marks_added,
        "grade_s": round(grade, 2), "floor_s": round(floor, 2), "grade_vs_floor": round(grade / floor, 1),
        "responses_per_s": round(responses / grade), "export_rows": rows, "export_s": round(export, 2),
        "export_floor_s": round(xfloor, 2), "export_vs_floor": round(export / xfloor, 1),
        "load_average": load_average(),
    })


if __name__ == "__main__":
    main()
