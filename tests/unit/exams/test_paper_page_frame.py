"""The sitting page from its frame (paper_html.render_page) is the template's own rendering, to the byte:
started, resumed with answers, in English, for a mock, with a title that needs escaping; a page with a
message waiting is rendered in full and shows it."""

import json
import re

from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.test import Client, override_settings

import pytest

from lms.core import roles
from lms.exams.models import Attempt, AttemptKind, Response
from lms.exams.services import paper_html
from lms.exams.sitting_views import DEVICE_COOKIE
from tests.conftest import make_user

from .sitting_factories import build_full_bank, full_blueprint, open_session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh():
    cache.clear()
    paper_html._FRAMES.clear()


def _normalised(html: str) -> str:
    # Per request by design: the masked CSRF token and the server's clock.
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value="…"', html)
    return re.sub(r'data-now="\d+"', 'data-now="…"', html)


def _full_rendering(client, url: str) -> str:
    with override_settings(DEBUG=True):  # render_page renders the template in full while developing
        response = client.get(url)
    assert response.status_code == 200
    return _normalised(response.content.decode())


def _framed(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "text/html; charset=utf-8"
    return _normalised(response.content.decode())


def test_the_framed_page_is_the_full_rendering_before_and_after_answers_in_both_languages():
    session, (attempt, _other) = open_session()
    session.title = '<b>"宪法" & 行政强制法</b> \'考试\''
    session.save()
    client = Client()
    client.force_login(attempt.user)
    url = f"/exams/attempt/{attempt.pk}/"
    started = client.post(url + "start/", {"access_code": attempt.candidate.venue.access_code})
    assert paper_html._FRAMES  # the start itself came from the frame
    started_html = _normalised(started.content.decode())
    assert started_html == _full_rendering(client, url)
    assert "&lt;b&gt;&quot;宪法&quot; &amp; 行政强制法&lt;/b&gt; &#x27;考试&#x27;" in started_html
    assert "<b>" not in started_html
    assert _framed(client, url) == _full_rendering(client, url)

    token = client.cookies[DEVICE_COOKIE.format(attempt.pk)].value
    single = Response.objects.filter(attempt=attempt, paper_question__version__question__type="single").first()
    essay = Response.objects.filter(attempt=attempt, paper_question__version__question__type="essay").first()
    for position, seq, answer, flagged in ((single.position, 1, ["B"], True),
                                           (essay.position, 2, ['</textarea><script>x</script>'], False)):
        saved = client.post(url + "save/", json.dumps({"position": position, "seq": seq, "answer": answer,
                                                       "flagged": flagged}),
                            content_type="application/json", HTTP_X_DEVICE_TOKEN=token)
        assert saved.status_code == 200
    resumed = _framed(client, url)
    assert resumed == _full_rendering(client, url) and 'data-max-seq="2"' in resumed

    client.post("/i18n/setlang/", {"language": "en", "next": url})
    english = _framed(client, url)
    assert english == _full_rendering(client, url)
    assert 'lang="en"' in english and "Submit the exam" in english and english != resumed


def test_a_mock_page_from_the_frame_is_its_full_rendering():
    build_full_bank()
    blueprint = full_blueprint("框架方案")
    blueprint.open_for_practice = True
    blueprint.save()
    user = make_user("frame_mocker", roles.OFFICER)
    client = Client()
    client.force_login(user)
    client.post("/exams/mock/", {"blueprint": blueprint.pk})
    attempt = Attempt.objects.get(user=user, kind=AttemptKind.MOCK)
    url = f"/exams/attempt/{attempt.pk}/"
    assert _framed(client, url) == _full_rendering(client, url)


def test_a_waiting_message_is_shown_on_the_paper_and_only_once(rf):
    _session, (attempt, _other) = open_session()
    client = Client()
    client.force_login(attempt.user)
    url = f"/exams/attempt/{attempt.pk}/"
    client.post(url + "start/", {"access_code": attempt.candidate.venue.access_code})
    client.get(url)  # the frame exists: a message must still be shown
    client.cookies["messages"] = CookieStorage(rf.get(url))._encode([Message(constants.WARNING, "网络恢复后请检查答案")])
    first = client.get(url).content.decode()
    assert "网络恢复后请检查答案" in first and 'class="messages"' in first and 'id="sitting"' in first
    second = client.get(url).content.decode()
    assert "网络恢复后请检查答案" not in second and 'id="sitting"' in second
