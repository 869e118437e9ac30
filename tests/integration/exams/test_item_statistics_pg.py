"""On PostgreSQL the marks are read as one text and the answers counted by one grouped query: the figures
must be the very ones the portable path gives (the hand-worked session of the unit tests)."""

import math

import pytest

from lms.exams.services import item_analysis
from tests.unit.exams.graded import build_graded_session
from tests.unit.exams.test_session_statistics import QUESTIONS, _people

pytestmark = [pytest.mark.integration]


@pytest.mark.django_db
def test_postgres_paths_give_the_hand_worked_figures(postgres_required, monkeypatch):
    session, _versions = build_graded_session(questions=QUESTIONS, people=_people(), pass_mark="5")
    data = item_analysis.compute_session_report(session)
    assert data["test"]["sd"] == pytest.approx(math.sqrt(42 / 9))
    by_code = {q["code"]: q for q in data["questions"]}
    assert by_code["Q1"]["discrimination_index"] == pytest.approx(800 / math.sqrt(160))
    q3 = {o["key"]: (o["chosen"], o["top"], o["bottom"]) for o in by_code["Q3"]["distractors"]["options"]}
    assert q3 == {"A": (3, 0, 1), "B": (5, 3, 0), "C": (2, 0, 2), "D": (0, 0, 0)}
    # The same session through the portable path (as on SQLite) gives identical JSON.
    monkeypatch.setattr(item_analysis.connection, "vendor", "sqlite")
    assert item_analysis.compute_session_report(session) == data


def test_benchmark_smoke(postgres_required):
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    env = {**os.environ, "DATABASE_URL": base + "/stats_bench_smoke"}
    subprocess.run(["psql", base + "/postgres", "-c", "CREATE DATABASE stats_bench_smoke"], capture_output=True)
    result = subprocess.run(
        [sys.executable, "bench/item_statistics.py", "--attempts", "60", "--items", "10", "--bank", "30",
         "--repeat", "1"], cwd=root, env=env, capture_output=True, text=True, timeout=900, check=True)
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == 1
    figures = json.loads(lines[0])
    assert figures["responses"] == 600 and figures["questions"] == 30 and figures["floor_read_marks_s"] > 0
