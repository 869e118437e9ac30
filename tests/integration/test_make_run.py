"""`make run` from this checkout migrates, seeds and serves `/` (200) and `/admin/` (login redirect)."""

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

from django.conf import settings

import pytest

pytestmark = pytest.mark.integration


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str):
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=5) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), ""


def test_make_run_serves_home_and_admin_login(tmp_path):
    if not shutil.which("make"):
        pytest.fail("make is not installed")
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST", "CELERY_", "REDIS_"))},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
        "PORT": str(port),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    server = subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    status = admin_status = None
    body = ""
    headers: dict = {}
    try:
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline and server.poll() is None:
            try:
                status, _, body = fetch(f"http://127.0.0.1:{port}/")
                break
            except OSError:
                time.sleep(2)
        if status is not None:
            admin_status, headers, _ = fetch(f"http://127.0.0.1:{port}/admin/")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            output = server.communicate(timeout=20)[0]
        except subprocess.TimeoutExpired:
            # runserver's autoreloader can outlive make; nothing of the group may survive the test.
            os.killpg(server.pid, signal.SIGKILL)
            output = server.communicate(timeout=20)[0]
    tail = output[-4000:]
    assert status == 200, tail
    assert "执法" in body
    assert admin_status == 302, tail
    assert "/admin/login/" in headers["Location"]
    assert "demo_officer" in output, tail
