"""/healthz reports each dependency and turns 503 when one is down, without crashing."""

from unittest import mock

from django.db import connection


def test_healthz_reports_all_dependencies_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker"}
    assert body["checks"]["database"] == {"ok": True, "detail": connection.vendor}


def test_healthz_reports_a_broken_database_with_503(client, db):
    with mock.patch("lms.core.views._check_database", side_effect=OSError("connection refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"]["ok"] is False
    assert "connection refused" in body["checks"]["database"]["detail"]
    assert body["checks"]["cache"]["ok"] is True


def test_healthz_reports_an_unreachable_broker_with_503(client, db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from lms.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = original
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False
