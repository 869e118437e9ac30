"""bench/request_costs.py runs (at a tiny size) and prints what docs/scaling.md reads: each sitting request's
cost through the whole WSGI stack and its ratio to the floor measured in the same run."""

import json
import shutil
import subprocess
import sys

import pytest

from .test_exam_day import ROOT, bench_database_url

pytestmark = pytest.mark.integration


def test_the_request_costs_bench_measures_every_sitting_request_against_the_floor(postgres_required, redis_url):
    if not shutil.which("redis-server"):
        pytest.fail("redis-server is needed for the request-costs bench")
    url = bench_database_url().replace("_exam_day_bench", "_request_costs_bench")
    completed = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "request_costs.py"), "--candidates", "5"],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
        env={"PATH": "/usr/bin:/bin:/usr/local/bin", "DATABASE_URL": url, "HOME": str(ROOT)},
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    assert result["bench"] == "request_costs" and result["candidates"] == 5
    for kind in ("floor", "start", "save", "state"):
        assert result[f"{kind}_mean_ms"] > 0 and result[f"{kind}_median_ms"] > 0
    for kind in ("start", "save", "state"):
        assert result[f"{kind}_over_floor"] == pytest.approx(result[f"{kind}_mean_ms"] / result["floor_mean_ms"],
                                                            abs=0.02)
    # A start does more than the floor (the attempt, the statement, the page): never less.
    assert result["start_over_floor"] > 1
