"""Shared steps of the sitting browser tests: contexts, sign-in, a response scanner and offline mode."""

from __future__ import annotations

import datetime as dt
import os

# Playwright routes a service worker's own requests only with this switch; the offline tests need it so
# that "offline" really is offline for the worker too (Playwright issue #2311). Set before the driver starts.
os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")

# Playwright evaluates wait_for_function expressions with eval, which our Content-Security-Policy (no
# 'unsafe-eval') refuses; tests/e2e/test_content_security_policy.py checks the policy without this bypass.
ARGS = {"locale": "zh-CN", "service_workers": "allow", "bypass_csp": True}


def phone_context(browser):
    return browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=2, is_mobile=True,
                               has_touch=True, **ARGS)


def pc_context(browser):
    return browser.new_context(viewport={"width": 1366, "height": 768}, **ARGS)


def officer_login(page, base_url, username, password, next_url="/exams/mine/"):
    page.goto(f"{base_url}/accounts/login/?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    page.wait_for_url(f"{base_url}{next_url}")


class ResponseScanner:
    """Keeps the text of every same-origin response a browser context receives, to search for secrets."""

    def __init__(self, context, base_url):
        self.bodies: list[tuple[str, str]] = []
        self.base_url = base_url
        context.on("response", self._keep)

    def _keep(self, response):
        if not response.url.startswith(self.base_url) or "/static/" in response.url:
            return
        try:
            self.bodies.append((response.url, response.text()))
        except Exception:  # noqa: BLE001 - redirects and aborted requests have no body
            return

    def leaks(self, secrets: list[str]) -> list[tuple[str, str]]:
        return [(url, s) for url, body in self.bodies for s in secrets if s and s in body]


class Network:
    """Offline for the page *and* its service worker (setOffline alone leaves the worker online)."""

    def __init__(self, context):
        self.context = context
        self.offline = False
        context.route("**/*", self._route)

    def _route(self, route):
        if self.offline:
            route.abort("internetdisconnected")
        else:
            route.continue_()

    def go_offline(self):
        self.offline = True
        self.context.set_offline(True)

    def go_online(self):
        self.offline = False
        self.context.set_offline(False)


def onsite_session_for_demo_officer(code="E2E-PHONE"):
    """An on-site session over the demo's all-types blueprint, open now, with demo_officer's paper issued
    (after `seed_demo`); returns (session, demo_officer's attempt)."""
    from django.utils import timezone

    from lms.exams.models import Attempt, Delivery, ExamSession, Venue
    from lms.exams.services.draw import add_candidate, draw_candidates
    from lms.exams.services.papers import issue_papers
    from lms.exams.services.sessions import open_session
    from lms.roster.models import Person
    from question_bank.models import Blueprint

    officer = Person.objects.get(user__username="demo_officer")
    now = timezone.now()
    session = ExamSession.objects.create(
        code=code, title="机考演练（手机）", year=now.year, delivery=Delivery.ONSITE,
        blueprint=Blueprint.objects.get(name="综合题型练习（100分）"), starts_at=now - dt.timedelta(minutes=1),
        ends_at=now + dt.timedelta(hours=2), duration_minutes=60, save_grace_seconds=2)
    session.target_units.set([officer.squad])
    session.save()
    Venue.objects.create(session=session, name="第一考场", address="区局三楼", seats=80)
    draw = draw_candidates(session=session, seed=code.lower(), witness="测试")
    if not draw.candidates.filter(person=officer).exists():
        add_candidate(session=session, person=officer, reason="演练")
    issue_papers(session=session)
    open_session(session=session)
    return session, Attempt.objects.get(session=session, user=officer.user)
