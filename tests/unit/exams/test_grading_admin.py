"""Grading screens: trainers grade, mark and release; assessors only look; markers see no names; exports
escape formula cells; the score-entry flow goes upload → preview → confirm and writes nothing on errors."""

import io
from decimal import Decimal

from django.test import Client
from django.urls import reverse

import pytest
from openpyxl import load_workbook

from lms.core import roles
from lms.exams.models import Attempt, Mark, SessionStatus
from lms.exams.services.grading import grade_attempt
from lms.exams.services.marking import essay_responses
from lms.exams.services.score_entry import SHEET
from tests.conftest import make_user

from .grading_factories import PERFECT, attempts_of, close, grading_session, sit
from .test_score_entry import _nothing_written

pytestmark = pytest.mark.django_db


def _url(name, session, *args):
    return reverse(f"exams_admin:{name}", args=[session.pk, *args])


@pytest.fixture
def sat_session():
    session = grading_session(officers=1)
    for attempt in attempts_of(session):
        sit(attempt, PERFECT)
        grade_attempt(attempt_id=attempt.pk)
    return close(session)


def test_results_screen_shows_candidates_and_what_is_missing(client, trainer, sat_session):
    client.force_login(trainer)
    text = client.get(_url("results", sat_session)).content.decode()
    assert "data-essays-unmarked" in text and attempts_of(sat_session)[0].candidate.name in text


def test_marking_page_is_blind_and_shows_the_reference_answer(client, trainer, sat_session):
    client.force_login(trainer)
    essay = essay_responses(sat_session).first()
    question_id = essay.paper_question.question_id
    text = client.get(_url("mark_answer", sat_session, question_id)).content.decode()
    assert "报告批准" in text and "事前报告并经批准" in text and "data-ticket" in text
    for attempt in attempts_of(sat_session):
        assert attempt.candidate.name not in text
        assert attempt.candidate.id_number not in text
    overview = client.get(_url("marking", sat_session)).content.decode()
    assert all(a.candidate.name not in overview for a in attempts_of(sat_session))


def test_marking_saves_and_moves_to_the_next_answer(client, trainer, sat_session):
    client.force_login(trainer)
    question_id = essay_responses(sat_session).first().paper_question.question_id
    response = client.post(_url("mark_answer", sat_session, question_id), {"score": "8", "comment": ""})
    assert response.status_code == 302 and "?r=" in response["Location"]
    assert Mark.objects.filter(source="marker_1", marker=trainer).count() == 1
    bad = client.post(response["Location"], {"score": "99"})
    assert bad.status_code == 400 and "0" in bad.content.decode()


def test_assessor_sees_results_but_cannot_act_or_mark(client, assessor, sat_session):
    client.force_login(assessor)
    assert client.get(_url("results", sat_session)).status_code == 200
    assert client.get(_url("results_export", sat_session)).status_code == 200
    # The Wagtail admin turns a refusal into a redirect with a message.
    assert client.post(_url("results_graded", sat_session)).status_code in (302, 403)
    assert client.get(_url("marking", sat_session)).status_code in (302, 403)
    assert client.get(_url("score_template", sat_session)).status_code in (302, 403)
    sat_session.refresh_from_db()
    assert sat_session.status == SessionStatus.CLOSED


def test_officer_never_reaches_the_grading_screens(client, officer, sat_session):
    client.force_login(officer)
    for name in ("results", "marking", "results_export", "regrade"):
        assert client.get(_url(name, sat_session)).status_code in (302, 403)


def test_release_is_refused_with_the_count_then_allowed(client, trainer, sat_session):
    client.force_login(trainer)
    text = client.post(_url("results_graded", sat_session), follow=True).content.decode()
    assert "3" in text
    sat_session.refresh_from_db()
    assert sat_session.status == SessionStatus.CLOSED
    for essay in essay_responses(sat_session):
        client.post(_url("mark_answer", sat_session, essay.paper_question.question_id) + f"?r={essay.pk}",
                    {"score": "6"})
    client.post(_url("results_graded", sat_session))
    client.post(_url("results_release", sat_session))
    sat_session.refresh_from_db()
    assert sat_session.status == SessionStatus.RELEASED


def test_results_export_escapes_formula_cells(client, trainer, sat_session):
    attempt = attempts_of(sat_session)[0]
    attempt.candidate.name = "=HYPERLINK(\"http://x\")"
    attempt.candidate.save()
    client.force_login(trainer)
    response = client.get(_url("results_export", sat_session))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:7] == ["准考证号", "姓名", "中队", "职务", "总分", "是否及格", "是否缺考"]
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'=HYPERLINK(\"http://x\")" in names


def test_score_entry_round_trip_through_the_screens(client, trainer):
    session = grading_session(officers=1, with_attempts=False)
    client.force_login(trainer)
    template = client.get(_url("score_template", session))
    workbook = load_workbook(io.BytesIO(b"".join(template.streaming_content)))
    sheet = workbook[SHEET]
    sheet["E2"], sheet["I2"] = "C", 9
    sheet["D3"] = "缺考"
    sheet["E4"] = "Q"
    bad = io.BytesIO()
    workbook.save(bad)
    bad.seek(0)
    bad.name = "scores.xlsx"
    preview = client.post(_url("score_upload", session), {"file": bad}, follow=True).content.decode()
    assert "data-score-errors" in preview and "E" in preview and "Q" in preview
    assert _nothing_written(session)
    sheet["E4"] = "B"
    good = io.BytesIO()
    workbook.save(good)
    good.seek(0)
    good.name = "scores.xlsx"
    preview = client.post(_url("score_upload", session), {"file": good}, follow=True)
    assert "data-score-counts" in preview.content.decode()
    assert _nothing_written(session)
    # The workbook waits on the private storage (any web node can confirm it), bound to this sign-in.
    from lms.jobs.models import Upload

    waiting = Upload.objects.get(kind="scores", owner=trainer)
    assert waiting.file.storage.exists(waiting.file.name)
    token = client.session["exams_score_import_pending"]["token"]
    other = Client()
    other.force_login(make_user("trainer_other", roles.TRAINER))
    other.post(_url("score_confirm", session), {"token": token})
    assert _nothing_written(session)  # another trainer cannot confirm this upload
    client.post(_url("score_confirm", session), {"token": token})
    scores = sorted(a.score for a in Attempt.objects.filter(session=session, score__isnull=False))
    assert scores == [Decimal("0"), Decimal("11")]
    assert Attempt.objects.filter(session=session, status="absent").count() == 1
    assert not Upload.objects.filter(kind="scores").exists()  # confirmed: the waiting file is gone


def test_regrade_screen_previews_then_confirms(client, trainer, sat_session):
    client.force_login(trainer)
    version = essay_responses(sat_session).first().attempt.responses.get(position=1).paper_question.version
    data = {"version": version.pk, "kind": "key", "answer": "B", "reason": "答案有误"}
    preview = client.post(_url("regrade", sat_session), data).content.decode()
    assert "data-preview-changes" in preview and Mark.objects.filter(source="regrade").count() == 0
    client.post(_url("regrade", sat_session), {**data, "confirm": "1"})
    assert Mark.objects.filter(source="regrade").count() == 3


def test_makeup_from_a_released_session(client, trainer):
    session = grading_session(officers=1)
    attempts = attempts_of(session)
    sit(attempts[0], PERFECT)
    sit(attempts[1], {1: "A"})
    session = close(session)
    marker = make_user("m", roles.TRAINER)
    from lms.exams.services.marking import submit_mark
    from lms.exams.services.results import release_results

    for essay in essay_responses(session):
        submit_mark(response=essay, marker=marker, score="5")
    release_results(session=session)
    client.force_login(trainer)
    client.post(_url("results_makeup", session), {"code": "G1-BK", "starts_at": "2027-01-10T09:00",
                                                  "ends_at": "2027-01-10T11:00"})
    makeup = session.makeups.get()
    assert makeup.code == "G1-BK" and makeup.candidates.count() == 2  # the failed one and the absent one


def test_regrade_all_previews_then_applies_a_key_corrected_in_another_session(client, trainer, sat_session):
    client.force_login(trainer)
    version = essay_responses(sat_session).first().attempt.responses.get(position=1).paper_question.version
    type(version).objects.filter(pk=version.pk).update(answer=["B"])  # as a correction from elsewhere would
    preview = client.post(_url("regrade", sat_session), {"kind": "all"}).content.decode()
    assert "data-preview-changes" in preview and not Mark.objects.filter(source="regrade").exists()
    client.post(_url("regrade", sat_session), {"kind": "all", "confirm": "1", "reason": "同步更正"})
    assert Mark.objects.filter(source="regrade", reason="同步更正").count() == 3
