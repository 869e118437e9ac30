"""A small deployment for tests: two gunicorn web nodes and a Celery worker sharing this test's PostgreSQL
database, Redis (cache, sessions, broker) and one private storage folder (docs/deploy.md, "a city")."""

import os
import socket
import subprocess
import sys
import time

from django.conf import settings
from django.db import connection

import pytest
import requests


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            with open(process.log_path, encoding="utf-8", errors="replace") as log:
                raise AssertionError(f"{url} exited: {log.read()[-3000:]}")
        try:
            requests.get(url + "/healthz", timeout=10)
            return
        except requests.RequestException:
            time.sleep(0.5)
    raise AssertionError(f"{url} did not start")


@pytest.fixture
def cluster(postgres_required, redis_url, transactional_db, tmp_path):
    """Two gunicorn nodes and a Celery worker on this test's database, Redis and storage folder."""
    db = connection.settings_dict
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "PYTEST"))},
        "DJANGO_SETTINGS_MODULE": "lms.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "CELERY_RESULT_BACKEND": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }
    processes = []

    def start(args):
        # Output goes to a file: an unread pipe fills up (64 KiB of warnings) and then blocks the process in
        # the middle of a request or a job, which looked like a job that never finished.
        log = open(tmp_path / f"process-{len(processes)}.log", "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(args, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   text=True)
        process.log_path = log.name
        processes.append(process)
        return process

    nodes = []
    for _ in range(2):
        port = free_port()
        process = start([sys.executable, "-m", "gunicorn", "lms.wsgi", "--bind", f"127.0.0.1:{port}",
                         "--workers", "1", "--timeout", "120"])
        nodes.append((f"http://127.0.0.1:{port}", process))
    start([sys.executable, "-m", "celery", "-A", "lms", "worker", "--pool=solo", "-Q", "imports,exports,celery",
           "--loglevel=WARNING"])
    try:
        for url, process in nodes:
            wait_until_up(url, process)
        yield [url for url, _ in nodes], tmp_path / "private"
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
