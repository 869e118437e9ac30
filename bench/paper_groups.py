"""Paper assembly with exclusion groups against the same assembly without groups (the baseline, same run).

    .venv/bin/python bench/paper_groups.py [--papers 2000] [--bank 5000] [--questions 50] [--grouped 0.3]

Builds an in-memory plan (no database): --bank questions over 5 knowledge points × 3 difficulties × 3 types,
a 50-question blueprint, and puts --grouped of the questions into groups of three. Measures papers per second
of `assemble_paper` without groups (rng.sample per cell) and with groups (matching with augmenting paths),
checks that no grouped paper holds two questions of one group, and prints exactly one JSON line.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import print_figures, setup_django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=2000)
    parser.add_argument("--bank", type=int, default=5000)
    parser.add_argument("--questions", type=int, default=50)
    parser.add_argument("--grouped", type=float, default=0.3)
    args = parser.parse_args()
    setup_django(settings="lms.settings.test", migrate=False)  # no database: the plan is in memory
    from question_bank.assembly import AssemblyPlan, Cell, PoolEntry, assemble_paper

    rng = random.Random(7)
    types = ["single", "multiple", "true_false"]
    keys = [(t, k, d) for t in types for k in range(1, 6) for d in (2, 3, 4)]
    plain, grouped = {key: [] for key in keys}, {key: [] for key in keys}
    members = list(range(args.bank))
    rng.shuffle(members)
    in_groups = set(members[: int(args.bank * args.grouped)])
    group_of = {q: 100000 + i // 3 for i, q in enumerate(sorted(in_groups))}
    for q in range(args.bank):
        key = keys[q % len(keys)]
        options = 4 if key[0] != "true_false" else 0
        plain[key].append(PoolEntry(q, q, options))
        grouped[key].append(PoolEntry(q, q, options, group_of.get(q)))
    per_cell = args.questions // len(keys)
    cells = [Cell(types.index(t), t, k, d, per_cell + (1 if i < args.questions % len(keys) else 0), Decimal("2"))
             for i, (t, k, d) in enumerate(keys)]

    def run(pool):
        plan = AssemblyPlan(cells=cells, pool=pool)
        start = time.perf_counter()
        papers = [assemble_paper(plan=plan, seed="bench", key=str(n)) for n in range(args.papers)]
        return papers, time.perf_counter() - start

    # interleaved, best of three each: the machine is shared, so single runs are noisy
    baseline, with_groups = float("inf"), float("inf")
    for _round in range(3):
        _p, seconds = run(plain)
        baseline = min(baseline, seconds)
        papers, seconds = run(grouped)
        with_groups = min(with_groups, seconds)
    for paper in papers:
        groups = [group_of[i.question_id] for i in paper if i.question_id in group_of]
        assert len(groups) == len(set(groups)), "two questions of one group on a paper"
    print_figures({
        "bench": "paper_groups", "papers": args.papers, "bank": args.bank, "questions": args.questions,
        "grouped_share": args.grouped, "load_average": os.getloadavg()[0],
        "baseline_papers_per_s": round(args.papers / baseline, 1),
        "grouped_papers_per_s": round(args.papers / with_groups, 1),
        "ratio_to_baseline": round(baseline / with_groups, 3),
    })


if __name__ == "__main__":
    main()
