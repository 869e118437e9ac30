"""Lesson-page throughput and latency on gunicorn, against a minimal Django view on the same server.

    .venv/bin/python bench/course_pages.py [--requests 400] [--concurrency 8] [--workers 2] [--blocks 40]

Seeds a PostgreSQL database (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/courses_bench; created
if missing), starts gunicorn on a free port with this module as its WSGI app (the project's URLs plus
/bench/floor/, a view that returns "ok"), and fires the same number of concurrent requests, signed in as an
officer, at a lesson page of --blocks blocks and at the floor view. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import ensure_database, free_port, print_figures, setup_django  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/courses_bench"
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "lms.settings.base",  # DEBUG off; plain static storage (no manifest needed)
    "DEBUG": "0",
    "DB_CONN_MAX_AGE": "60",  # persistent connections, as in production
    "LOG_LEVEL": "WARNING",
    "PYTHONWARNINGS": "ignore::UserWarning",  # whitenoise notes the absent STATIC_ROOT; irrelevant here
}

# --- The WSGI app gunicorn serves (imported as `course_pages:application`) ----------------------------

if os.environ.get("COURSE_PAGES_BENCH_SERVER") == "1":
    setup_django(migrate=False)
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application
    from django.http import HttpResponse
    from django.urls import path

    from lms import urls as project_urls

    def floor(request):
        return HttpResponse("ok", content_type="text/plain")

    urlpatterns = [path("bench/floor/", floor), *project_urls.urlpatterns]
    settings.ROOT_URLCONF = __name__
    application = get_wsgi_application()


# --- Seeding ---------------------------------------------------------------------------------------

def seed(blocks: int) -> tuple[str, str]:
    """Migrate, create an officer and a lesson of `blocks` blocks; returns (lesson path, session cookie)."""
    setup_django()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore

    from wagtail.models import Site

    from courses.models import CourseIndexPage, CoursePage, LessonPage
    from lms.core import roles
    from question_bank.models import KnowledgePoint, Question, QuestionStatus

    roles.sync_role_permissions()
    user, _ = get_user_model().objects.get_or_create(username="bench_officer", defaults={"last_name": "测"})
    user.groups.add(Group.objects.get(name=roles.OFFICER))

    point = KnowledgePoint.objects.filter(code="BENCH").first() or KnowledgePoint.add_root(code="BENCH", name="基准")
    codes = []
    for n in range(5):
        question, _ = Question.objects.get_or_create(code=f"BENCH-{n}", defaults={
            "type": "single", "stem": f"基准题{n}：保管费用由谁承担？", "options": ["当事人", "行政机关", "第三人"],
            "answer": ["B"], "knowledge_point": point, "status": QuestionStatus.ACTIVE,
        })
        codes.append(question.code)

    index = CourseIndexPage.objects.first()
    if index is None:
        index = CourseIndexPage(title="课程中心", slug="courses")
        Site.objects.get(is_default_site=True).root_page.add_child(instance=index)
        index.save_revision().publish()
    course = CoursePage.objects.filter(slug="bench").first()
    if course is None:
        course = CoursePage(title="基准课程", slug="bench", summary="基准")
        index.add_child(instance=course)
        course.save_revision().publish()
    slug = f"lesson-{blocks}"
    lesson = LessonPage.objects.child_of(course).filter(slug=slug).first()
    if lesson is None:
        kinds = [
            ("paragraph", "<p>宪法是国家的根本法，具有最高的法律效力。一切国家机关都必须遵守宪法和法律。</p>"),
            ("law_article", {"law": "中华人民共和国行政强制法", "article": "第二十六条", "text": "因查封、扣押发生的保管费用由行政机关承担。"}),
            ("key_point", {"title": "要点", "text": "<p>二十四小时内报告并补办批准手续。</p>"}),
            ("case_study", {"title": "案例", "facts": "中队扣押了三轮车。", "question": "能否收取保管费？", "analysis": "<p>不能。</p>"}),
            ("practice", {"title": "练习", "questions": list(codes[:2])}),
        ]
        body = [kinds[n % len(kinds)] for n in range(blocks)]
        lesson = LessonPage(title=f"基准课时（{blocks}块）", slug=slug, body=body)
        course.add_child(instance=lesson)
        lesson.save_revision().publish()

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return lesson.url, f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


# --- Load --------------------------------------------------------------------------------------

def wait_until_up(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/bench/floor/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def load(port: int, path: str, cookie: str, requests: int, concurrency: int, expect: bytes) -> dict:
    latencies: list[float] = []
    errors = []
    lock = threading.Lock()
    remaining = iter(range(requests))

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                if next(remaining, None) is None:
                    return
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
                response = conn.getresponse()
                body = response.read()
                ok = response.status == 200 and expect in body
            except (OSError, http.client.HTTPException) as exc:
                ok, body = False, str(exc).encode()
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors.append(body[:200])

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "rps": round(len(latencies) / wall, 1),
        "p50_ms": round(1000 * statistics.median(latencies), 1),
        "p95_ms": round(1000 * latencies[int(0.95 * (len(latencies) - 1))], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--blocks", type=int, default=40)
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DB
    if not database_url.startswith("postgres"):
        sys.exit("course_pages.py measures on PostgreSQL: set DATABASE_URL=postgres://…")
    ensure_database(database_url)
    os.environ.update(SERVER_ENV, DATABASE_URL=database_url)
    lesson_path, cookie = seed(args.blocks)

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "course_pages:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(args.workers), "--worker-class", "sync", "--keep-alive", "5",
         "--pythonpath", f"{ROOT},{ROOT / 'bench'}", "--log-level", "warning"],
        env={**os.environ, "COURSE_PAGES_BENCH_SERVER": "1"}, cwd=ROOT,
    )
    try:
        wait_until_up(port)
        warm = max(args.workers * 5, 10)
        load(port, lesson_path, cookie, warm, args.workers, b"")  # import templates, fill caches
        load(port, "/bench/floor/", cookie, warm, args.workers, b"")
        lesson = load(port, lesson_path, cookie, args.requests, args.concurrency, "基准课时".encode())
        floor = load(port, "/bench/floor/", cookie, args.requests, args.concurrency, b"ok")
    finally:
        server.terminate()
        server.wait(timeout=30)
    print_figures({
        "bench": "course_pages",
        "database": "postgresql",
        "server": f"gunicorn sync x{args.workers}",
        "concurrency": args.concurrency,
        "blocks": args.blocks,
        "lesson": lesson,
        "floor": floor,
        "lesson_vs_floor_rps_ratio": round(lesson["rps"] / floor["rps"], 3) if floor["rps"] else None,
    })


if __name__ == "__main__":
    main()
