"""What one sitting request costs in one process, unloaded: the start (answered with the paper), a save, a
state poll and the floor (the cheapest signed-in page), through Django's whole WSGI stack.

    DATABASE_URL=postgres://…/request_costs_bench .venv/bin/python bench/request_costs.py [--candidates 300]

Prepares, on the database DATABASE_URL names (its name must end in `_bench`: it is dropped and recreated),
exam_day.py's session with --candidates candidates and their papers kept in the cache as issuing them does,
with the cache and sessions in a private Redis, DEBUG off and persistent connections, as in production.
Then calls the WSGI application directly (no network, no server), each candidate once per kind and round,
and prints one JSON line: the mean and median milliseconds of each kind and each one's ratio to the floor
measured in the same run. docs/scaling.md explains the figures; exam_day.py measures the same requests
under load.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import statistics
import sys
import time
import warnings
from pathlib import Path

warnings.filterwarnings("ignore", message="No directory at")  # no collected static files: not served here
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import exam_day  # noqa: E402 - the preparation and the private Redis are exam_day.py's

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/request_costs_bench"


def _environ(method: str, path: str, entry: dict, body: bytes = b"", *, json_body: bool = False,
             device_token: str = "") -> dict:
    cookie = f"sessionid={entry['session_key']}; csrftoken={entry['csrf']}"
    environ = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr, "SERVER_PROTOCOL": "HTTP/1.1", "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "application/json" if json_body else "application/x-www-form-urlencoded",
        "HTTP_X_CSRFTOKEN": entry["csrf"], "HTTP_REFERER": "http://127.0.0.1/", "HTTP_COOKIE": cookie,
    }
    if device_token:
        environ["HTTP_COOKIE"] += f"; exam_device_{entry['attempt_id']}={device_token}"
        environ["HTTP_X_DEVICE_TOKEN"] = device_token
    return environ


def _call(application, environ: dict) -> tuple[str, bytes]:
    status = []
    body = b"".join(application(environ, lambda code, headers, exc_info=None: status.append(code)))
    return status[0], body


def measure(candidates: int, rounds: int, database_url: str) -> dict:
    exam_day.check_database_url(database_url)
    exam_day.recreate_database(database_url)
    redis = exam_day.Redis()
    redis.start()
    try:
        env = {"DJANGO_SETTINGS_MODULE": "lms.settings.base", "DEBUG": "0", "DATABASE_URL": database_url,
               "DB_CONN_MAX_AGE": "600", "REDIS_URL": redis.url, "CELERY_BROKER_URL": redis.url,
               "CELERY_TASK_ALWAYS_EAGER": "1", "LOG_LEVEL": "ERROR", "ALLOWED_HOSTS": "127.0.0.1",
               "PYTHONWARNINGS": "ignore::UserWarning"}
        os.environ["EXAM_DAY_SERVER"] = "1"  # exam_day's WSGI module: the project's URLs plus /bench/floor/
        exam_day.setup_django(env)
        data = exam_day.prepare(candidates=candidates, questions=50, ramp_candidates=0, minutes=3)
        import importlib

        application = importlib.reload(exam_day).application
        from lms.exams.models import Attempt, AttemptEvent

        entries = data["exam"]
        times: dict[str, list[float]] = {"floor": [], "start": [], "save": [], "state": []}
        seq = 0  # rising across rounds: every save is newer than the stored answer, so each one writes
        for round_number in range(rounds + 1):  # round 0 warms the process (templates, frames, connections)
            Attempt.objects.filter(session_id=data["session_id"]).update(
                status="not_started", started_at=None, deadline=None, device_token="")
            AttemptEvent.objects.filter(attempt__session_id=data["session_id"]).delete()
            tokens = {}
            for kind in ("floor", "start", "save", "state"):
                for entry in entries:
                    attempt_url = f"/exams/attempt/{entry['attempt_id']}/"
                    if kind == "floor":
                        environ = _environ("GET", "/bench/floor/", entry)
                    elif kind == "start":
                        environ = _environ("POST", attempt_url + "start/", entry)
                    elif kind == "save":
                        seq += 1
                        question = entry["questions"][seq % len(entry["questions"])]
                        body = json.dumps({"position": question["position"], "seq": seq,
                                           "answer": _answer(question)}).encode()
                        environ = _environ("POST", attempt_url + "save/", entry, body, json_body=True,
                                           device_token=tokens[entry["attempt_id"]])
                    else:
                        environ = _environ("GET", attempt_url + "state/", entry,
                                           device_token=tokens[entry["attempt_id"]])
                    began = time.perf_counter()
                    status, body = _call(application, environ)
                    elapsed = time.perf_counter() - began
                    if not status.startswith("200"):
                        raise RuntimeError(f"{kind}: {status} {body[:300]!r}")
                    if kind == "start":
                        tokens[entry["attempt_id"]] = re.search(rb'data-device-token="([^"]+)"', body).group(1).decode()
                    if round_number:
                        times[kind].append(elapsed)
    finally:
        redis.stop()
    result = {"bench": "request_costs", "candidates": candidates, "rounds": rounds,
              "load": exam_day.load_average()}
    floor_mean = statistics.fmean(times["floor"])
    for kind, values in times.items():
        result[f"{kind}_mean_ms"] = round(1000 * statistics.fmean(values), 2)
        result[f"{kind}_median_ms"] = round(1000 * statistics.median(values), 2)
        if kind != "floor":
            result[f"{kind}_over_floor"] = round(statistics.fmean(values) / floor_mean, 2)
    return result


def _answer(question: dict):
    """A valid answer of the question's type (the first option, true, a number, a short text)."""
    kind = question["type"]
    if kind in ("single", "multiple"):
        return [question["keys"][0]]
    if kind == "true_false":
        return [True]
    if kind == "fill_blank":
        return ["30"] * question["blanks"]
    return ["依法行政"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    print(json.dumps(measure(args.candidates, args.rounds, os.environ.get("DATABASE_URL") or DEFAULT_DB),
                     ensure_ascii=False))


if __name__ == "__main__":
    main()
