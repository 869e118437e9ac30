"""What the benchmarks in bench/ share: Django set up against DATABASE_URL, the bench database created or
emptied, and the small figures every JSON line carries (percentiles, the machine's load average)."""

from __future__ import annotations

import json
import os
import socket
from urllib.parse import urlparse


def setup_django(*, settings: str = "lms.settings.dev", migrate: bool = True) -> None:
    """Set Django up with DEBUG off (no query log growing in memory) and, by default, migrate the database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    os.environ["DEBUG"] = "0"
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database `url` names when it is missing; any other engine needs nothing."""
    if not url.startswith("postgres"):
        return
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def empty_tables(tables: list[str]) -> None:
    """Empty fixed tables: one TRUNCATE on PostgreSQL (ids restarted), else a DELETE each, in the given order."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE " + ", ".join(tables) + " RESTART IDENTITY CASCADE")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names


def clear_bank() -> None:
    """Delete every question, version and knowledge point (a question points at its current version)."""
    from question_bank.models import KnowledgePoint, Question, QuestionVersion

    Question.objects.update(current_version=None)
    QuestionVersion.objects.all().delete()
    Question.objects.all().delete()
    KnowledgePoint.objects.all().delete()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], fraction: float) -> float:
    """The value at `fraction` of the sorted values (nearest rank, no interpolation)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def load_average(digits: int = 2) -> list[float]:
    """The 1, 5 and 15 minute load averages: the machine is shared, so every figure says how busy it was."""
    return [round(x, digits) for x in os.getloadavg()]


def print_figures(figures: dict) -> None:
    """The one JSON line a benchmark prints."""
    print(json.dumps(figures, ensure_ascii=False))
