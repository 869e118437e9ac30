"""On PostgreSQL (COPY path): a draw, papers and printables end to end through the commands, and the
benchmark script runs at a tiny size and prints one JSON line."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

import pytest

from lms.exams.models import Paper, PaperQuestion
from lms.roster.models import Position
from tests.unit.exams.factories import build_bank, build_blueprint, build_district, build_session

pytestmark = [pytest.mark.integration]


@pytest.mark.django_db
def test_commands_end_to_end_on_postgres(postgres_required, tmp_path, capsys):
    build_district([{Position.SQUAD_LEADER: 1, Position.LEGAL_OFFICER: 1, Position.ENFORCEMENT_OFFICER: 9}] * 3)
    build_bank({("single", "K1", 3): 12, ("true_false", "K1", 2): 8})
    session = build_session(blueprint=build_blueprint(sections=[("single", 8, "5"), ("true_false", 6, "10")]))
    call_command("draw_candidates", session.code, "--seed", "pg-seed")
    call_command("verify_draw", session.code)
    call_command("issue_papers", session.code)
    call_command("export_candidates", session.code, str(tmp_path / "c.xlsx"))
    call_command("print_papers", session.code, str(tmp_path / "p.pdf"))
    out = capsys.readouterr().out
    assert "seed: pg-seed" in out and "OK" in out
    papers = Paper.objects.filter(session=session).count()
    assert papers == session.candidates.count() == 15
    assert PaperQuestion.objects.filter(paper__session=session).count() == papers * 14
    assert (tmp_path / "p.pdf").stat().st_size > 10_000


def test_benchmark_smoke(postgres_required):
    root = Path(settings.BASE_DIR)
    env = {**os.environ, "DATABASE_URL": os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/exams_bench_smoke"}
    subprocess.run(["psql", env["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres", "-c",
                    "CREATE DATABASE exams_bench_smoke"], capture_output=True)
    result = subprocess.run(
        [sys.executable, "bench/exam_prepare.py", "--people", "200", "--squads", "4", "--papers", "50",
         "--bank", "500", "--questions", "10", "--printable", "10"],
        cwd=root, env=env, capture_output=True, text=True, timeout=600, check=True,
    )
    line = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(line) == 1
    figures = json.loads(line[0])
    assert figures["papers"] == 50 and figures["floor_bulk_insert_s"] > 0 and figures["print_pages"] > 0
