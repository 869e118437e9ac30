"""Practice: random active questions marked by the bank's own rules, feedback at once, and the wrong-answer
book that a question leaves after two correct answers in a row."""

from django.urls import reverse

import pytest

from courses import services
from courses.models import PracticeAnswer, WrongAnswer
from question_bank.models import QuestionStatus

from . import factories

pytestmark = pytest.mark.django_db


def answer(client, question, *values, **extra):
    return client.post(reverse("courses:practice_answer", args=[question.pk]), {"answer": list(values), **extra})


def in_book(user, question) -> bool:
    return WrongAnswer.objects.filter(user=user, question=question, resolved_at__isnull=True).exists()


def test_the_practice_page_never_sends_the_key_or_the_explanation(client, officer):
    point = factories.make_knowledge_point()
    factories.make_question(
        stem="扣押期限最长不超过多少日？", options=["十日", "三十日", "六十日", "九十日"], answer=["B"],
        explanation="解析：第二十五条规定三十日", knowledge_point=point,
    )
    client.force_login(officer)
    html = client.get(reverse("courses:practice"), {"kp": point.pk}).content.decode()
    assert "扣押期限最长不超过多少日？" in html
    assert "解析：第二十五条" not in html
    assert "行政强制法第二十六条" not in html  # the legal basis too waits for the answer
    assert 'value="B"' in html and 'value="A"' in html  # option keys only


def test_a_wrong_answer_gets_immediate_feedback_and_enters_the_wrong_answer_book(client, officer):
    question = factories.make_question()
    client.force_login(officer)
    html = answer(client, question, "A").content.decode()
    assert "feedback-wrong" in html
    assert question.explanation in html
    assert in_book(officer, question)
    assert client.get(reverse("courses:wrong_book")).content.decode().count(question.stem) == 1


def test_two_correct_answers_in_a_row_take_a_question_out_of_the_book(client, officer):
    question = factories.make_question()
    client.force_login(officer)
    answer(client, question, "A")
    assert "feedback-right" in answer(client, question, "B").content.decode()
    assert in_book(officer, question)
    answer(client, question, "B")
    assert not in_book(officer, question)
    assert question.stem not in client.get(reverse("courses:wrong_book")).content.decode()


def test_a_wrong_answer_between_two_correct_ones_resets_the_streak(officer):
    question = factories.make_question()
    for response, expected in ((["A"], True), (["B"], True), (["C"], True), (["B"], True), (["B"], False)):
        services.answer_practice_question(user=officer, question=question, raw_response=response)
        assert in_book(officer, question) is expected
    entry = WrongAnswer.objects.get(user=officer, question=question)
    assert entry.wrong_count == 2


def test_a_question_answered_right_the_first_time_never_enters_the_book(officer):
    question = factories.make_question(type="true_false", stem="城管部门可以收取扣押物品的保管费。", answer=[False])
    result = services.answer_practice_question(user=officer, question=question, raw_response=["false"])
    assert result["correct"] is True
    assert not WrongAnswer.objects.filter(user=officer).exists()
    assert PracticeAnswer.objects.filter(user=officer, correct=True).count() == 1


def test_fill_in_and_multiple_choice_are_marked_by_the_bank_rules(officer):
    blank = factories.make_question(type="fill_blank", stem="紧急情况下应在____小时内报告。", answer=[["二十四", "24"]])
    multiple = factories.make_question(type="multiple", answer=["A", "B"])
    assert services.answer_practice_question(user=officer, question=blank, raw_response=["２４"])["correct"]
    assert not services.answer_practice_question(user=officer, question=multiple, raw_response=["A"])["correct"]


def test_practice_by_knowledge_point_draws_only_active_questions_of_that_point(officer):
    point = factories.make_knowledge_point("KP-A", "宪法")
    other = factories.make_knowledge_point("KP-B", "行政处罚法")
    active = factories.make_question(knowledge_point=point)
    factories.make_question(knowledge_point=point, status=QuestionStatus.DRAFT)
    factories.make_question(knowledge_point=other)
    factories.make_question(knowledge_point=point, type="essay", options=[], answer=[])
    drawn = {services.pick_practice_question(user=officer, knowledge_point=point).pk for _ in range(20)}
    assert drawn == {active.pk}


def test_practice_by_course_uses_its_knowledge_points_and_the_questions_its_lessons_name(officer):
    point = factories.make_knowledge_point("KP-C", "行政强制法")
    by_point = factories.make_question(knowledge_point=point)
    named = factories.make_question(knowledge_point=factories.make_knowledge_point("KP-D", "其他"))
    factories.make_question(knowledge_point=factories.make_knowledge_point("KP-E", "无关"))
    course = factories.make_course(knowledge_points=[point])
    factories.make_lesson(course, body=[("practice", {"title": "练习", "questions": [named.code]})])
    pool = set(services.practice_pool(course=course).values_list("pk", flat=True))
    assert pool == {by_point.pk, named.pk}


def test_the_wrong_answer_book_is_private(client, officer):
    from tests.conftest import make_user

    question = factories.make_question(stem="只属于赵强的错题")
    services.answer_practice_question(user=officer, question=question, raw_response=["A"])
    someone_else = make_user("officer2", "学员")
    client.force_login(someone_else)
    assert "只属于赵强的错题" not in client.get(reverse("courses:wrong_book")).content.decode()


def test_retired_questions_cannot_be_answered(client, officer):
    question = factories.make_question(status=QuestionStatus.RETIRED)
    client.force_login(officer)
    assert answer(client, question, "B").status_code == 404
