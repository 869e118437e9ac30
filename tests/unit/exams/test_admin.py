"""Exam screens: trainers manage, assessors look, officers never reach other candidates or any answer key."""

from django.urls import reverse

import pytest

from lms.core import roles
from lms.exams.models import CandidateReason
from lms.exams.services.draw import draw_candidates
from lms.exams.services.papers import issue_papers
from lms.roster.models import Person, Position
from tests.conftest import make_user

from .factories import build_bank, build_blueprint, build_district, build_session


@pytest.fixture
def session(db):
    build_district([{Position.SQUAD_LEADER: 1, Position.ENFORCEMENT_OFFICER: 6},
                    {Position.SQUAD_LEADER: 1, Position.LEGAL_OFFICER: 1, Position.AUXILIARY: 3}])
    build_bank({("single", "K1", 3): 8})
    return build_session(blueprint=build_blueprint())


def test_trainer_draws_excuses_and_issues_from_the_dashboard(client, trainer, session):
    client.force_login(trainer)
    dashboard = reverse("exams_admin:dashboard", args=[session.pk])
    assert client.get(dashboard).status_code == 200
    response = client.post(reverse("exams_admin:draw", args=[session.pk]), {"seed": "abc", "witness": "张三"},
                           follow=True)
    assert "abc" in response.content.decode()
    sampled = session.candidates.filter(reason=CandidateReason.SAMPLED).first()
    response = client.post(reverse("exams_admin:excuse", args=[session.pk]),
                           {"candidate": sampled.pk, "reason": "病假", "approved_by": "李科长"}, follow=True)
    replacement = session.candidates.get(reason=CandidateReason.REPLACEMENT)
    assert replacement.name in response.content.decode()
    response = client.post(reverse("exams_admin:issue", args=[session.pk]), follow=True)
    assert session.papers.count() == session.candidates.exclude(attendance="excused").count()
    text = response.content.decode()
    assert "D1第1中队" in text  # the squad without a legal officer is named
    key = client.get(reverse("exams_admin:answer_key", args=[session.pk]))
    assert key.status_code == 200 and key["Content-Type"] == "application/pdf"
    export = client.get(reverse("exams_admin:export", args=[session.pk]))
    assert export.status_code == 200


def test_assessor_may_look_but_not_act_nor_download_the_key(client, assessor, session):
    draw_candidates(session=session, seed="s")
    issue_papers(session=session)
    client.force_login(assessor)
    assert client.get(reverse("exams_admin:dashboard", args=[session.pk])).status_code == 200
    # Wagtail turns a refusal into a redirect to the admin home with an error message.
    key = client.get(reverse("exams_admin:answer_key", args=[session.pk]))
    assert key.status_code == 302 and key["Location"] == "/admin/"
    assert client.post(reverse("exams_admin:issue", args=[session.pk]))["Location"] == "/admin/"
    draws_before = session.draws.count()
    client.post(reverse("exams_admin:draw", args=[session.pk]), {"reason": "x"})
    assert session.draws.count() == draws_before


def test_officer_cannot_reach_exam_admin(client, officer, session):
    client.force_login(officer)
    assert client.get(reverse("exams_admin:dashboard", args=[session.pk])).status_code == 403
    assert client.get(reverse("exams_admin:answer_key", args=[session.pk])).status_code == 403


def test_blueprint_check_page_names_missing_cells(client, trainer, db):
    kps = build_bank({("single", "K1", 3): 2})
    bp = build_blueprint(sections=[("single", 4, "2")], kp_quotas=[("single", kps["K1"], 4, None)])
    client.force_login(trainer)
    text = client.get(reverse("exams_admin:blueprint_check", args=[bp.pk])).content.decode()
    assert "知识点K1" in text and "需要 4 题" in text


def test_trainer_reaches_the_blueprint_and_session_editors(client, trainer, session):
    client.force_login(trainer)
    assert client.get(reverse("wagtailsnippets_question_bank_blueprint:add")).status_code == 200
    assert client.get(reverse("wagtailsnippets_exams_examsession:edit", args=[session.pk])).status_code == 200
    assert client.get(reverse("wagtailsnippets_exams_examsession:list")).status_code == 200


def test_my_exams_shows_only_the_officers_own_sitting(client, session):
    draw = draw_candidates(session=session, seed="s")
    mine, other = list(draw.candidates.all()[:2])
    user = make_user("off2", roles.OFFICER)
    Person.objects.filter(pk=mine.person_id).update(user=user)
    client.force_login(user)
    text = client.get(reverse("exams:my_exams")).content.decode()
    assert mine.ticket_number in text and session.title in text
    assert other.ticket_number not in text and other.name not in text
