"""Content-Security-Policy on every page (issue 15 item 7): nothing from another host, no inline script on the
officer site; the Wagtail admin gets only the allowances it needs, under /admin/."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

import pytest

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("url", ["/accounts/login/", "/healthz", "/no-such-page/", "/learn/practice/?kp=abc"])
def test_anonymous_pages_carry_a_strict_policy(client, url):
    policy = directives(client.get(url))
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]


@pytest.mark.parametrize("name", ["home", "courses:my_learning", "courses:practice", "courses:wrong_book",
                                  "exams:my_exams", "my_results", "password_change"])
def test_officer_pages_allow_no_inline_script(client, officer, name):
    client.force_login(officer)
    response = client.get(reverse(name))
    policy = directives(response)
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    # And the pages have none: every <script> loads a file of ours.
    for tag in re.findall(r"<script\b[^>]*>", response.content.decode()):
        assert "src=" in tag or 'type="application/json"' in tag, tag


def test_the_admin_gets_its_allowances_only_under_admin(client, trainer):
    client.force_login(trainer)
    admin = directives(client.get("/admin/"))
    assert "'unsafe-inline'" in admin["style-src"]
    assert all("http" not in source for sources in admin.values() for source in sources)
    site = directives(client.get(reverse("home")))
    assert "'unsafe-inline'" not in site["style-src"]


def test_officer_templates_have_no_inline_scripts_or_handlers():
    roots = [Path(settings.BASE_DIR) / "templates", *Path(settings.BASE_DIR).glob("*/templates"),
             *Path(settings.BASE_DIR).glob("lms/*/templates")]
    offenders = []
    for root in roots:
        for path in root.rglob("*.html"):
            if "/admin/" in str(path):
                continue
            text = path.read_text()
            inline_scripts = [t for t in re.findall(r"<script\b[^>]*>", text)
                              if "src=" not in t and "application/json" not in t]
            handlers = re.findall(r"\son[a-z]+\s*=", text)
            if inline_scripts or handlers or "javascript:" in text:
                offenders.append(str(path))
    assert offenders == []
