"""我的成绩: an officer sees only his own results, only after release; no rank; the key only if allowed."""

import io
from decimal import Decimal

from django.urls import reverse

import pytest
from pypdf import PdfReader

from lms.core import roles
from lms.exams.services.marking import essay_responses, submit_mark
from lms.exams.services.results import release_results
from tests.conftest import make_user

from .grading_factories import PERFECT, attempts_of, close, grading_session, sit

pytestmark = pytest.mark.django_db


def _accounts(session):
    users = []
    for n, attempt in enumerate(attempts_of(session)):
        user = make_user(f"officer_{n}", roles.OFFICER)
        person = attempt.candidate.person
        person.user = user
        person.save()
        users.append(user)
    return users


def _release(session):
    session = close(session)
    marker = make_user("marker", roles.TRAINER)
    for essay in essay_responses(session):
        submit_mark(response=essay, marker=marker, score="6", comment="要点较全")
    return release_results(session=session)


@pytest.fixture
def session():
    session = grading_session(officers=1)
    attempts = attempts_of(session)
    sit(attempts[0], {**PERFECT, 1: "A"})
    sit(attempts[1], PERFECT)
    return session


def test_before_release_only_not_yet_released(client, session):
    users = _accounts(session)
    client.force_login(users[0])
    text = client.get(reverse("my_results")).content.decode()
    assert "成绩尚未发布" in text and "data-total" not in text
    assert client.get(reverse("exams:my_result", args=[session.code])).status_code == 404
    assert client.get(reverse("exams:my_score_slip", args=[session.code])).status_code == 404


def test_after_release_total_pass_and_review_with_key(client, session):
    users = _accounts(session)
    session = _release(session)
    client.force_login(users[0])
    text = client.get(reverse("my_results")).content.decode()
    assert "成绩尚未发布" not in text and "14.0" in text and "data-passed" in text
    detail = client.get(reverse("exams:my_result", args=[session.code])).content.decode()
    assert "data-review" in detail and "data-key" in detail and "要点较全" in detail
    assert "排名" not in detail and "rank" not in detail.lower()
    assert attempts_of(session)[1].candidate.name not in detail


def test_key_hidden_when_the_session_does_not_allow_it(client, session):
    users = _accounts(session)
    session.show_key_after_release = False
    session.save()
    session = _release(session)
    client.force_login(users[0])
    detail = client.get(reverse("exams:my_result", args=[session.code])).content.decode()
    assert "data-review" in detail and "data-key" not in detail and "data-explanation" not in detail


def test_another_officers_result_is_a_404(client, session):
    users = _accounts(session)
    session = _release(session)
    stranger = make_user("stranger", roles.OFFICER)
    client.force_login(stranger)
    assert client.get(reverse("exams:my_result", args=[session.code])).status_code == 404
    assert "data-result" not in client.get(reverse("my_results")).content.decode()
    client.force_login(users[0])
    assert client.get(reverse("exams:my_result", args=["NO-SUCH"])).status_code == 404


def test_absent_officer_sees_absent(client, session):
    users = _accounts(session)
    session = _release(session)
    client.force_login(users[2])
    text = client.get(reverse("my_results")).content.decode()
    assert 'data-state="absent"' in text


def test_score_slip_pdf(client, session):
    users = _accounts(session)
    session = _release(session)
    client.force_login(users[1])
    response = client.get(reverse("exams:my_score_slip", args=[session.code]))
    text = PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages[0].extract_text()
    attempt = attempts_of(session)[1]
    assert attempt.candidate.name in text and "16.0" in text and "及格" in text
    assert attempt.score == Decimal("16")
