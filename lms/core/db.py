"""Cursors for the few hand-written statements on the exam's hot path (the save, the start, the sitting's
attempt), which thousands of candidates send within minutes."""

import functools
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections


@contextmanager
def planned_once_cursor(alias: str = DEFAULT_DB_ALIAS):
    """A Django cursor whose statements PostgreSQL parses and plans once per connection, then reuses.

    Django's PostgreSQL cursors bind parameters on the client (its default), so every statement reaches the
    server as new text and is planned afresh: for the save's statement that is about a third of its time in
    the database. This cursor sends the parameters separately (server-side binding), so the text is the same
    each time, and psycopg prepares it once it has run `prepare_threshold` times on a connection (psycopg's
    default 5, which Django turns off and lms/settings/base.py turns back on; Django's own cursors bind on
    the client and never prepare). A connection kept across requests (DB_CONN_MAX_AGE) prepares each hot
    statement after its fifth request; one opened per request never prepares and pays nothing extra.
    It is still Django's cursor wrapper: the health check, error translation, query logging and execute
    wrappers (tests' query counts) apply as for `connection.cursor()`. Use it only for statements that name
    their columns: a prepared `SELECT *` would fail after a migration adds a column. Other databases (the
    embedded SQLite) get the ordinary cursor.

    Prepared statements live in the server session: behind a pooler in transaction mode (PgBouncer) give it
    `max_prepared_statements` or set DB_PREPARED_STATEMENTS=0, and the statements are planned every time.
    """
    db = connections[alias]
    if db.vendor != "postgresql":
        with db.cursor() as cursor:
            yield cursor
        return
    server_binding_cursor, logging_wrapper = _cursor_classes()
    # What BaseDatabaseWrapper._cursor() does, with the server-binding cursor class instead of the default.
    db.close_if_health_check_failed()
    db.ensure_connection()
    db.validate_thread_sharing()
    with db.wrap_database_errors:
        raw = server_binding_cursor(db.connection)
    cursor = logging_wrapper(raw, db) if db.queries_logged else db.make_cursor(raw)
    with cursor:
        yield cursor


@functools.cache
def _cursor_classes():
    from django.db.backends.postgresql.base import CursorDebugWrapper, ServerBindingCursor
    from django.db.backends.utils import CursorWrapper

    class LoggingWrapper(CursorDebugWrapper):
        """The query log (DEBUG, tests) shows the statement with its values, as for Django's own cursors: the
        default wrapper asks psycopg for the text it sent, which for a prepared statement is not kept."""

        def execute(self, sql, params=None):
            with self.debug_sql(self.db.ops.compose_sql(sql, params) if params is not None else sql, params):
                return CursorWrapper.execute(self, sql, params)

    return ServerBindingCursor, LoggingWrapper
