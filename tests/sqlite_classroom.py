"""A classroom against the embedded default: many officers' heartbeats and practice answers at once.

Run as a script by tests/unit/test_sqlite_concurrency.py, in its own process, against a SQLite *file*
(the `make run` database), so the connection settings under test are exactly the ones base.py makes.
Prints one JSON line: requests sent, failures, and the journal mode and busy timeout in force.
"""

import contextlib
import json
import os
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402


def main(officers: int, rounds: int, plain: bool) -> None:
    if plain:  # the settings before the fix: default journal, no busy timeout, deferred transactions
        options = connection.settings_dict["OPTIONS"]
        options.clear()
        options["timeout"] = 0
        connection.close()
    call_command("migrate", verbosity=0)
    from tests.conftest import make_user
    from tests.unit.courses import factories

    course = factories.make_course()
    lessons = [factories.make_lesson(course, title=f"第{n}课", slug=f"l{n}") for n in range(4)]
    question = factories.make_question()
    users = [make_user(f"officer{n}") for n in range(officers)]
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal = cursor.fetchone()[0]
        cursor.execute("PRAGMA busy_timeout")
        busy_timeout = cursor.fetchone()[0]
    connection.close()

    barrier = threading.Barrier(officers)
    failures: list[str] = []
    sent = [0]
    lock = threading.Lock()

    clients = []
    for user in users:
        client = Client(raise_request_exception=True, HTTP_HOST="127.0.0.1")
        client.force_login(user)
        clients.append(client)
    connection.close()

    def officer(n: int) -> None:
        client = clients[n]
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=60)
        for r in range(rounds):
            try:
                if (n + r) % 2:
                    response = client.post(f"/learn/lessons/{lessons[(n + r) % 4].pk}/heartbeat/", {"reached_end": "0"})
                else:
                    response = client.post(f"/learn/practice/{question.pk}/answer/", {"answer": "A"})
                ok = response.status_code == 200
                message = f"HTTP {response.status_code}"
            except Exception as exc:  # "database is locked" arrives as an OperationalError
                ok, message = False, f"{type(exc).__name__}: {exc}"
            with lock:
                sent[0] += 1
                if not ok:
                    failures.append(message)
        connections.close_all()

    threads = [threading.Thread(target=officer, args=(n,)) for n in range(officers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps({"sent": sent[0], "failures": failures[:20], "failed": len(failures),
                      "journal_mode": journal, "busy_timeout_ms": busy_timeout}))


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), "--plain" in sys.argv)
