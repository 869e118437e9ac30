"""Against the real services: PostgreSQL, Redis as cache, and a Celery worker process over Redis."""

import os
import subprocess
import sys
import uuid

from django.conf import settings
from django.db import connection

import pytest
from celery import Celery

from tests.conftest import make_user

pytestmark = pytest.mark.integration


def test_the_suite_runs_on_postgresql(postgres_required, db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        assert int(cursor.fetchone()[0].split(".")[0]) >= 13


def test_redis_cache_round_trip_with_one_client_reused(redis_url):
    from lms.core.redis_cache import ReusingRedisCache

    cache = ReusingRedisCache(redis_url, {})
    key = f"it-{uuid.uuid4().hex}"
    cache.set(key, {"考试": 1}, 30)
    assert cache.get(key) == {"考试": 1}
    assert cache._cache.get_client(key) is cache._cache.get_client(key, write=True)  # built once, not per call
    # A connection the server dropped (a Redis restart on exam day) is replaced by the client's pool.
    cache._cache.get_client(key).client_kill_filter(_id=cache._cache.get_client(key).client_id())
    assert cache.get(key) == {"考试": 1}
    cache.delete(key)


@pytest.fixture
def celery_worker_process(postgres_required, redis_url, transactional_db):
    """Start a real `celery worker` on a private queue, pointed at this test's database."""
    queue = f"it-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.test",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": redis_url,
        "CELERY_RESULT_BACKEND": redis_url,
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "lms", "worker", "--pool=solo", "-Q", queue, "--loglevel=WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    # A client app of its own, so the project's app (eager in tests) is left untouched; not made the current
    # app either, or later tests' patches of the project's tasks (shared_task proxies) would miss.
    client = Celery("it-client", broker=redis_url, backend=redis_url, set_as_current=False)
    client.conf.update(task_serializer="json", accept_content=["json"], result_serializer="json")
    try:
        yield client, queue
    finally:
        client.close()
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
        if worker.returncode not in (0, -15):
            print(output)


def test_a_task_runs_on_a_real_worker_and_reads_the_database(celery_worker_process):
    client, queue = celery_worker_process
    make_user("worker-check-1")
    make_user("worker-check-2")
    result = client.send_task("lms.core.tasks.count_active_users", queue=queue)
    assert result.get(timeout=90) == 2


def test_healthz_reports_the_real_broker(client, redis_url, settings, db):
    from lms.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    saved = app.conf.broker_url
    app.conf.broker_url = redis_url
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = saved
    assert response.status_code == 200, response.content
    assert response.json()["checks"]["broker"]["ok"] is True
