"""Questions always have a current version equal to their content; a used version never changes."""

from decimal import Decimal

from django.core.exceptions import ValidationError

import pytest

from lms.core.models import AuditEntry
from question_bank.models import QuestionStatus, QuestionVersion
from question_bank.services.questions import (
    TransitionError,
    content_of,
    freeze_current_version,
    move_questions,
    set_status,
    update_question,
)

pytestmark = pytest.mark.django_db


def test_a_new_question_has_version_one_equal_to_its_content(make_question):
    question = make_question()
    assert question.code == "Q000001"
    assert question.current_version.number == 1
    assert content_of(question.current_version) == content_of(question)
    assert AuditEntry.objects.filter(action="question.create", object_id=str(question.pk)).exists()


def test_codes_are_generated_after_the_highest_one(make_question):
    make_question(code="Q000041")
    assert make_question().code == "Q000042"


def test_editing_an_unused_question_updates_its_version_in_place(make_question):
    question = make_question()
    update_question(question=question, stem="新的题干？")
    question.refresh_from_db()
    assert question.versions.count() == 1
    assert question.current_version.stem == "新的题干？" == question.stem


def test_editing_a_used_question_makes_a_new_version_and_leaves_the_old_one_unchanged(make_question, trainer):
    question = make_question()
    old = freeze_current_version(question=question)
    old_content = content_of(old)
    update_question(question=question, actor=trainer, answer=["C"], options=["12小时", "36小时", "24小时", "72小时"])
    question.refresh_from_db()
    old.refresh_from_db()
    assert content_of(old) == old_content  # the past paper still shows what it showed
    assert old.answer == ["B"]
    assert question.current_version.number == 2 and question.current_version.answer == ["C"]
    assert content_of(question.current_version) == content_of(question)
    assert question.current_version.frozen_at is None
    assert question.current_version.created_by == trainer


def test_saving_without_changes_makes_no_new_version(make_question):
    question = make_question()
    freeze_current_version(question=question)
    update_question(question=question, stem=question.stem, points=Decimal("2.0"))
    assert QuestionVersion.objects.filter(question=question).count() == 1


def test_the_type_of_a_used_question_cannot_change(make_question):
    question = make_question()
    freeze_current_version(question=question)
    with pytest.raises(ValidationError):
        update_question(question=question, question_type="multiple", answer=["A", "B"])


def test_invalid_content_is_refused_by_field(make_question, kp_tree):
    with pytest.raises(ValidationError) as caught:
        make_question(answer=["E"])
    assert "answer" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        make_question(question_type="true_false", options=[], answer=["yes"])
    assert "answer" in caught.value.message_dict


def test_status_moves_record_who_and_when(make_question, trainer):
    question = make_question()
    assert set_status(questions=[question], status=QuestionStatus.ACTIVE, actor=trainer) == 1
    question.refresh_from_db()
    assert question.status == "active" and question.status_changed_by == trainer
    assert question.status_changed_at is not None
    set_status(questions=[question], status=QuestionStatus.RETIRED, actor=trainer)
    assert AuditEntry.objects.filter(action="question.retired").count() == 1


def test_no_question_goes_back_to_draft(make_question):
    question = make_question(status=QuestionStatus.ACTIVE)
    with pytest.raises(TransitionError):
        set_status(questions=[question], status=QuestionStatus.DRAFT)


def test_move_changes_the_knowledge_point_but_not_the_version(make_question, kp_tree):
    question = make_question()
    move_questions(questions=[question], knowledge_point=kp_tree["enforcement"])
    question.refresh_from_db()
    assert question.knowledge_point == kp_tree["enforcement"] and question.versions.count() == 1
