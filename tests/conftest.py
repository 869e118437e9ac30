"""Shared fixtures. Services (PostgreSQL, Redis, Chromium) are optional locally and mandatory in CI.

Tests marked `integration` need PostgreSQL and Redis; tests marked `e2e` need Chromium. When one is
missing they are skipped with a reason naming it, unless REQUIRE_SERVICES=1 (set by .ci/run), in
which case they fail: CI must never pass by skipping them.
"""

import os
import shutil
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group

import pytest

from lms.core import roles

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
OUTPUT_DIR = Path(settings.BASE_DIR) / "test-output"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def missing_service(reason: str):
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


def redis_available(url: str = REDIS_URL) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:
        return False


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: ids are reused after a test's transaction is rolled back, and
    entries keyed by them (a paper's rendered questions, an attempt's facts) must not leak into the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def postgres_required():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        missing_service("these tests need PostgreSQL: set DATABASE_URL=postgres://…")


@pytest.fixture
def redis_url():
    """The tests' Redis database, emptied first: a message another test left in a queue would otherwise be
    the first thing a real worker picks up (a solo worker busy with it leaves this test's job waiting)."""
    if not redis_available():
        missing_service(f"these tests need Redis at {REDIS_URL} (set TEST_REDIS_URL)")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    return REDIS_URL


@pytest.fixture(scope="session")
def output_dir() -> Path:
    OUTPUT_DIR.mkdir(exist_ok=True)
    return OUTPUT_DIR


def make_user(username: str, role: str | None = None, password: str = "pass-Word-123", **extra):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username=username, password=password, **extra)
    if role:
        roles.sync_role_permissions()
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def officer(db):
    return make_user("officer1", roles.OFFICER, last_name="赵", first_name="强")


@pytest.fixture
def trainer(db):
    return make_user("trainer1", roles.TRAINER, last_name="钱", first_name="敏")


@pytest.fixture
def hr_user(db):
    return make_user("hr1", roles.HR, last_name="孙", first_name="丽")


@pytest.fixture
def assessor(db):
    return make_user("assessor1", roles.ASSESSOR, last_name="李", first_name="军")


@pytest.fixture
def superuser(db):
    return make_user("root1", None, is_superuser=True, is_staff=True)


# --- Browser -----------------------------------------------------------------------------------

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        missing_service(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_service("browser tests need the playwright package")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between browser steps are synchronous and safe here.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Playwright evaluates wait_for_function expressions with eval, which our Content-Security-Policy (no
# 'unsafe-eval') refuses; tests/e2e/test_content_security_policy.py checks the policy without this bypass.
BYPASS_CSP = True


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, bypass_csp=BYPASS_CSP)
    page = context.new_page()
    page.set_default_timeout(30000)
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True,
        bypass_csp=BYPASS_CSP,
    )
    page = context.new_page()
    page.set_default_timeout(30000)
    page.base_url = live_server.url
    yield page
    context.close()
