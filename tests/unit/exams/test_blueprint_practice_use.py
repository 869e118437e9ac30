"""Blueprints and question use (issue 15 item 4): a blueprint may be limited to exams-only questions, and its
check page says how many of its questions officers can practise."""

from django.urls import reverse

import pytest

from question_bank.assembly import check_blueprint, plan_blueprint
from question_bank.models import Question, QuestionUse

from .factories import build_bank, build_blueprint

pytestmark = pytest.mark.django_db


def _bank_with_exams_only(n_exams_only: int):
    build_bank({("single", "K1", 3): 6})
    ids = list(Question.objects.order_by("id").values_list("pk", flat=True)[:n_exams_only])
    Question.objects.filter(pk__in=ids).update(use=QuestionUse.EXAMS_ONLY)
    return set(ids)


def test_a_blueprint_limited_to_exams_only_questions_draws_only_those(db):
    exams_only = _bank_with_exams_only(4)
    bp = build_blueprint(sections=[("single", 4, "2")])
    bp.exams_only_questions = True
    bp.save()
    plan = plan_blueprint(bp)
    assert {entry.question_id for cell_pool in plan.pool.values() for entry in cell_pool} <= exams_only


def test_a_limited_blueprint_reports_a_shortfall_when_too_few_exams_only_questions(db):
    _bank_with_exams_only(2)
    bp = build_blueprint(sections=[("single", 4, "2")])
    bp.exams_only_questions = True
    bp.save()
    assert not check_blueprint(bp).ok


def test_the_check_page_says_how_many_questions_officers_can_practise(client, trainer):
    _bank_with_exams_only(2)
    bp = build_blueprint(sections=[("single", 4, "2")])
    client.force_login(trainer)
    text = client.get(reverse("exams_admin:blueprint_check", args=[bp.pk])).content.decode()
    assert "6 道题中有 4 道对学员练习开放" in text


def test_the_check_page_of_a_limited_blueprint_says_none_can_be_practised(client, trainer):
    _bank_with_exams_only(5)
    bp = build_blueprint(sections=[("single", 4, "2")])
    bp.exams_only_questions = True
    bp.save()
    client.force_login(trainer)
    text = client.get(reverse("exams_admin:blueprint_check", args=[bp.pk])).content.decode()
    assert "5 道题中有 0 道对学员练习开放" in text
