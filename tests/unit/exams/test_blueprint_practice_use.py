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


def test_a_mock_exam_never_draws_an_exams_only_question_and_hides_its_key_if_one_is_there(db):
    from lms.core import roles
    from lms.exams.models import Attempt, PaperQuestion
    from lms.exams.selectors import attempt_review
    from lms.exams.services import sitting
    from tests.conftest import make_user

    exams_only = _bank_with_exams_only(2)  # 4 of the 6 questions may be practised
    bp = build_blueprint(sections=[("single", 4, "2")])
    bp.open_for_practice = True
    bp.save()
    user = make_user("mock_use_officer", roles.OFFICER)
    for _ in range(5):
        attempt = sitting.start_mock_exam(user=user, blueprint=bp)
        drawn = set(PaperQuestion.objects.filter(paper=attempt.paper).values_list("question_id", flat=True))
        assert len(drawn) == 4 and not drawn & exams_only
    # A question made exams-only after the paper was drawn keeps its key hidden on the receipt.
    attempt = Attempt.objects.filter(user=user).first()
    hidden = PaperQuestion.objects.filter(paper=attempt.paper).first()
    Question.objects.filter(pk=hidden.question_id).update(use=QuestionUse.EXAMS_ONLY)
    review = {item["position"]: item for item in attempt_review(attempt, show_key=True)}
    assert review[hidden.position]["key"] == "" and review[hidden.position]["explanation"] == ""
    assert all(item["key"] for position, item in review.items() if position != hidden.position)


def test_an_exams_only_blueprint_cannot_be_open_for_practice(client, trainer):
    from .test_blueprint_validation import blueprint_data

    build_bank({("single", "K1", 3): 6})
    client.force_login(trainer)
    data = blueprint_data(sections=[("single", 2, "2")], name="考试专用方案")
    data.update({"open_for_practice": "on", "exams_only_questions": "on"})
    response = client.post(reverse("wagtailsnippets_question_bank_blueprint:add"), data)
    assert response.status_code == 200
    assert "不能开放练习" in str(response.context["form"].errors.get("open_for_practice"))
    from lms.exams.services import sitting
    from question_bank.models import Blueprint

    assert not Blueprint.objects.filter(name="考试专用方案").exists()
    bp = build_blueprint(sections=[("single", 2, "2")], name="误设方案")
    Blueprint.objects.filter(pk=bp.pk).update(open_for_practice=True, exams_only_questions=True)
    assert bp.pk not in set(sitting.practice_blueprints().values_list("pk", flat=True))
