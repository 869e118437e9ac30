"""Practice reveals keys only of questions open to practice and in the scope being practised (issue 15 item 4)."""

from django.urls import reverse

import pytest

from courses.models import PracticeAnswer
from question_bank.models import Question, QuestionUse

from . import factories

pytestmark = pytest.mark.django_db


def answer(client, question, *values, **scope):
    return client.post(reverse("courses:practice_answer", args=[question.pk]), {"answer": list(values), **scope})


def test_questions_are_open_to_practice_by_default():
    assert factories.make_question().use == QuestionUse.PRACTICE_AND_EXAMS


def test_an_exams_only_question_is_never_answered_in_practice(client, officer):
    question = factories.make_question(explanation="考试专用题的解析")
    Question.objects.filter(pk=question.pk).update(use=QuestionUse.EXAMS_ONLY)
    client.force_login(officer)
    response = answer(client, question, "B")
    assert response.status_code == 404
    assert "考试专用题的解析" not in response.content.decode()
    assert not PracticeAnswer.objects.exists()


def test_exams_only_questions_are_never_drawn_for_practice(client, officer):
    point = factories.make_knowledge_point()
    question = factories.make_question(stem="只在考试中出现的题干", knowledge_point=point)
    Question.objects.filter(pk=question.pk).update(use=QuestionUse.EXAMS_ONLY)
    client.force_login(officer)
    html = client.get(reverse("courses:practice"), {"kp": point.pk}).content.decode()
    assert "只在考试中出现的题干" not in html


def test_a_question_outside_the_knowledge_point_being_practised_is_refused(client, officer):
    practised = factories.make_knowledge_point(code="KP-A", name="行政处罚法")
    other = factories.make_knowledge_point(code="KP-B", name="行政强制法")
    outside = factories.make_question(knowledge_point=other, explanation="范围外的解析")
    client.force_login(officer)
    response = answer(client, outside, "B", kp=practised.pk)
    assert response.status_code == 404
    assert "范围外的解析" not in response.content.decode()
    assert not PracticeAnswer.objects.exists()


def test_a_question_outside_the_course_being_practised_is_refused(client, officer):
    course = factories.make_course(knowledge_points=[factories.make_knowledge_point(code="KP-A", name="甲")])
    outside = factories.make_question(knowledge_point=factories.make_knowledge_point(code="KP-B", name="乙"))
    client.force_login(officer)
    assert answer(client, outside, "B", course=course.pk).status_code == 404
    assert not PracticeAnswer.objects.exists()


def test_a_question_inside_the_scope_is_answered_with_its_key(client, officer):
    point = factories.make_knowledge_point(code="KP-A", name="甲")
    inside = factories.make_question(knowledge_point=point, explanation="范围内的解析")
    client.force_login(officer)
    response = answer(client, inside, "B", kp=point.pk)
    assert response.status_code == 200 and "范围内的解析" in response.content.decode()


def test_the_wrong_answer_book_scope_accepts_only_the_officers_own_wrong_answers(client, officer):
    mine = factories.make_question()
    other = factories.make_question(explanation="别人的题的解析")
    client.force_login(officer)
    answer(client, mine, "A")  # wrong: enters the book
    assert answer(client, mine, "B", book="1").status_code == 200
    assert answer(client, other, "B", book="1").status_code == 404


def test_a_trainer_marks_a_question_exams_only_in_the_admin(client, trainer):
    question = factories.make_question(type="single")
    client.force_login(trainer)
    response = client.post(reverse("wagtailsnippets_question_bank_question:edit", args=[question.pk]), {
        "type": "single", "knowledge_point": question.knowledge_point_id, "stem": question.stem,
        "option_a": "当事人", "option_b": "行政机关", "answer_text": "B", "difficulty": 3, "points": "2",
        "explanation": "", "legal_basis": "", "reference_answer": "", "marking_points_text": "",
        "use": QuestionUse.EXAMS_ONLY,
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    question.refresh_from_db()
    assert question.use == QuestionUse.EXAMS_ONLY
