"""Settings come from the environment; bad or missing values stop start-up naming the variable."""

import os
import subprocess
import sys

from django.conf import settings

import pytest

GOOD_SECRET = "k" * 20 + "Zq8-Yx3_Wv7!" * 4


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


SETUP = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def test_defaults_are_chinese_and_shanghai():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert ("en", "English") in settings.LANGUAGES


def test_production_refuses_to_start_without_a_secret_key():
    result = run_python(SETUP, DJANGO_SETTINGS_MODULE="lms.settings.production", ALLOWED_HOSTS="xuefa.example.cn")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_python(SETUP, DJANGO_SETTINGS_MODULE="lms.settings.production", SECRET_KEY=GOOD_SECRET)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_starts_with_secret_and_hosts():
    result = run_python(
        SETUP, DJANGO_SETTINGS_MODULE="lms.settings.production", SECRET_KEY=GOOD_SECRET, ALLOWED_HOSTS="xuefa.example.cn"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "not-a-url"),
        ("DEBUG", "maybe"),
        ("CELERY_BROKER_URL", "localhost:6379"),
        ("REDIS_URL", "http://cache"),
        ("AXES_FAILURE_LIMIT", "five"),
    ],
)
def test_malformed_variable_stops_start_up_naming_it(variable, value):
    result = run_python(SETUP, DJANGO_SETTINGS_MODULE="lms.settings.dev", **{variable: value})
    assert result.returncode != 0
    assert variable in result.stderr


def test_deploy_check_is_clean_under_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env={
            **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}},
            "DJANGO_SETTINGS_MODULE": "lms.settings.production",
            "SECRET_KEY": GOOD_SECRET,
            "ALLOWED_HOSTS": "xuefa.example.cn",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(("switch", "expected"), [("", "5"), ("0", "None")])
def test_prepared_statements_are_on_for_postgresql_unless_switched_off_for_a_pooler(switch, expected):
    code = ("import django; django.setup(); from django.conf import settings; "
            "print(settings.DATABASES['default']['OPTIONS'].get('prepare_threshold'))")
    result = run_python(code, DJANGO_SETTINGS_MODULE="lms.settings.base", DB_PREPARED_STATEMENTS=switch,
                        DATABASE_URL="postgres://xuefa@db.example:5432/xuefa")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected
