"""The embedded default (SQLite) holds a classroom: parallel heartbeats and answer saves never fail with
"database is locked" (WAL, a busy timeout and IMMEDIATE transactions, set where the connection is made).

Each run is its own process on a SQLite file, like `make run`; the second run, with the connection options
taken away, shows the failure the settings prevent (so this test would catch their removal).
"""

import json
import os
import subprocess
import sys

from django.conf import settings

OFFICERS, ROUNDS = 30, 4


def classroom(tmp_path, *extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL", "CELERY_"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'classroom.sqlite3'}", DJANGO_SETTINGS_MODULE="lms.settings.test")
    done = subprocess.run(
        [sys.executable, "tests/sqlite_classroom.py", str(OFFICERS), str(ROUNDS), *extra],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_parallel_heartbeats_and_answer_saves_on_sqlite_never_hit_a_locked_database(tmp_path):
    result = classroom(tmp_path)
    assert result["journal_mode"] == "wal" and result["busy_timeout_ms"] >= 5000
    assert result["sent"] == OFFICERS * ROUNDS
    assert result["failures"] == []


def test_without_the_connection_settings_the_same_classroom_fails(tmp_path):
    result = classroom(tmp_path, "--plain")
    assert result["journal_mode"] == "delete"
    assert any("database is locked" in failure for failure in result["failures"])
