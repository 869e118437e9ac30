"""Lesson pages keep what all officers share in the cache (courses.rendering, courses.middleware), and show
every change at once: a new revision, an unpublished lesson, a view restriction; previews never use it."""

import re

from django.contrib.auth.models import Group
from django.test import Client

from wagtail.models import PageViewRestriction

import pytest

from courses import rendering
from tests.conftest import make_user

from . import factories

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def lesson():
    question = factories.make_question(stem="保管费用由谁承担？")
    body = [factories.law_block(1), factories.case_block(1), ("practice", {"title": "练习", "questions": [question.code]})]
    return factories.make_lesson(factories.make_course(), body=body)


def test_the_body_is_rendered_once_for_all_officers_with_each_officers_csrf_token(lesson, monkeypatch):
    calls = []
    real = rendering._render
    monkeypatch.setattr(rendering, "_render", lambda page, context: calls.append(page.pk) or real(page, context))
    pages = []
    for name in ("o1", "o2"):
        client = Client(enforce_csrf_checks=True)
        client.force_login(make_user(name))
        html = client.get(lesson.url).content.decode()
        assert "法条正文1" in html and "保管费用由谁承担" in html
        token = TOKEN.search(html).group(1)
        assert rendering.CSRF_PLACEHOLDER not in html
        pages.append((client, token))
    assert calls == [lesson.pk]
    # Each officer's practice form posts with his own token.
    question = factories.Question.objects.get()
    for client, token in pages:
        response = client.post(f"/learn/practice/{question.pk}/answer/", {"answer": "A", "csrfmiddlewaretoken": token})
        assert response.status_code == 200


def test_a_new_revision_shows_at_once(client, officer, lesson):
    client.force_login(officer)
    assert "法条正文1" in client.get(lesson.url).content.decode()
    lesson.body = [factories.law_block(2)]
    factories.publish(lesson)
    html = client.get(lesson.url).content.decode()
    assert "法条正文2" in html and "法条正文1" not in html


def test_an_unpublished_lesson_is_gone_at_once(client, officer, lesson):
    client.force_login(officer)
    assert client.get(lesson.url).status_code == 200
    lesson.unpublish()
    assert client.get(lesson.url).status_code == 404


def test_a_view_restriction_added_later_applies_at_once(client, officer, lesson):
    client.force_login(officer)
    assert client.get(lesson.url).status_code == 200
    restriction = PageViewRestriction.objects.create(page=lesson, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.create(name="法制科"))
    assert client.get(lesson.url).status_code in (302, 403)


def test_a_preview_shows_the_draft_not_the_cached_body(client, officer, lesson):
    client.force_login(officer)
    client.get(lesson.url)  # fills the cache
    lesson.body = [factories.law_block(3)]
    response = lesson.make_preview_request()
    html = response.content.decode()
    assert "法条正文3" in html and "法条正文1" not in html


def test_changing_an_image_retires_the_cached_bodies(client, officer, lesson):
    client.force_login(officer)
    client.get(lesson.url)
    before = rendering._generation(rendering.BODY_GENERATION)
    factories.make_image()
    assert rendering._generation(rendering.BODY_GENERATION) > before


def test_the_cached_page_shows_each_officer_his_own_name_and_completion(lesson):
    from django.utils import timezone

    from courses.models import LessonProgress

    first, second = make_user("o1", first_name="强", last_name="赵"), make_user("o2", first_name="<b>伟</b>", last_name="钱")
    LessonProgress.objects.create(user=second, lesson=lesson, seconds_spent=600, reached_end=True,
                                  completed_at=timezone.now())
    pages = {}
    for user in (first, second, first):
        client = Client()
        client.force_login(user)
        pages.setdefault(user.username, []).append(client.get(lesson.url).content.decode())
    assert all("赵强" in html and "伟" not in html for html in pages["o1"])
    assert "钱&lt;b&gt;伟&lt;/b&gt;" in pages["o2"][0] and "<b>伟</b>" not in pages["o2"][0]
    assert "width: 100%" in pages["o2"][0] and "width: 0%" in pages["o1"][1]
    assert rendering.NAME_PLACEHOLDER not in pages["o1"][1] + pages["o2"][0]


def test_completing_a_lesson_shows_on_its_page_at_once(client, officer, lesson):
    from datetime import timedelta

    from django.utils import timezone

    from courses import services

    client.force_login(officer)
    assert "width: 0%" in client.get(lesson.url).content.decode()
    start = timezone.now()
    for seconds in range(0, lesson.min_seconds + 1, 15):
        services.record_heartbeat(user=officer, lesson=lesson, reached_end=True, now=start + timedelta(seconds=seconds))
    assert services.LessonProgress.objects.get(user=officer, lesson=lesson).completed_at is not None
    assert "width: 100%" in client.get(lesson.url).content.decode()


def test_only_pages_wagtail_serves_look_up_a_cached_route(lesson, monkeypatch):
    from courses import middleware

    looked_up = []
    real_get = middleware.cache.get
    monkeypatch.setattr(middleware.cache, "get", lambda key, *a, **k: looked_up.append(key) or real_get(key, *a, **k))
    client = Client()
    client.force_login(make_user("route_officer"))
    assert client.get("/exams/mine/").status_code == 200
    assert client.get("/healthz").status_code in (200, 503)
    # Our own views never pay for the lesson route cache (nor for its tree generation).
    assert not [key for key in looked_up if key.startswith(("courses:route:", rendering.TREE_GENERATION))]
    assert client.get(lesson.url).status_code == 200
    assert client.get(lesson.url).status_code == 200
    routes = [key for key in looked_up if key.startswith("courses:route:")]
    assert len(routes) == 2 and routes[0] == routes[1] and routes[0].endswith(lesson.url)
