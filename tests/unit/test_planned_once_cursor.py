"""lms.core.db.planned_once_cursor: the hot statements are prepared once per connection on PostgreSQL, yet
behave as Django's own cursor for everything around them (results, errors, transactions, the query log);
on SQLite it is the ordinary cursor."""

from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

import pytest

from lms.core.db import planned_once_cursor
from lms.exams.models import Attempt, AttemptStatus, Delivery
from lms.exams.selectors import sitting_attempt
from lms.exams.services import sitting

from .exams.sitting_factories import open_session

pytestmark = [pytest.mark.django_db, pytest.mark.dual_db]

STATEMENT = "SELECT CAST(%(a)s AS integer) + CAST(%(b)s AS integer), CAST(%(label)s AS text)"


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_results_and_parameters_are_those_of_an_ordinary_cursor():
    for a, b in ((1, 2), (40_000, 2), (2**40, 1)):  # psycopg types each integer by its size
        with planned_once_cursor() as cursor:
            cursor.execute(STATEMENT.replace("integer", "bigint"), {"a": a, "b": b, "label": "依法行政"})
            assert cursor.fetchone() == (a + b, "依法行政")


def test_on_postgresql_the_statement_is_prepared_once_it_has_run_a_few_times_and_then_reused():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no server-side prepared statements; the ordinary cursor is used")
    threshold = connection.settings_dict["OPTIONS"]["prepare_threshold"]
    for a in range(threshold):  # a connection used for one request only never prepares: no extra round trip
        with planned_once_cursor() as cursor:
            cursor.execute(STATEMENT, {"a": a, "b": 1, "label": "x"})
    assert not [text for text in _prepared_statements() if "AS integer) + CAST" in text]
    for a in range(3):
        with planned_once_cursor() as cursor:
            cursor.execute(STATEMENT, {"a": a, "b": 1, "label": "x"})
            assert cursor.fetchone() == (a + 1, "x")
    prepared = [text for text in _prepared_statements() if "AS integer) + CAST" in text]
    assert len(prepared) == 1, prepared
    assert "$1" in prepared[0] and "%(a)s" not in prepared[0]  # the values travel apart from the text


def test_the_query_log_shows_the_statement_with_its_values():
    with CaptureQueriesContext(connection) as captured, planned_once_cursor() as cursor:
        cursor.execute(STATEMENT, {"a": 20, "b": 22, "label": "见证"})
    assert len(captured.captured_queries) == 1
    logged = captured.captured_queries[0]["sql"]
    assert "20" in logged and "22" in logged and "见证" in logged


def test_database_errors_are_djangos_and_leave_the_transaction_usable():
    _session, (attempt, _other) = open_session()
    with pytest.raises(IntegrityError), transaction.atomic(), planned_once_cursor() as cursor:
        cursor.execute("INSERT INTO exams_attempt (id) VALUES (%(id)s)", {"id": attempt.pk})
    assert Attempt.objects.filter(pk=attempt.pk).exists()


def test_the_sitting_statements_run_prepared_and_give_the_same_results():
    """The start, the save and the sitting's attempt go through it; run each several times on one connection."""
    _session, attempts = open_session(people=7, delivery=Delivery.ONLINE)
    for other in attempts[1:]:
        sitting.start_attempt(attempt=sitting_attempt(other.pk, other.user_id))
    attempt, token = sitting.start_attempt(attempt=sitting_attempt(attempts[0].pk, attempts[0].user_id))
    position = next(iter(sitting.paper_facts(attempt.pk).questions))
    meta = sitting.paper_facts(attempt.pk).questions[position]
    for seq in range(1, 8):
        answer = [meta.keys[0]] if meta.keys else None
        stored = sitting.save_answer(attempt=attempt.pk, user_id=attempt.user_id, device_token=token,
                                     position=position, seq=seq, answer=answer)
        assert stored["stored"] and stored["seq"] == seq
        loaded = sitting_attempt(attempt.pk, attempt.user_id)
        assert loaded.status == AttemptStatus.IN_PROGRESS and loaded.device_token == token
    # A stale sequence number is refused by the same prepared statement.
    assert sitting.save_answer(attempt=attempt.pk, user_id=attempt.user_id, device_token=token,
                               position=position, seq=5, answer=None)["stored"] is False
    if connection.vendor == "postgresql":
        prepared = "\n".join(_prepared_statements())
        assert "WITH open_attempt AS" in prepared and "WITH started AS" in prepared
        assert 'FROM "exams_attempt" a' in prepared
