"""Exam preparation benchmark: candidate draw, paper issuing against a plain bulk insert, printable papers.

    .venv/bin/python bench/exam_prepare.py [--people 20000] [--squads 400] [--papers 5000] [--bank 5000]
                                           [--questions 50] [--printable 500]

Builds a roster of --people in --squads (3 mandatory per squad, the rest enforcement officers and
auxiliaries) and a --bank question bank, then measures
  draw       draw_candidates on the whole roster (ranking, candidates, tickets, seats; snapshot excluded)
  issue      issue_papers for a session of --papers candidates, --questions questions each
  floor      a plain bulk insert of the same number of Paper and PaperQuestion rows (no assembly)
  print      write_printables for a session of --printable candidates (tickets, sign-in, papers, sheets)
Prints exactly one JSON line. Uses DATABASE_URL; the roster, bank and exam tables there are emptied!
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import clear_bank, empty_tables, print_figures, setup_django  # noqa: E402

MANDATORY_PER_SQUAD = 3


def wipe():
    tables = ["exams_mark", "exams_attemptevent", "exams_response", "exams_attempt",
              "exams_paperquestion", "exams_paper", "exams_candidate", "exams_candidatedraw", "exams_venue",
              "exams_examsession_target_units", "exams_examsession", "question_bank_blueprintsection",
              "question_bank_blueprintknowledgequota", "question_bank_blueprintdifficultyquota",
              "question_bank_blueprint", "roster_rostersnapshotentry", "roster_rostersnapshot"]
    from lms.roster.models import OrgUnit, Person

    empty_tables(tables)
    clear_bank()
    Person.objects.all().delete()
    OrgUnit.objects.filter(kind="squad").delete()
    OrgUnit.objects.filter(kind="street").delete()
    OrgUnit.objects.all().delete()


def build_roster(people: int, squads: int):
    from lms.roster.models import Category, OrgUnit, Person, Position

    district = OrgUnit.objects.create(code="B", name="基准区", kind="district")
    streets_n = max(1, squads // 20)
    streets = OrgUnit.objects.bulk_create(
        [OrgUnit(code=f"B-S{i:03d}", name=f"第{i + 1}街道", kind="street", parent=district) for i in range(streets_n)])
    squad_units = OrgUnit.objects.bulk_create([
        OrgUnit(code=f"B-Q{i:04d}", name=f"第{i + 1}中队", kind="squad", parent=streets[i % streets_n])
        for i in range(squads)])
    per_squad = people // squads
    rows = []
    mandatory = [Position.SQUAD_LEADER, Position.DEPUTY_SQUAD_LEADER, Position.LEGAL_OFFICER]
    for s, squad in enumerate(squad_units):
        for k in range(per_squad):
            n = s * per_squad + k
            position = (mandatory[k] if k < MANDATORY_PER_SQUAD
                        else Position.ENFORCEMENT_OFFICER if k % 3 else Position.AUXILIARY)
            rows.append(Person(name=f"测试{n}", id_number=f"1101011980{n:07d}X", squad=squad, position=position,
                               category=Category.AUXILIARY if position == Position.AUXILIARY else Category.STAFF))
    Person.objects.bulk_create(rows, batch_size=5000)
    return district, streets, squad_units, per_squad


def build_bank(size: int):
    from question_bank.models import KnowledgePoint, Question, QuestionStatus, QuestionVersion

    root = KnowledgePoint.add_root(code="BK", name="基准题库")
    kps = [KnowledgePoint.objects.get(pk=root.pk).add_child(code=f"BK{i}", name=f"知识点{i}") for i in range(10)]
    types = ["single"] * 5 + ["multiple"] * 2 + ["true_false"] * 3
    questions = []
    for n in range(size):
        qtype = types[n % 10]
        options = ["甲", "乙", "丙", "丁"] if qtype != "true_false" else []
        answer = {"single": ["A"], "multiple": ["A", "C"], "true_false": [True]}[qtype]
        # the type changes with every question, the difficulty every 10, the knowledge point every 50:
        # every (type, knowledge point, difficulty) cell of the blueprint has questions
        questions.append(Question(code=f"BQ{n:06d}", type=qtype, knowledge_point=kps[(n // 50) % 10],
                                  stem=f"基准题{n}：关于行政强制措施的表述，正确的是", options=options, answer=answer,
                                  difficulty=1 + (n // 10) % 5, status=QuestionStatus.ACTIVE))
    Question.objects.bulk_create(questions, batch_size=5000)
    versions = QuestionVersion.objects.bulk_create(
        [QuestionVersion(question=q, number=1, stem=q.stem, options=q.options, answer=q.answer,
                         difficulty=q.difficulty) for q in questions], batch_size=5000)
    for q, v in zip(questions, versions, strict=True):
        q.current_version = v
    Question.objects.bulk_update(questions, ["current_version"], batch_size=5000)
    return kps


def build_blueprint(kps, questions: int):
    from question_bank.models import (
        Blueprint,
        BlueprintDifficultyQuota,
        BlueprintKnowledgeQuota,
        BlueprintSection,
    )

    counts = {"single": questions // 2, "multiple": questions // 5}
    counts["true_false"] = questions - sum(counts.values())
    bp = Blueprint.objects.create(name="基准方案")
    for order, (qtype, count) in enumerate(counts.items()):
        BlueprintSection.objects.create(blueprint=bp, sort_order=order, question_type=qtype, count=count,
                                        points=Decimal("2"))
        for kp in kps:  # every knowledge point an equal share, and the five difficulties 10/20/40/20/10 %
            BlueprintKnowledgeQuota.objects.create(blueprint=bp, question_type=qtype, knowledge_point=kp,
                                                   share=Decimal("10"))
        for difficulty, share in zip(range(1, 6), ("10", "20", "40", "20", "10"), strict=True):
            BlueprintDifficultyQuota.objects.create(blueprint=bp, question_type=qtype, difficulty=difficulty,
                                                    share=Decimal(share))
    return bp


def make_session(code, bp, units, rate, seats):
    import datetime as dt

    from django.utils import timezone

    from lms.exams.models import ExamSession, Venue

    start = timezone.now() + dt.timedelta(days=3)
    session = ExamSession.objects.create(code=code, title="基准考试", year=2026, blueprint=bp, starts_at=start,
                                         ends_at=start + dt.timedelta(hours=2), sample_rate=Decimal(rate))
    if units:
        session.target_units.set(units)
        session.save()  # a ParentalManyToManyField is written on save
    Venue.objects.create(session=session, name="考场", seats=seats)
    return session


def floor_insert(session, papers: int, questions: int, *, copy: bool) -> float:
    """The same rows issue_papers writes, with constant values and no assembly: the database's share.
    `copy` writes the paper questions the way issue_papers does (COPY on PostgreSQL); otherwise with a
    plain Django bulk_create. Since the sitting landed, issuing also writes one attempt per paper and one
    empty response per paper question; the floor writes them too (attempts by COPY, responses with the
    same INSERT … SELECT, which moves no rows through Python and so is already the database's share)."""
    from django.db import transaction

    from lms.exams.models import Attempt, Candidate, Paper, PaperQuestion
    from lms.exams.services.bulk import insert_dicts
    from lms.exams.services.papers import create_responses
    from question_bank.models import QuestionVersion

    version_rows = list(QuestionVersion.objects.values_list("id", "question_id")[:questions])
    candidates = list(Candidate.objects.filter(session=session).values_list("id", flat=True)[:papers])
    start = time.perf_counter()
    with transaction.atomic():
        rows = Paper.objects.bulk_create(
            [Paper(session=session, candidate_id=c, variant="floor", question_count=questions,
                   total_points=Decimal("100")) for c in candidates], batch_size=1000)
        values = [{"paper_id": p.pk, "position": i + 1, "section": 0, "question_id": q, "version_id": v,
                   "points": Decimal("2"), "option_order": [0, 1, 2, 3]}
                  for p in rows for i, (v, q) in enumerate(version_rows)]
        if copy:
            insert_dicts(PaperQuestion, values)
        else:
            PaperQuestion.objects.bulk_create([PaperQuestion(**v) for v in values], batch_size=5000)
        attempts = [{"paper_id": p.pk, "session_id": session.pk, "candidate_id": p.candidate_id} for p in rows]
        if copy:
            insert_dicts(Attempt, attempts)
        else:
            Attempt.objects.bulk_create([Attempt(**a) for a in attempts], batch_size=1000)
        create_responses(paper_ids=[p.pk for p in rows])
        elapsed = time.perf_counter() - start
        transaction.set_rollback(True)
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20000)
    parser.add_argument("--squads", type=int, default=400)
    parser.add_argument("--papers", type=int, default=5000)
    parser.add_argument("--bank", type=int, default=5000)
    parser.add_argument("--questions", type=int, default=50)
    parser.add_argument("--printable", type=int, default=500)
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    from lms.exams.services.draw import draw_candidates
    from lms.exams.services.papers import issue_papers
    from lms.exams.services.printables import write_printables
    from lms.roster.services.snapshots import take_snapshot

    wipe()
    _district, _streets, squads, per_squad = build_roster(args.people, args.squads)
    kps = build_bank(args.bank)
    bp = build_blueprint(kps, args.questions)
    snapshot = take_snapshot(note="bench")

    # 1. The draw over the whole roster at the default rule (30 %, at least 1).
    everyone = make_session("B-DRAW", bp, [], "0.30", args.people)
    start = time.perf_counter()
    draw = draw_candidates(session=everyone, seed="bench-seed", snapshot=snapshot)
    draw_s = time.perf_counter() - start
    drawn = draw.candidates.count()

    # 2. Issuing: a session whose draw yields --papers candidates (squads chosen, rate set so each squad
    #    gives papers/squads candidates), then the floor on the same rows.
    eligible = per_squad - MANDATORY_PER_SQUAD
    per_squad_wanted = max(MANDATORY_PER_SQUAD + 1, min(per_squad, 25))
    squad_count = max(1, args.papers // per_squad_wanted)
    rate = Decimal(per_squad_wanted - MANDATORY_PER_SQUAD - 1) / eligible + Decimal("0.0001")
    rate = min(Decimal("1"), rate.quantize(Decimal("0.001")))
    issue_session = make_session("B-ISSUE", bp, squads[:squad_count], str(rate), args.papers * 2)
    draw_candidates(session=issue_session, seed="bench-issue", snapshot=snapshot)
    start = time.perf_counter()
    issued = issue_papers(session=issue_session)
    issue_s = time.perf_counter() - start
    # The floor writes to candidates without papers (the first session's), inside a rolled-back transaction.
    floor_s = floor_insert(everyone, issued, args.questions, copy=True)
    floor_bulk_create_s = floor_insert(everyone, issued, args.questions, copy=False)

    # 3. Printables for a session of about --printable candidates.
    print_squads = max(1, args.printable // per_squad_wanted)
    print_session = make_session("B-PRINT", bp, squads[:print_squads], str(rate), args.printable * 2)
    draw_candidates(session=print_session, seed="bench-print", snapshot=snapshot)
    printed = issue_papers(session=print_session)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as out:
        start = time.perf_counter()
        pages = write_printables(session=print_session, out=out)
        print_s = time.perf_counter() - start
        pdf_mb = round(out.tell() / 1048576, 1)

    result = {
        "bench": "exam_prepare",
        "database": connection.vendor,
        "roster_people": args.people, "squads": args.squads,
        "draw_s": round(draw_s, 3), "draw_candidates": drawn, "draw_target_s": 2,
        "papers": issued, "questions_per_paper": args.questions, "bank": args.bank,
        "issue_s": round(issue_s, 3), "papers_per_s": round(issued / issue_s, 1),
        "floor_bulk_insert_s": round(floor_s, 3), "floor_rows": issued * (2 * args.questions + 2),
        "floor_django_bulk_create_s": round(floor_bulk_create_s, 3),
        "issue_vs_floor": round(issue_s / floor_s, 2), "issue_vs_floor_target": 3,
        "printable_papers": printed, "print_s": round(print_s, 2), "print_pages": pages, "print_mb": pdf_mb,
        "print_target_s": 60,
    }
    print_figures(result)


if __name__ == "__main__":
    main()
