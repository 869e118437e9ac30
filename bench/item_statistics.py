"""Item statistics benchmark: a graded session of --attempts candidates × --items questions on PostgreSQL.

    DATABASE_URL=postgres://…/stats_bench .venv/bin/python bench/item_statistics.py [--attempts 10000]
                                                                                   [--items 100] [--bank 500]

Builds (with COPY, outside the timing) a per-candidate session: every candidate a paper of --items
single-choice questions drawn from a --bank bank, answered by a simulated candidate of known ability
(a logistic item response model, fixed seed), with responses, engine marks and attempt totals. Then times,
alternating, --repeat times each, and keeps the best of each:
  floor       reading the marks: SELECT attempt, position, score of the session's responses, all rows fetched
  statistics  refresh_session_statistics: fingerprint, reading, test and item figures (slots and question
              versions), distractor analysis, units, positions, knowledge points, storing the JSON and the
              question bank's item health — everything the Celery task does (the marks read as two
              halves on two connections; --one-scan reads them in one, as a single core would)
Prints exactly one JSON line. Uses DATABASE_URL; the roster, bank and exam tables there are emptied!
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import empty_tables, load_average, print_figures, setup_django  # noqa: E402

TARGET_SECONDS = 5.0
TARGET_RATIO = 2.0
FLOOR_SQL = """
SELECT r.attempt_id, r.position, r.score
  FROM exams_response r JOIN exams_attempt a ON a.id = r.attempt_id
 WHERE a.session_id = %s
"""


def wipe():
    tables = ["exams_mark", "exams_response", "exams_attemptevent", "exams_attempt", "exams_sessionstatistics",
              "exams_paperquestion", "exams_paper", "exams_candidate", "exams_candidatedraw", "exams_venue",
              "exams_examsession_target_units", "exams_examsession", "question_bank_versionsessionstatistics",
              "question_bank_versionhealth", "question_bank_blueprintsection",
              "question_bank_blueprintknowledgequota", "question_bank_blueprintdifficultyquota",
              "question_bank_blueprint", "roster_rostersnapshotentry", "roster_rostersnapshot",
              "question_bank_question_related_knowledge_points", "question_bank_questionversion",
              "question_bank_question", "question_bank_knowledgepoint", "roster_person", "roster_orgunit"]
    empty_tables(tables)


def copy_rows(table: str, columns: list[str], rows) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")


def build(attempts: int, items: int, bank: int, seed: int = 20261201) -> int:
    from django.utils import timezone

    from lms.exams.models import CandidateDraw, ExamSession, SessionStatus
    from lms.roster.models import OrgUnit, Person, Position, RosterSnapshot
    from question_bank.models import Blueprint, BlueprintSection, KnowledgePoint, Question, QuestionVersion

    rng = random.Random(seed)
    now = timezone.now()
    district = OrgUnit.objects.create(code="B", name="基准区", kind="district")
    streets = OrgUnit.objects.bulk_create([OrgUnit(code=f"B-S{i:02d}", name=f"第{i + 1}街道", kind="street",
                                                   parent=district) for i in range(10)])
    squads = OrgUnit.objects.bulk_create([OrgUnit(code=f"B-Q{i:03d}", name=f"第{i + 1}中队", kind="squad",
                                                  parent=streets[i % 10]) for i in range(100)])
    positions = [Position.SQUAD_LEADER, Position.LEGAL_OFFICER] + [Position.ENFORCEMENT_OFFICER] * 6 + [
        Position.AUXILIARY] * 2
    people = Person.objects.bulk_create([
        Person(name=f"考生{i}", id_number=f"3101{i:014d}", squad=squads[i % len(squads)],
               position=positions[i % len(positions)], category="staff") for i in range(attempts)], batch_size=5000)
    roots = [KnowledgePoint.add_root(code=f"K{i}", name=f"第{i + 1}部法律") for i in range(8)]
    options = ["甲", "乙", "丙", "丁"]
    questions = Question.objects.bulk_create([
        Question(code=f"B{i:05d}", type="single", knowledge_point=roots[i % 8], stem=f"第{i}题", options=options,
                 answer=[("ABCD")[i % 4]], status="active", points=Decimal("1")) for i in range(bank)])
    versions = QuestionVersion.objects.bulk_create([
        QuestionVersion(question=q, number=1, stem=q.stem, options=options, answer=q.answer, points=Decimal("1"),
                        frozen_at=now) for q in questions])
    blueprint = Blueprint.objects.create(name="基准方案")
    BlueprintSection.objects.create(blueprint=blueprint, sort_order=0, question_type="single", count=items,
                                    points=Decimal("1"))
    session = ExamSession.objects.create(code="BENCH", title="基准考试", year=2026, blueprint=blueprint,
                                         starts_at=now, ends_at=now + timezone.timedelta(hours=2),
                                         status=SessionStatus.GRADED, pass_mark=Decimal(str(items * 0.6)))
    snapshot = RosterSnapshot.objects.create(note="bench", entry_count=attempts)
    draw = CandidateDraw.objects.create(session=session, snapshot=snapshot, seed="bench", seed_source="witness",
                                        rule={}, snapshot_digest="-", result_digest="-")
    copy_rows("exams_candidate", ["id", "draw_id", "session_id", "person_id", "name", "id_number", "squad_id",
                                  "squad_code", "position", "reason", "rank", "rank_hash", "note", "attendance",
                                  "excused_reason", "excused_approved_by", "ticket_number", "created_at"],
              ((i + 1, draw.pk, session.pk, p.pk, p.name, p.id_number, p.squad_id, "", p.position, "mandatory",
                None, "", "", "present", "", "", f"BENCH-{i + 1:05d}", now) for i, p in enumerate(people)))
    copy_rows("exams_paper", ["id", "session_id", "candidate_id", "variant", "question_count", "total_points",
                              "issued_at"],
              ((i + 1, session.pk, i + 1, "bench", items, items, now) for i in range(attempts)))
    difficulty = {v.pk: rng.gauss(0, 1) for v in versions}
    key = {v.pk: v.answer[0] for v in versions}
    ability = [rng.gauss(0.3, 1) for _ in range(attempts)]
    version_ids = list(difficulty)
    papers, answers = [], []
    for i in range(attempts):
        chosen = rng.sample(version_ids, items)
        papers.append(chosen)
        row = []
        for v in chosen:
            p = 1 / (1 + math.exp(-1.7 * (ability[i] - difficulty[v])))
            if rng.random() < p:
                row.append(key[v])
            else:  # wrong answers favour B and C: D is a weak distractor
                row.append(rng.choice([k for k in "ABCCBD" if k != key[v]]))
        answers.append(row)
    copy_rows("exams_paperquestion", ["id", "paper_id", "position", "section", "question_id", "version_id", "points",
                                      "option_order"],
              ((i * items + j + 1, i + 1, j + 1, 0, v, v, 1, "[]")
               for i, chosen in enumerate(papers) for j, v in enumerate(chosen)))
    copy_rows("exams_attempt", ["id", "kind", "paper_id", "session_id", "candidate_id", "status", "extension_minutes",
                                "submitted_at", "submitted_by", "device_token", "answered_count", "score", "passed",
                                "graded_at", "created_at", "marks_count"],
              ((i + 1, "exam", i + 1, session.pk, i + 1, "submitted", 0, now, "candidate", "", items,
                sum(1 for j, v in enumerate(papers[i]) if answers[i][j] == key[v]),
                sum(1 for j, v in enumerate(papers[i]) if answers[i][j] == key[v]) >= items * 0.6, now, now, items)
               for i in range(attempts)))  # marks_count: the one engine mark per response written below
    copy_rows("exams_response", ["id", "attempt_id", "paper_question_id", "position", "version_id", "points", "answer",
                                 "seq", "flagged", "saved_at", "score"],
              ((i * items + j + 1, i + 1, i * items + j + 1, j + 1, v, 1, f'["{answers[i][j]}"]', 1, False, now,
                1 if answers[i][j] == key[v] else 0) for i, chosen in enumerate(papers) for j, v in enumerate(chosen)))
    copy_rows("exams_mark", ["id", "response_id", "score", "source", "comment", "is_final", "reason", "created_at"],
              ((i * items + j + 1, i * items + j + 1, 1 if answers[i][j] == key[v] else 0, "engine", "", True, "", now)
               for i, chosen in enumerate(papers) for j, v in enumerate(chosen)))
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return session.pk


def read_floor(session_id: int) -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, [session_id])
        rows = cursor.fetchall()
    elapsed = time.perf_counter() - started
    assert rows
    return elapsed


def run_statistics(session_id: int) -> tuple[float, dict]:
    from lms.exams.services.item_analysis import refresh_session_statistics

    started = time.perf_counter()
    stats = refresh_session_statistics(session_id=session_id)
    return time.perf_counter() - started, stats.data


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--attempts", type=int, default=10000)
    parser.add_argument("--items", type=int, default=100)
    parser.add_argument("--bank", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="keep the data of a previous run of the same size")
    parser.add_argument("--one-scan", action="store_true",
                        help="read the marks in one scan, as without a second core (not in two halves)")
    args = parser.parse_args()
    setup_django()
    if args.one_scan:
        from lms.exams.services import item_analysis

        item_analysis.MARKS_HALVES_FROM = float("inf")
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("bench/item_statistics.py needs PostgreSQL: set DATABASE_URL=postgres://…/stats_bench")
    load_before = load_average()[0]
    from lms.exams.models import Attempt, ExamSession

    started = time.perf_counter()
    existing = ExamSession.objects.filter(code="BENCH").first()
    if args.reuse and existing and Attempt.objects.filter(session=existing).count() == args.attempts:
        session_id = existing.pk
    else:
        wipe()
        session_id = build(args.attempts, args.items, args.bank)
    build_seconds = time.perf_counter() - started
    floors, runs, data = [], [], {}
    for _ in range(args.repeat):
        floors.append(read_floor(session_id))
        seconds, data = run_statistics(session_id)
        runs.append(seconds)
    floor, statistics = min(floors), min(runs)
    print_figures({
        "bench": "item_statistics", "attempts": args.attempts, "items": args.items, "bank": args.bank,
        "responses": args.attempts * args.items, "build_s": round(build_seconds, 1),
        "statistics_s": round(statistics, 3), "statistics_runs_s": [round(r, 3) for r in runs],
        "floor_read_marks_s": round(floor, 3), "floor_runs_s": [round(f, 3) for f in floors],
        "ratio": round(statistics / floor, 2), "target_s": TARGET_SECONDS, "target_ratio": TARGET_RATIO,
        "marks_read": "one scan" if args.one_scan else "two halves",
        "ok": statistics < TARGET_SECONDS and statistics / floor <= TARGET_RATIO,
        "cic": data["test"]["cic"], "mean": data["test"]["mean"], "questions": len(data["questions"]),
        "load_avg_before": load_before, "load_avg_after": load_average()[0],
    })


if __name__ == "__main__":
    main()
