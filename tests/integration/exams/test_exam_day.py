"""Exam day, reduced: 50 candidates sit on gunicorn + PostgreSQL + Redis + a Celery worker while one
gunicorn worker is killed with SIGKILL; no acknowledged answer may be lost and each attempt is submitted
exactly once. The full-size run is bench/exam_day.py (figures in the README)."""

import json
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

from django.conf import settings

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(settings.BASE_DIR)


def bench_database_url() -> str:
    """A database of its own next to the test database (the bench drops and recreates it), named after the
    test database: two suites running at once on one server (CI and a developer's run) must not drop each
    other's bench database mid-run, which showed up as hundreds of "lost" answers."""
    default = settings.DATABASES["default"]
    host, port, user = default.get("HOST") or "127.0.0.1", default.get("PORT") or 5432, default.get("USER") or "postgres"
    return f"postgres://{user}@{host}:{port}/{default['NAME']}_exam_day_bench"


def test_no_answer_is_lost_and_everyone_submits_once_when_a_web_worker_dies(postgres_required, redis_url):
    if not shutil.which("redis-server"):
        pytest.fail("redis-server is needed for the exam-day run")
    completed = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "exam_day.py"), "--candidates", "50", "--questions", "20",
         "--minutes", "0.75", "--think", "2", "--offline", "0.2", "--workers", "2", "--threads", "4",
         "--no-ramps", "--faults", "kill_worker"],
        capture_output=True, text=True, timeout=900, cwd=ROOT,
        env={"PATH": "/usr/bin:/bin:/usr/local/bin", "DATABASE_URL": bench_database_url(), "HOME": str(ROOT)},
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    assert [f["fault"] for f in result["fault_log"]] == ["kill_worker"]
    assert result["saves"] > 100
    assert result["acknowledged_answers"] > 0
    assert result["lost_answers"] == 0, {k: v for k, v in result.items() if "ramp" not in k}
    assert result["submissions"] == 50
    assert result["double_submissions"] == 0
    assert result["offline_candidates"] >= 1
    assert urlparse(bench_database_url()).path.endswith("_bench")
