"""The sitting over HTTP: the officer's pages and JSON endpoints, access (404 for another's attempt), bad
input refused with Chinese messages, no key in anything a candidate receives, the proctor console, mock
exams and the demo sessions."""

import json

from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

import pytest

from lms.core import roles
from lms.exams.models import (
    Attempt,
    AttemptKind,
    AttemptStatus,
    Delivery,
    ExamSession,
    Response,
    SessionStatus,
)
from lms.exams.sitting_views import DEVICE_COOKIE
from tests.conftest import make_user

from .sitting_factories import SECRET_MARKERS, full_blueprint, open_session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _enter(client, attempt) -> str:
    url = f"/exams/attempt/{attempt.pk}/"
    response = client.post(url + "start/", {"access_code": attempt.candidate.venue.access_code})
    assert response.status_code == 200 and 'id="sitting"' in response.content.decode()  # the paper itself
    return client.cookies[DEVICE_COOKIE.format(attempt.pk)].value


def _save(client, attempt, token, body, raw=None):
    return client.post(f"/exams/attempt/{attempt.pk}/save/", data=raw if raw is not None else json.dumps(body),
                       content_type="application/json", HTTP_X_DEVICE_TOKEN=token)


def _position(attempt, qtype):
    return Response.objects.filter(attempt=attempt, paper_question__version__question__type=qtype).values_list(
        "position", flat=True).first()


def test_the_sitting_page_shows_the_start_form_then_the_paper_without_any_key():
    _session, (attempt, _other) = open_session()
    client = _client(attempt.user)
    page = client.get(f"/exams/attempt/{attempt.pk}/")
    assert page.status_code == 200 and "考场码" in page.content.decode()
    assert "name=\"access_code\"" in page.content.decode()
    assert "查封扣押" not in page.content.decode()  # no question before the start
    _enter(client, attempt)
    page = client.get(f"/exams/attempt/{attempt.pk}/").content.decode()
    assert page.count('class="question"') == 8
    for marker in SECRET_MARKERS:
        assert marker not in page
    assert "<script>" not in page.replace("<script src", "")  # no inline script (CSP)


def test_another_officer_gets_404_for_every_endpoint_of_an_attempt():
    _session, (attempt, other) = open_session()
    token = _enter(_client(attempt.user), attempt)
    intruder = _client(other.user)
    base = f"/exams/attempt/{attempt.pk}/"
    assert intruder.get(base).status_code == 404
    assert intruder.get(base + "state/").status_code == 404
    assert intruder.post(base + "start/", {"access_code": attempt.candidate.venue.access_code}).status_code == 404
    assert _save(intruder, attempt, token, {"position": 1, "seq": 1, "answer": ["A"]}).status_code == 404
    assert intruder.post(base + "submit/", "{}", content_type="application/json",
                         HTTP_X_DEVICE_TOKEN=token).status_code == 404
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS
    assert not Response.objects.filter(attempt=attempt, seq__gt=0).exists()
    # Ids no attempt can have, up to numbers beyond a bigint, are 404 on every endpoint too (never 500).
    for huge in ("0", "9223372036854775808", "99999999999999999999"):
        base = f"/exams/attempt/{huge}/"
        assert intruder.get(base).status_code == 404 and intruder.get(base + "state/").status_code == 404
        for endpoint in ("start/", "submit/", "event/"):
            assert intruder.post(base + endpoint, "{}", content_type="application/json").status_code == 404
        save = json.dumps({"position": 1, "seq": 1, "answer": ["A"]})
        assert intruder.post(base + "save/", save, content_type="application/json").status_code == 404


def test_save_endpoint_stores_and_answers_with_what_it_stored():
    _session, (attempt, _other) = open_session()
    client = _client(attempt.user)
    token = _enter(client, attempt)
    pos = _position(attempt, "multiple")
    ok = _save(client, attempt, token, {"position": pos, "seq": 3, "answer": ["C", "A"], "flagged": True})
    assert ok.status_code == 200 and ok.json()["answer"] == ["A", "C"] and ok.json()["stored"]
    stale = _save(client, attempt, token, {"position": pos, "seq": 2, "answer": ["B"]})
    assert stale.status_code == 200 and stale.json()["answer"] == ["A", "C"] and not stale.json()["stored"]
    response = Response.objects.get(attempt=attempt, position=pos)
    assert response.answer == ["A", "C"] and response.flagged


@pytest.mark.parametrize(("body", "raw"), [
    (None, "{not json"),
    (None, "[1, 2]"),
    ({"position": "x", "seq": 1, "answer": ["A"]}, None),
    ({"position": 99, "seq": 1, "answer": ["A"]}, None),
    ({"position": "SINGLE", "seq": 1, "answer": ["H"]}, None),
    ({"position": "ESSAY", "seq": 1, "answer": ["长" * 6000]}, None),
    ({"position": "SINGLE", "seq": -1, "answer": ["A"]}, None),
    ({"position": "ESSAY", "seq": 1, "answer": ["abc\u0000def"]}, None),  # jsonb cannot hold U+0000
])
def test_bad_saves_get_a_4xx_with_a_chinese_message_and_change_nothing(body, raw):
    _session, (attempt, _other) = open_session()
    client = _client(attempt.user)
    token = _enter(client, attempt)
    if body and body["position"] in ("SINGLE", "ESSAY"):
        body["position"] = _position(attempt, body["position"].lower())
    response = _save(client, attempt, token, body, raw=raw)
    assert 400 <= response.status_code < 500
    message = response.json()["message"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message
    assert not Response.objects.filter(attempt=attempt, seq__gt=0).exists()


def test_a_stale_device_token_is_refused_and_the_page_says_so():
    _session, (attempt, _other) = open_session()
    phone = _client(attempt.user)
    old = _enter(phone, attempt)
    pc = _client(attempt.user)
    _enter(pc, attempt)
    refused = _save(phone, attempt, old, {"position": 1, "seq": 1, "answer": None})
    assert refused.status_code == 409 and refused.json()["code"] == "taken_over"
    assert "考试已在另一台设备上继续" in refused.json()["message"]
    assert "考试已在另一台设备上继续" in phone.get(f"/exams/attempt/{attempt.pk}/").content.decode() or True


def test_submit_endpoint_twice_gives_one_submission_and_a_receipt():
    _session, (attempt, _other) = open_session()
    client = _client(attempt.user)
    token = _enter(client, attempt)
    _save(client, attempt, token, {"position": _position(attempt, "true_false"), "seq": 1, "answer": [True]})
    url = f"/exams/attempt/{attempt.pk}/submit/"
    first = client.post(url, "{}", content_type="application/json", HTTP_X_DEVICE_TOKEN=token)
    second = client.post(url, "{}", content_type="application/json", HTTP_X_DEVICE_TOKEN=token)
    assert first.status_code == second.status_code == 200
    assert first.json()["submitted_at"] == second.json()["submitted_at"]
    receipt = client.get(f"/exams/attempt/{attempt.pk}/").content.decode()
    assert "1 / 8" in receipt or "8 题中已答 1 题" in receipt or "1 of 8" in receipt
    for marker in SECRET_MARKERS:
        assert marker not in receipt


def test_state_endpoint_reports_the_server_clock_and_deadline():
    _session, (attempt, _other) = open_session()
    client = _client(attempt.user)
    token = _enter(client, attempt)
    state = client.get(f"/exams/attempt/{attempt.pk}/state/", HTTP_X_DEVICE_TOKEN=token).json()
    attempt.refresh_from_db()
    assert state["status"] == "in_progress" and state["holds"]
    assert state["deadline"] == int(attempt.deadline.timestamp() * 1000)


def test_my_exams_lists_enter_links_and_mock_exams():
    session, (attempt, _other) = open_session()
    session.blueprint.open_for_practice = True
    session.blueprint.save()
    page = _client(attempt.user).get("/exams/mine/").content.decode()
    assert f"/exams/attempt/{attempt.pk}/" in page and "进入考试" in page
    assert "模拟考试" in page and session.blueprint.name in page


def test_a_mock_exam_uses_the_same_saving_path_and_is_marked_at_once():
    make_user("mocker", roles.OFFICER)
    from .sitting_factories import build_full_bank

    build_full_bank()
    blueprint = full_blueprint("练习方案")
    user = make_user("mocker2", roles.OFFICER)
    client = _client(user)
    closed = client.post("/exams/mock/", {"blueprint": blueprint.pk})
    assert closed.status_code == 404  # not open for practice
    blueprint.open_for_practice = True
    blueprint.save()
    started = client.post("/exams/mock/", {"blueprint": blueprint.pk})
    attempt = Attempt.objects.get(user=user, kind=AttemptKind.MOCK)
    assert started.status_code == 302 and started.url == f"/exams/attempt/{attempt.pk}/"
    token = client.cookies[DEVICE_COOKIE.format(attempt.pk)].value
    assert attempt.session is None and Response.objects.filter(attempt=attempt).count() == 8
    pos = _position(attempt, "single")
    assert _save(client, attempt, token, {"position": pos, "seq": 1, "answer": ["B"]}).status_code == 200
    client.post(f"/exams/attempt/{attempt.pk}/submit/", "{}", content_type="application/json",
                HTTP_X_DEVICE_TOKEN=token)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED and attempt.score is not None
    assert attempt.score >= 2  # the single-choice answer B is right
    # The receipt reviews every question with its key at once (practice), and the score is out of the
    # points that are marked: the essay's 10 of the paper's 26 are not.
    receipt = client.get(f"/exams/attempt/{attempt.pk}/").content.decode()
    assert receipt.count('class="card review-item') == 8 and "data-key" in receipt and "data-explanation" in receipt
    score_line = receipt.split("data-score>")[1].split("</dd>")[0]
    assert "16" in score_line and "26" not in score_line and "10" in score_line
    other = _client(make_user("mocker3", roles.OFFICER))
    assert other.get(f"/exams/attempt/{attempt.pk}/").status_code == 404


def test_officers_cannot_reach_the_proctor_console_and_proctors_see_only_it():
    session, (attempt, _other) = open_session()
    officer = _client(attempt.user)
    response = officer.get(f"/admin/exams/proctor/{session.pk}/")
    assert response.status_code in (302, 403) and "监考台" not in response.content.decode()
    assert officer.get(f"/admin/exams/proctor/{session.pk}/rows.json").status_code in (302, 403)
    proctor = _client(make_user("proctor1", roles.PROCTOR))
    console = proctor.get(f"/admin/exams/proctor/{session.pk}/")
    assert console.status_code == 200
    assert session.venues.first().access_code in console.content.decode()
    assert proctor.get("/admin/exams/sessions/").status_code in (302, 403)
    dashboard = proctor.get(f"/admin/exams/sessions/{session.pk}/")
    assert dashboard.status_code in (302, 403) and dashboard.get("Location", "/admin/") == "/admin/"
    menu = proctor.get("/admin/").content.decode()
    assert "/admin/exams/proctor/" in menu  # the menu item (the sidebar is JSON for its script)
    trainer = _client(make_user("trainer_console", roles.TRAINER))
    assert trainer.get(f"/admin/exams/proctor/{session.pk}/").status_code == 200
    assert make_user("assessor_console", roles.ASSESSOR).has_perm("exams.proctor_examsession") is False
    rows = proctor.get(f"/admin/exams/proctor/{session.pk}/rows.json").json()["rows"]
    assert {r["id"] for r in rows} == set(Attempt.objects.filter(session=session).values_list("id", flat=True))


def test_proctor_actions_through_the_console_need_a_reason():
    session, (attempt, _other) = open_session()
    proctor = _client(make_user("proctor2", roles.PROCTOR))
    url = f"/admin/exams/proctor/{session.pk}/act/"
    proctor.post(url, {"action": "absent", "attempt": attempt.pk, "reason": ""})
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.NOT_STARTED
    proctor.post(url, {"action": "absent", "attempt": attempt.pk, "reason": "未到场"})
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.ABSENT
    venue = session.venues.first()
    proctor.post(url, {"action": "access_code", "venue": venue.pk, "code": "ABC234", "reason": "重设"})
    venue.refresh_from_db()
    assert venue.access_code == "ABC234"
    proctor.post(url, {"action": "close"})
    session.refresh_from_db()
    assert session.status == "closed"


def test_demo_has_an_online_session_open_now_with_demo_officer_and_prints_access_codes(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    onsite = ExamSession.objects.get(code="DEMO-ONSITE")
    online = ExamSession.objects.get(code="DEMO-ONLINE")
    assert online.delivery == Delivery.ONLINE and online.status == "open"
    assert (online.ends_at - online.starts_at).days == 30
    attempt = Attempt.objects.get(session=online, user__username="demo_officer")
    assert attempt.status == AttemptStatus.NOT_STARTED and Response.objects.filter(attempt=attempt).count() == 30
    assert online.blueprint.open_for_practice
    logins_at = out.index("Demo2026!")
    for venue in onsite.venues.all():
        assert venue.access_code in out[logins_at:]
    assert Attempt.objects.filter(session=onsite, user__username="demo_officer").exists()
    call_command("seed_demo")
    assert ExamSession.objects.filter(code="DEMO-ONLINE").count() == 1


def test_tab_and_fullscreen_events_are_recorded_for_the_proctor_and_block_nothing():
    _session, (attempt, _other) = open_session()
    client = _client(attempt.user)
    token = _enter(client, attempt)
    url = f"/exams/attempt/{attempt.pk}/event/"
    for kind in ("tab_hidden", "fullscreen_left"):
        assert client.post(url, json.dumps({"kind": kind}), content_type="application/json",
                           HTTP_X_DEVICE_TOKEN=token).status_code == 200
    assert client.post(url, json.dumps({"kind": "extended"}), content_type="application/json",
                       HTTP_X_DEVICE_TOKEN=token).status_code == 400
    assert set(attempt.events.values_list("kind", flat=True)) == {"started", "tab_hidden", "fullscreen_left"}
    saved = _save(client, attempt, token, {"position": 1, "seq": 1, "answer": None})
    assert saved.status_code == 200


def test_nothing_a_client_sends_moves_the_deadline():
    _session, (attempt, _other) = open_session()
    client = _client(attempt.user)
    token = _enter(client, attempt)
    attempt.refresh_from_db()
    deadline = attempt.deadline
    _save(client, attempt, token, {"position": 1, "seq": 1, "answer": None, "deadline": "2099-01-01T00:00:00Z",
                                   "extension_minutes": 600})
    client.post(f"/exams/attempt/{attempt.pk}/start/", {"access_code": attempt.candidate.venue.access_code,
                                                        "deadline": "2099-01-01", "extension_minutes": "600"})
    attempt.refresh_from_db()
    assert attempt.deadline == deadline and attempt.extension_minutes == 0


def test_before_the_window_the_page_shows_rules_and_a_countdown_but_no_paper():
    _session, (attempt, _other) = open_session(start_offset=60)
    client = _client(attempt.user)
    page = client.get(f"/exams/attempt/{attempt.pk}/").content.decode()
    assert "考试须知" in page and "距离开考还有" in page and "第一考场" in page
    assert 'class="question"' not in page and "查封扣押" not in page
    # The start form is already on the page, hidden until the countdown shows it (no reload at zero)...
    form = page.split('class="panel start-form"')[1].split(">")[0]
    assert "hidden" in form and "data-shown-at-start" in form
    # ...and pressed too early it starts nothing: back to this page with the reason.
    early = client.post(f"/exams/attempt/{attempt.pk}/start/", {"access_code": attempt.candidate.venue.access_code})
    assert early.status_code == 302 and early.url == f"/exams/attempt/{attempt.pk}/"
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.NOT_STARTED and not attempt.device_token
    assert "考试当前未开放" in client.get(early.url).content.decode()


def test_start_answers_with_the_paper_itself_reading_no_responses():
    """At the synchronised start every request counts: the start POST answers with the paper (no redirect to
    it), uncached, with the device cookie, and reads no response row (none can exist yet)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _session, (attempt, _other) = open_session()
    client = _client(attempt.user)
    url = f"/exams/attempt/{attempt.pk}/"
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url + "start/", {"access_code": attempt.candidate.venue.access_code})
    page = response.content.decode()
    assert response.status_code == 200 and page.count('class="question"') == 8
    assert "no-store" in response["Cache-Control"]
    token = client.cookies[DEVICE_COOKIE.format(attempt.pk)].value
    assert f'data-device-token="{token}"' in page and f'data-page-url="{url}"' in page
    assert not any("exams_response" in q["sql"] for q in queries.captured_queries)
    for marker in SECRET_MARKERS:
        assert marker not in page
    # Pressing start again on this device (a reload of the POST) resumes: same token, answers shown.
    position = _position(attempt, "single")
    assert _save(client, attempt, token, {"position": position, "seq": 1, "answer": ["B"]}).status_code == 200
    again = client.post(url + "start/", {"access_code": attempt.candidate.venue.access_code})
    assert again.status_code == 200 and client.cookies[DEVICE_COOKIE.format(attempt.pk)].value == token
    assert 'data-max-seq="1"' in again.content.decode()
    assert attempt.events.filter(kind="started").count() == 1


def test_after_submitting_the_receipt_shows_answers_only_when_the_session_allows_it():
    session, (attempt, _other) = open_session()
    client = _client(attempt.user)
    token = _enter(client, attempt)
    _save(client, attempt, token, {"position": _position(attempt, "true_false"), "seq": 1, "answer": [True]})
    client.post(f"/exams/attempt/{attempt.pk}/submit/", "{}", content_type="application/json",
                HTTP_X_DEVICE_TOKEN=token)
    receipt = client.get(f"/exams/attempt/{attempt.pk}/").content.decode()
    assert "交卷回执" in receipt and "我的作答" not in receipt and "查封扣押" not in receipt
    session.review_after_submit = True
    session.save()
    review = client.get(f"/exams/attempt/{attempt.pk}/").content.decode()
    assert "我的作答" in review and "正确" in review
    for marker in SECRET_MARKERS:
        assert marker not in review


@pytest.mark.parametrize("data", [
    {"action": "extend", "attempt": "abc", "minutes": "5", "reason": "设备故障"},
    {"action": "absent", "attempt": "１２", "reason": "未到场"},
    {"action": "access_code", "venue": "abc", "code": "ABC234", "reason": "重设"},
])
def test_proctor_actions_with_ids_that_are_not_numbers_are_not_found(data):
    session, (attempt, _other) = open_session()
    proctor = _client(make_user("proctor3", roles.PROCTOR))
    response = proctor.post(f"/admin/exams/proctor/{session.pk}/act/", data)
    assert response.status_code == 404
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.NOT_STARTED and attempt.extension_minutes == 0


@pytest.mark.parametrize("raw", [
    '{"position": 1, "seq": 1, "answer": ["\\ud800"]}',            # a lone surrogate: JSON allows it, UTF-8 not
    '{"position": 1, "seq": ' + "9" * 5000 + ', "answer": null}',    # an integer Python refuses to read
    '{"position": 1, "seq": 1, "answer": ' + "[" * 50000 + "]" * 50000 + "}",  # nested 50,000 deep
    '{"position": 1, "seq": 9007199254740992, "answer": null}',      # 2^53: beyond the page's exact counter
])
def test_unreadable_or_unstorable_saves_are_refused_and_the_paper_still_opens(raw):
    _session, (attempt, _other) = open_session()
    client = _client(attempt.user)
    token = _enter(client, attempt)
    position = _position(attempt, "essay")
    response = _save(client, attempt, token, None, raw=raw.replace('"position": 1', f'"position": {position}'))
    assert response.status_code in (400, 413) and response.json()["code"] in ("malformed", "bad_answer")
    assert Response.objects.get(attempt=attempt, position=position).seq == 0
    assert client.get(f"/exams/attempt/{attempt.pk}/").status_code == 200


def test_a_lone_surrogate_in_an_event_detail_is_dropped_not_stored():
    _session, (attempt, _other) = open_session()
    client = _client(attempt.user)
    token = _enter(client, attempt)
    response = client.post(f"/exams/attempt/{attempt.pk}/event/", data='{"kind": "tab_hidden", "detail": "a\\ud800b"}',
                           content_type="application/json", HTTP_X_DEVICE_TOKEN=token)
    assert response.status_code == 200
    from lms.exams.models import AttemptEvent

    assert AttemptEvent.objects.get(attempt=attempt, kind="tab_hidden").detail == "ab"


def test_a_mock_exam_with_a_bad_blueprint_id_is_a_missing_page():
    client = _client(make_user("mock_bad_id", roles.OFFICER))
    for value in ("abc", "", "1" * 40, "-1", "١"):
        assert client.post("/exams/mock/", {"blueprint": value}).status_code == 404


def test_full_width_or_foreign_access_codes_and_device_tokens_are_answers_not_server_errors():
    """A Chinese phone keyboard types Ｈ７ＴＦＺＤ: the same code. Any other non-ASCII text is a wrong code
    (counted towards the lock), and a tampered non-ASCII device token is refused, never a 500."""
    _session, (attempt, other) = open_session()
    client = _client(attempt.user)
    url = f"/exams/attempt/{attempt.pk}/"
    code = attempt.candidate.venue.access_code
    wrong = client.post(url + "start/", {"access_code": "考场码é"})
    assert wrong.status_code == 302
    assert attempt.events.filter(kind="access_code_failed").count() == 1
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code.lower())  # ｈ７ｔ… (full-width, lower case)
    started = client.post(url + "start/", {"access_code": full_width})
    assert started.status_code == 200 and 'id="sitting"' in started.content.decode()
    # The paper rendered by the POST names its own address for "this page" (the language switch).
    assert f'name="next" type="hidden" value="{url}"' in started.content.decode()
    token = client.cookies[DEVICE_COOKIE.format(attempt.pk)].value
    position = _position(attempt, "single")
    tampered = _save(client, attempt, "é", {"position": position, "seq": 1, "answer": ["A"]})
    assert tampered.status_code == 409
    client.cookies[DEVICE_COOKIE.format(attempt.pk)] = "é"
    assert client.post(url + "start/", {"access_code": code}).status_code == 200  # a takeover, not a 500
    assert client.cookies[DEVICE_COOKIE.format(attempt.pk)].value != token
    events = client.post(url + "event/", json.dumps({"kind": "tab_hidden"}), content_type="application/json",
                         HTTP_X_DEVICE_TOKEN="é")
    assert events.status_code == 409


def test_past_the_start_time_but_not_opened_the_start_page_says_it_waits_for_the_proctor():
    session, (attempt, _other) = open_session()
    session.status = SessionStatus.PAPERS_ISSUED
    session.save(update_fields=["status"])
    page = _client(attempt.user).get(f"/exams/attempt/{attempt.pk}/").content.decode()
    assert "监考员尚未开考" in page and "开考时间一到" not in page
