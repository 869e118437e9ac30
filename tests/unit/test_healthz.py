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


# Issue 15 item 7: details only to staff or from the local host; everyone else gets the status code.

REMOTE = {"REMOTE_ADDR": "10.20.30.40"}


def test_a_remote_anonymous_caller_gets_only_the_status(client, db):
    response = client.get("/healthz", **REMOTE)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_a_remote_caller_learns_nothing_about_a_failure_but_the_code(client, db):
    with mock.patch("lms.core.views._check_database", side_effect=OSError("connection refused to 10.0.0.5")):
        response = client.get("/healthz", **REMOTE)
    assert response.status_code == 503
    assert response.json() == {"status": "error"}
    assert b"10.0.0.5" not in response.content


def test_an_officer_gets_only_the_status(client, officer):
    client.force_login(officer)
    assert client.get("/healthz", **REMOTE).json() == {"status": "ok"}


def test_staff_get_the_details_from_anywhere(client, trainer):
    client.force_login(trainer)
    body = client.get("/healthz", **REMOTE).json()
    assert set(body["checks"]) == {"database", "cache", "broker"}


def test_the_local_host_gets_the_details(client, db):
    for address in ("127.0.0.1", "::1"):
        assert "checks" in client.get("/healthz", REMOTE_ADDR=address).json()


def test_a_forged_forwarded_header_does_not_pass_for_the_local_host(client, db):
    response = client.get("/healthz", REMOTE_ADDR="10.20.30.40", HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert response.json() == {"status": "ok"}
