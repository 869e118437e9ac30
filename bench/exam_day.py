"""Exam day under load (and faults): N candidates on gunicorn + PostgreSQL + Redis + a Celery worker.

    .venv/bin/python bench/exam_day.py [--candidates 1000] [--questions 50] [--minutes 3] [--think 20]
                                       [--workers 3] [--threads 4] [--spread 2] [--faults]

Prepares, on the PostgreSQL database DATABASE_URL names (default .../exam_day_bench; a name that does not
end in `_bench` is refused, because the database is emptied), a session with --candidates candidates and
issued papers of --questions questions, every candidate signed in beforehand. Starts its own Redis (cache,
sessions, Celery broker) on a free port, gunicorn (production-like: DEBUG off, persistent connections, the
project's URLs plus /bench/floor/, a login-required view that answers "ok") and a Celery worker. Then:

  exam    all candidates start within --spread seconds of one barrier (start = the start POST, answered
          with the paper itself), each saves an answer every --think seconds on average (random think
          time), changes some answers, 10 % lose the network for a while and resend their queue in one
          burst, and everyone submits after --minutes; clients retry on errors as the page does.
  floor   the same candidates, pacing and duration against the floor view (the cheapest signed-in page).
  ramps   closed-loop saves and floor requests at rising concurrency: the highest throughput with p95 under
          500 ms is max_save_rps / max_floor_rps.
  check   every acknowledged save is compared with the database (lost_answers), and submissions counted
          (each attempt submitted exactly once, by its SUBMITTED event).

--faults also kills one gunicorn worker with SIGKILL, restarts the bench's Redis and restarts PostgreSQL
(pg_ctlcluster, so only where the bench may restart the local cluster) during the exam phase.
Prints one JSON line. `run()` is what tests/integration/exams/test_exam_day.py calls at a small scale.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/exam_day_bench"
RAMP_STEPS = (2, 4, 8, 16, 32, 64)
RAMP_SECONDS = 8
P95_LIMIT_MS = 500

# --- The WSGI app gunicorn serves (`exam_day:application`) --------------------------------------------

if os.environ.get("EXAM_DAY_SERVER") == "1":
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.decorators import login_required
    from django.core.wsgi import get_wsgi_application
    from django.http import HttpResponse
    from django.urls import path

    from lms import urls as project_urls

    @login_required
    def floor(request):
        return HttpResponse("ok", content_type="text/plain")

    urlpatterns = [path("bench/floor/", floor), *project_urls.urlpatterns]
    settings.ROOT_URLCONF = __name__
    application = get_wsgi_application()


# --- helpers -----------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def ms(value: float | None) -> float | None:
    return None if value is None else round(1000 * value, 1)


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def check_database_url(url: str) -> str:
    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if not url.startswith("postgres"):
        raise SystemExit("exam_day.py measures on PostgreSQL: set DATABASE_URL=postgres://…/…_bench")
    if not name.endswith("_bench"):
        raise SystemExit(f"refusing database “{name}”: its name must end in _bench (it is emptied)")
    return name


def recreate_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = check_database_url(url)
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


class Redis:
    """A private Redis for the run (cache, sessions, broker), so a restart hurts nobody else."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


# --- preparation (in this process, against the bench database) ------------------------------------------

def setup_django(env: dict) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(BENCH))
    import django

    django.setup()


def prepare(*, candidates: int, questions: int, ramp_candidates: int, minutes: float) -> dict:
    """Roster, bank, blueprint, an open online session with every candidate's paper issued, and a signed-in
    session per candidate. Returns what the load generators need."""
    import datetime as dt
    from decimal import Decimal

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.core.management import call_command
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    import exam_prepare

    from lms.exams.models import Attempt, Delivery, ExamSession, Response
    from lms.exams.services.draw import draw_candidates
    from lms.exams.services.papers import issue_papers
    from lms.exams.services.sessions import open_session
    from lms.roster.models import Person, Position

    call_command("migrate", verbosity=0, interactive=False)
    total = candidates + ramp_candidates
    squads = max(1, total // 25)
    exam_prepare.build_roster(total + squads, squads)  # a few more people than needed; every one sits
    people = list(Person.objects.order_by("id"))
    unusable = make_password(None)
    User = get_user_model()
    User.objects.bulk_create([User(username=p.id_number, last_name=p.name, password=unusable) for p in people],
                             batch_size=2000)
    users = {u.username: u for u in User.objects.filter(username__in=[p.id_number for p in people])}
    for person in people:
        person.user = users[person.id_number]
    Person.objects.bulk_update(people, ["user"], batch_size=2000)
    kps = exam_prepare.build_bank(max(500, questions * 10))
    blueprint = exam_prepare.build_blueprint(kps, questions)

    now = timezone.now()
    session = ExamSession.objects.create(
        code="EXAM-DAY", title="考试日压力测试", year=now.year, blueprint=blueprint, delivery=Delivery.ONLINE,
        starts_at=now - dt.timedelta(minutes=1), ends_at=now + dt.timedelta(hours=4),
        duration_minutes=max(30, int(minutes * 4)), mandatory_positions=[str(p) for p in Position.values],
        sampled_positions=[], sample_rate=Decimal("0"), sample_minimum=0,
    )
    draw_candidates(session=session, seed="exam-day-bench")
    issue_papers(session=session)
    open_session(session=session)
    # Papers are issued the day before: their pages are rendered and the saves' facts kept then (the task
    # that issuing and opening queue), not at 9:00.
    from lms.exams.tasks import warm_paper_pages_task

    warm_paper_pages_task(session.pk)

    attempts = list(Attempt.objects.filter(session=session).select_related("user").order_by("id"))
    meta = {}
    for position_row in (Response.objects.filter(attempt__session=session)
                         .values("attempt_id", "position", "paper_question__version__question__type",
                                 "paper_question__version__options", "paper_question__version__answer")):
        kind = position_row["paper_question__version__question__type"]
        options = position_row["paper_question__version__options"] or []
        meta.setdefault(position_row["attempt_id"], []).append({
            "position": position_row["position"], "type": kind,
            "keys": list("ABCDEFGH"[: len(options)]) if kind in ("single", "multiple") else [],
            "blanks": len(position_row["paper_question__version__answer"] or []) if kind == "fill_blank" else 0,
        })
    entries = []
    for attempt in attempts[:total]:
        store = SessionStore()
        store[SESSION_KEY] = str(attempt.user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = attempt.user.get_session_auth_hash()
        store.create()
        entries.append({"attempt_id": attempt.pk, "session_key": store.session_key,
                        "csrf": get_random_string(32), "questions": meta[attempt.pk]})
    return {"session_id": session.pk, "exam": entries[:candidates], "ramp": entries[candidates:total]}


def start_ramp_attempts(entries: list[dict]) -> None:
    """The ramp's attempts are started here (not measured), so the ramp measures saves only."""
    from lms.exams.models import Attempt
    from lms.exams.services.sitting import start_attempt

    for entry in entries:
        attempt = Attempt.objects.select_related("session").get(pk=entry["attempt_id"])
        _, entry["device_token"] = start_attempt(attempt=attempt)


def check_answers(session_id: int, acked: dict) -> dict:
    """Every acknowledged save must be in the database: the same sequence number with the same answer, or
    a newer one (a later acknowledged save of the same question)."""
    from django.db.models import Count, Q

    from lms.exams.models import Attempt, AttemptEventKind, AttemptStatus, Response

    stored = {f"{r['attempt_id']}:{r['position']}": (r["seq"], r["answer"])
              for r in Response.objects.filter(attempt__session_id=session_id).values("attempt_id", "position",
                                                                                        "seq", "answer")}
    lost = 0
    for key, (seq, answer) in acked.items():
        db_seq, db_answer = stored.get(key, (0, None))
        if db_seq < seq or (db_seq == seq and _canonical(db_answer) != _canonical(answer)):
            lost += 1
    submitted = Attempt.objects.filter(session_id=session_id, status=AttemptStatus.SUBMITTED)
    events = submitted.annotate(n=Count("events", filter=Q(events__kind=AttemptEventKind.SUBMITTED)))
    return {
        "lost_answers": lost,
        "acknowledged_answers": len(acked),
        "submissions": submitted.count(),
        "double_submissions": sum(1 for a in events if a.n != 1),
    }


def _canonical(answer):
    if isinstance(answer, list):
        return sorted(str(x).strip().upper() if isinstance(x, str) else str(x) for x in answer)
    return answer


# --- processes ---------------------------------------------------------------------------------------------

class Stack:
    """gunicorn and a Celery worker against the bench database and Redis."""

    def __init__(self, env: dict, workers: int, threads: int):
        self.env = env
        self.workers = workers
        self.threads = threads
        self.port = free_port()
        self.gunicorn = self.celery = None

    def start(self) -> None:
        worker_class = ["--worker-class", "gthread", "--threads", str(self.threads)] if self.threads > 1 else [
            "--worker-class", "sync"]
        self.gunicorn = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "exam_day:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(self.workers), *worker_class, "--keep-alive", "75", "--backlog", "2048",
             "--timeout", "60", "--preload", "--pythonpath", f"{ROOT},{BENCH}", "--log-level", "warning"],
            env={**os.environ, **self.env, "EXAM_DAY_SERVER": "1"}, cwd=ROOT)
        self.celery = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "lms", "worker", "--concurrency", "1", "--loglevel", "WARNING",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            env={**os.environ, **self.env}, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.wait_up()

    def wait_up(self, timeout: float = 60) -> None:
        import http.client

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status in (200, 503):
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not start")

    def worker_pids(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.gunicorn.pid)], capture_output=True, text=True).stdout
        return [int(pid) for pid in out.split()]

    def stop(self) -> None:
        for process in (self.gunicorn, self.celery):
            if process and process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in (self.gunicorn, self.celery):
            if process:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()


def run_locust(*, mode: str, entries: list[dict], host: str, users: int, run_time: float, env: dict,
               workdir: Path, barrier: float = 0.0, seconds: float = 0.0, think: float = 20.0,
               offline: float = 0.1, spawn_rate: float | None = None, spread: float = 2.0
               ) -> tuple[dict, subprocess.Popen]:
    """Start one headless Locust process; returns (paths, process). The caller waits on the process."""
    candidates_file = workdir / f"{mode}-{users}-candidates.json"
    out_file = workdir / f"{mode}-{users}-out.json"
    candidates_file.write_text(json.dumps(entries), encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "locust", "-f", str(BENCH / "exam_day_locust.py"), "--headless",
         "--host", host, "-u", str(users), "-r", str(spawn_rate or users), "--run-time", f"{int(run_time)}s",
         "--stop-timeout", "120", "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0"],
        env={**os.environ, **env, "EXAM_DAY_MODE": mode, "EXAM_DAY_CANDIDATES": str(candidates_file),
             "EXAM_DAY_OUT": str(out_file), "EXAM_DAY_BARRIER": str(barrier), "EXAM_DAY_SECONDS": str(seconds),
             "EXAM_DAY_THINK": str(think), "EXAM_DAY_OFFLINE": str(offline), "EXAM_DAY_SPREAD": str(spread)},
        cwd=BENCH, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return {"out": out_file}, process


def finish_locust(paths: dict, process: subprocess.Popen, timeout: float) -> dict:
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    if not paths["out"].exists():
        raise RuntimeError(f"locust wrote no results: {stderr[-2000:]}")
    return json.loads(paths["out"].read_text(encoding="utf-8"))


FAULTS = ("kill_worker", "restart_redis", "restart_postgres")


def inject_faults(stack: Stack, redis: Redis, began: float, seconds: float, log: list, faults=FAULTS) -> None:
    """Kill one gunicorn worker, restart Redis, restart PostgreSQL, spread over the sitting."""
    schedule = [(0.25, "kill_worker"), (0.5, "restart_redis"), (0.7, "restart_postgres")]
    for share, fault in schedule:
        if fault not in faults:
            continue
        time.sleep(max(0.0, began + share * seconds - time.time()))
        if fault == "kill_worker":
            pids = stack.worker_pids()
            if pids:
                os.kill(random.choice(pids), signal.SIGKILL)
        elif fault == "restart_redis":
            redis.stop()
            time.sleep(2)
            redis.process = None
            redis.start()
        elif fault == "restart_postgres":
            version = sorted(os.listdir("/etc/postgresql"))[-1]
            subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "stop", "-m", "fast"],
                           check=True)
            time.sleep(3)
            subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=True)
        log.append({"fault": fault, "at_s": round(time.time() - began, 1)})


# --- the run -------------------------------------------------------------------------------------------------

def run(*, candidates: int = 1000, questions: int = 50, minutes: float = 3.0, think: float = 20.0,
        workers: int = 3, threads: int = 4, faults: tuple[str, ...] = (), ramps: bool = True,
        floor: bool = True, database_url: str | None = None, offline: float = 0.1, spread: float = 2.0) -> dict:
    database_url = database_url or os.environ.get("DATABASE_URL") or DEFAULT_DB
    check_database_url(database_url)
    recreate_database(database_url)
    redis = Redis()
    redis.start()
    env = {
        "DJANGO_SETTINGS_MODULE": "lms.settings.base", "DEBUG": "0", "DATABASE_URL": database_url,
        "DB_CONN_MAX_AGE": "600", "REDIS_URL": redis.url, "CELERY_BROKER_URL": redis.url,
        "CELERY_RESULT_BACKEND": "", "CELERY_TASK_ALWAYS_EAGER": "0", "LOG_LEVEL": "WARNING",
        "ALLOWED_HOSTS": "127.0.0.1,localhost", "PYTHONWARNINGS": "ignore::UserWarning",
    }
    workdir = Path(tempfile.mkdtemp(prefix="exam-day-"))
    stack = Stack(env, workers, threads)
    result: dict = {"bench": "exam_day", "candidates": candidates, "questions": questions, "minutes": minutes,
                    "server": f"gunicorn {'gthread' if threads > 1 else 'sync'} {workers}x{threads}",
                    "faults": list(faults), "start_spread_s": spread}
    try:
        setup_django(env)
        prepared_at = time.perf_counter()
        data = prepare(candidates=candidates, questions=questions, ramp_candidates=max(RAMP_STEPS) if ramps else 0,
                       minutes=minutes)
        result["prepare_s"] = round(time.perf_counter() - prepared_at, 1)
        stack.start()
        host = f"http://127.0.0.1:{stack.port}"
        if ramps:
            start_ramp_attempts(data["ramp"])
            warm_up(stack.port, data["ramp"], workers * threads * 2)
        seconds = minutes * 60
        # Everyone is spawned (connections idle) before the barrier; then all start within `spread` seconds.
        spawn_rate = max(50, candidates / 10)
        barrier = time.time() + candidates / spawn_rate + 5
        result["load_before"] = load_average()
        paths, process = run_locust(mode="exam", entries=data["exam"], host=host, users=candidates,
                                    run_time=(barrier - time.time()) + seconds + 180, env=env, workdir=workdir,
                                    barrier=barrier, seconds=seconds, think=think, offline=offline,
                                    spawn_rate=spawn_rate, spread=spread)
        fault_log: list = []
        if faults:
            inject_faults(stack, redis, barrier + 2, seconds, fault_log, faults)
        exam = finish_locust(paths, process, timeout=(barrier - time.time()) + seconds + 400)
        result["load_during"] = load_average()
        result["fault_log"] = fault_log
        # Let the worker mark what was queued, then check every acknowledged answer against the database.
        from django.db import connections

        connections.close_all()
        checked = check_answers(data["session_id"], exam["acked"])
        result.update({
            "start_p50_ms": ms(percentile(exam["starts"], 0.5)), "start_p95_ms": ms(percentile(exam["starts"], 0.95)),
            "save_p50_ms": ms(percentile(exam["saves"], 0.5)), "save_p95_ms": ms(percentile(exam["saves"], 0.95)),
            "save_max_ms": ms(max(exam["saves"], default=None)),
            # Saves sent once every candidate had started: the hour of the exam after its first minute.
            "save_p95_after_starts_ms": ms(percentile(_after_starts(exam), 0.95)),
            "saves": len(exam["saves"]), "save_rate_per_s": round(len(exam["saves"]) / seconds, 1),
            "retries": exam["retries"], "errors": len(exam["errors"]),
            "error_samples": exam["errors"][:5], "offline_candidates": exam["offline_candidates"],
            **checked,
            "submissions_acknowledged": len(exam["submitted"]),
        })
        if floor:
            barrier = time.time() + candidates / spawn_rate + 5
            paths, process = run_locust(mode="floor", entries=data["exam"], host=host, users=candidates,
                                        run_time=(barrier - time.time()) + seconds + 60, env=env, workdir=workdir,
                                        barrier=barrier, seconds=seconds, think=think, spawn_rate=spawn_rate,
                                        spread=spread)
            floor_run = finish_locust(paths, process, timeout=(barrier - time.time()) + seconds + 300)
            result["floor_requests"] = len(floor_run["floor"])
            result["floor_p50_ms"] = ms(percentile(floor_run["floor"], 0.5))
            result["floor_p95_ms"] = ms(percentile(floor_run["floor"], 0.95))
            result["floor_start_p50_ms"] = ms(percentile(floor_run["starts"], 0.5))
            result["floor_start_p95_ms"] = ms(percentile(floor_run["starts"], 0.95))
            result["floor_errors"] = len(floor_run["errors"])
            if result["floor_p95_ms"]:
                result["save_p95_over_floor_p95"] = round(result["save_p95_ms"] / result["floor_p95_ms"], 2)
                if result["save_p95_after_starts_ms"]:
                    result["save_p95_after_starts_over_floor_p95"] = round(
                        result["save_p95_after_starts_ms"] / result["floor_p95_ms"], 2)
        if ramps:
            result["max_save_rps"], result["save_ramp"] = ramp("ramp_save", data["ramp"], host, env, workdir)
            result["max_floor_rps"], result["floor_ramp"] = ramp("ramp_floor", data["ramp"], host, env, workdir)
        result["load_after"] = load_average()
    finally:
        stack.stop()
        redis.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    return result


def _after_starts(exam: dict) -> list[float]:
    """The save times of the saves sent after the last candidate's start completed."""
    if not exam.get("start_ends"):
        return []
    last_start = max(exam["start_ends"])
    return [elapsed for sent, elapsed in zip(exam["save_sent"], exam["saves"], strict=True) if sent > last_start]


def warm_up(port: int, entries: list[dict], requests: int) -> None:
    """A server on exam day has served pages before: each worker thread loads the paper page once, so the
    first candidates do not pay for importing templates (not measured)."""
    import http.client
    from concurrent.futures import ThreadPoolExecutor

    def fetch(entry):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        cookie = (f"sessionid={entry['session_key']}; exam_device_{entry['attempt_id']}={entry['device_token']}")
        conn.request("GET", f"/exams/attempt/{entry['attempt_id']}/", headers={"Cookie": cookie})
        conn.getresponse().read()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(fetch, [entries[i % len(entries)] for i in range(requests)]))


def ramp(mode: str, entries: list[dict], host: str, env: dict, workdir: Path) -> tuple[float, list[dict]]:
    """Closed loop at rising concurrency; the best throughput whose p95 stays under P95_LIMIT_MS."""
    steps, best = [], 0.0
    for index, users in enumerate(RAMP_STEPS):
        batch = [{**entry, "seq_base": (index + 1) * 10_000_000} for entry in entries[:users]]
        paths, process = run_locust(mode=mode, entries=batch, host=host, users=users, run_time=RAMP_SECONDS + 30,
                                    env=env, workdir=workdir, seconds=RAMP_SECONDS)
        out = finish_locust(paths, process, timeout=RAMP_SECONDS + 120)
        samples = out["saves" if mode == "ramp_save" else "floor"]
        if not samples:
            continue
        first = min(s[0] for s in samples)
        settled = [s for s in samples if s[0] >= first + 1.0]  # skip the first second (connections opening)
        span = max(s[0] for s in settled) - min(s[0] for s in settled) if len(settled) > 1 else 0
        rps = round(len(settled) / span, 1) if span else 0.0
        p95 = ms(percentile([s[1] for s in settled], 0.95))
        steps.append({"users": users, "rps": rps, "p95_ms": p95, "errors": len(out["errors"])})
        if p95 is not None and p95 <= P95_LIMIT_MS and not out["errors"]:
            best = max(best, rps)
        else:
            break
    return best, steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=1000)
    parser.add_argument("--questions", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=3.0, help="how long each candidate sits")
    parser.add_argument("--think", type=float, default=20.0, help="mean seconds between two saves")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--faults", nargs="*", choices=FAULTS, default=None,
                        help="inject faults during the exam: all of them, or those named")
    parser.add_argument("--no-ramps", action="store_true")
    parser.add_argument("--no-floor", action="store_true")
    parser.add_argument("--offline", type=float, default=0.1, help="share of candidates who lose the network")
    parser.add_argument("--spread", type=float, default=2.0, help="seconds within which every candidate starts")
    args = parser.parse_args()
    faults = () if args.faults is None else tuple(args.faults or FAULTS)
    result = run(candidates=args.candidates, questions=args.questions, minutes=args.minutes, think=args.think,
                 workers=args.workers, threads=args.threads, faults=faults, ramps=not args.no_ramps,
                 floor=not (args.no_floor or faults), offline=args.offline, spread=args.spread)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
