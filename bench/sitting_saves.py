"""Answer-save benchmark: the sitting's save rule against a bare one-row UPDATE, in the same run.

    DATABASE_URL=postgres://…/sitting_bench .venv/bin/python bench/sitting_saves.py [--candidates 200] [--saves 4000]
                                                                                 [--threads 4]

Seeds a roster, a bank with every question type and an open on-site session of --candidates, starts every
attempt, then sends --saves answers from --threads connections at once through services.sitting.save_answer
(validation, the guarded UPDATE of one response row, the attempt's bookkeeping), and the same number of
bare `UPDATE exams_response SET seq = seq + 1 WHERE id = …` (the floor: one statement, no rules).
Prints exactly one JSON line. Uses DATABASE_URL; its exam tables are emptied!
"""

from __future__ import annotations

import argparse
import random
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import load_average, print_figures, setup_django  # noqa: E402


def seed(candidates: int):
    import datetime as dt

    from django.utils import timezone

    from bench.exam_prepare import wipe
    from lms.exams.models import Attempt, SessionStatus
    from lms.exams.services.draw import draw_candidates
    from lms.exams.services.papers import issue_papers
    from lms.exams.services.sitting import start_attempt
    from lms.roster.models import Person
    from tests.unit.exams.factories import build_district, build_session
    from tests.unit.exams.sitting_factories import build_full_bank, full_blueprint

    wipe()
    Person.objects.all().delete()
    build_district([{"squad_leader": candidates}], code="SB")
    build_full_bank(per_type=3)
    session = build_session(blueprint=full_blueprint("保存基准方案"), code="SAVE-BENCH", venues=(("考场", 5000),))
    now = timezone.now()
    session.starts_at, session.ends_at = now - dt.timedelta(minutes=1), now + dt.timedelta(hours=3)
    session.save()
    draw_candidates(session=session, seed="save-bench")
    issue_papers(session=session)
    session.status = SessionStatus.OPEN
    session.save(update_fields=["status"])
    code = session.venues.get().access_code
    tokens = {}
    for attempt in Attempt.objects.filter(session=session).select_related("session", "candidate__venue"):
        attempt, token = start_attempt(attempt=attempt, access_code=code)
        tokens[attempt.pk] = token
    return tokens


def run_threads(threads: int, work):
    from django.db import connections

    def wrap(chunk):
        def go():
            try:
                work(chunk)
            finally:
                connections.close_all()
        return go

    return wrap


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=200)
    parser.add_argument("--saves", type=int, default=4000)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    from lms.exams.models import Attempt, Response
    from lms.exams.services import sitting

    tokens = seed(args.candidates)
    attempts = {a.pk: a for a in Attempt.objects.filter(pk__in=tokens).select_related("session")}
    singles = dict(Response.objects.filter(attempt_id__in=tokens, paper_question__version__question__type="single")
                   .values_list("attempt_id", "position"))
    rng = random.Random(7)
    plan = [(rng.choice(list(singles)), rng.choice("ABCD")) for _ in range(args.saves)]
    seq = dict.fromkeys(tokens, 0)
    lock = threading.Lock()

    def saves(chunk):
        for attempt_id, letter in chunk:
            with lock:
                seq[attempt_id] += 1
                n = seq[attempt_id]
            sitting.save_answer(attempt=attempts[attempt_id], device_token=tokens[attempt_id],
                                position=singles[attempt_id], seq=n, answer=[letter])

    response_ids = list(Response.objects.filter(attempt_id__in=tokens).values_list("id", flat=True))
    floor_plan = [rng.choice(response_ids) for _ in range(args.saves)]

    def bare(chunk):
        from django.db import connection as conn

        with conn.cursor() as cursor:
            for rid in chunk:
                cursor.execute("UPDATE exams_response SET seq = seq + 1 WHERE id = %s", [rid])

    def timed(work, items):
        chunks = [items[i::args.threads] for i in range(args.threads)]
        threads = [threading.Thread(target=run_threads(args.threads, work)(c)) for c in chunks]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return time.perf_counter() - start

    for pk in list(attempts)[:3]:  # warm the paper caches the way the first saves of an exam do
        sitting.paper_meta(attempts[pk])
    save_s = timed(saves, plan)
    floor_s = timed(bare, floor_plan)
    stored = Response.objects.filter(attempt_id__in=tokens, seq__gt=0, answer__isnull=False).count()
    load = load_average()[0]
    print_figures({
        "bench": "sitting_saves", "database": connection.vendor, "candidates": len(tokens), "saves": args.saves,
        "threads": args.threads, "save_s": round(save_s, 3), "saves_per_s": round(args.saves / save_s, 1),
        "floor_s": round(floor_s, 3), "floor_updates_per_s": round(args.saves / floor_s, 1),
        "save_vs_floor": round(save_s / floor_s, 2), "answered_responses": stored, "load_average": load,
    })


if __name__ == "__main__":
    main()
