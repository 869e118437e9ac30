"""Lesson practice blocks pick questions with Wagtail's chooser and refuse, on save, questions officers
would never see; old lessons' typed codes are carried over by the migration."""

import importlib

from django.utils import translation

from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

import pytest

from courses.blocks import PracticeQuestionsBlock, QuestionChooserBlock
from courses.models import LessonPage
from lms.core import roles
from question_bank.models import QuestionStatus
from tests.conftest import make_user

from . import factories
from .test_pages import chosen


def test_the_practice_block_picks_questions_with_the_snippet_chooser():
    child = PracticeQuestionsBlock().child_blocks["questions"].child_block
    assert isinstance(child, QuestionChooserBlock)
    from wagtail.snippets.widgets import AdminSnippetChooser

    assert isinstance(child.widget, AdminSnippetChooser)


@pytest.mark.django_db
def test_the_chooser_stores_the_code_and_shows_the_chosen_question_in_the_editor():
    question = factories.make_question(code="QZ-9")
    block = QuestionChooserBlock()
    assert block.value_from_form(question.pk) == "QZ-9"
    assert block.get_prep_value("QZ-9") == "QZ-9"
    assert block.to_python("QZ-9") == "QZ-9"  # no query per block when a lesson renders
    state = block.get_form_state("QZ-9")
    assert state["id"] == question.pk


def test_the_migration_turns_typed_codes_into_chosen_questions():
    migration = importlib.import_module("courses.migrations.0002_practice_questions_chosen")
    value = migration.PracticeCodesToChosenQuestions().apply({"title": "练习", "question_codes": "Q1，Q2、 Q3"})
    assert value["title"] == "练习" and "question_codes" not in value
    assert [item["value"] for item in value["questions"]] == ["Q1", "Q2", "Q3"]
    assert all(item["type"] == "item" and item["id"] for item in value["questions"])


def body_errors(response) -> str:
    """The stream field's errors as the editor shows them (Wagtail renders them from this JSON)."""
    import json

    from wagtail.blocks.base import get_error_json_data

    error = response.context["form"].errors.as_data()["body"][0]
    with translation.override("zh-hans"):
        return json.dumps(get_error_json_data(error), ensure_ascii=False)


class PracticeBlockValidationTests(WagtailPageTestCase):
    def setUp(self):
        super().setUp()
        self.client.force_login(make_user("trainer-practice", roles.TRAINER))
        self.course = factories.make_course()

    def post_lesson(self, questions):
        data = nested_form_data({
            "title": "随堂练习课", "slug": "practice-lesson", "intro": "导语", "min_seconds": "60",
            "body": streamfield([("paragraph", rich_text("<p>正文</p>")),
                                 ("practice", {"title": "练习", "questions": chosen(questions)})]),
        })
        data["action-publish"] = "publish"
        with translation.override("zh-hans"):
            return self.client.post(f"/admin/pages/add/courses/lessonpage/{self.course.pk}/", data)

    def test_a_draft_question_is_refused_on_save_with_its_code(self):
        draft = factories.make_question(code="QZ-DRAFT", status=QuestionStatus.DRAFT)
        response = self.post_lesson([draft])
        assert response.status_code == 200
        assert not LessonPage.objects.filter(slug="practice-lesson").exists()
        message = body_errors(response)
        assert "QZ-DRAFT" in message and "未启用" in message

    def test_a_question_chosen_twice_is_refused(self):
        question = factories.make_question(code="QZ-1")
        response = self.post_lesson([question, question])
        assert response.status_code == 200
        message = body_errors(response)
        assert "QZ-1" in message and "重复" in message

    def test_a_question_deleted_before_saving_is_refused(self):
        gone = factories.make_question(code="QZ-GONE")
        data_questions = [gone]
        gone_pk = gone.pk
        gone.delete()
        data_questions[0].pk = gone_pk
        response = self.post_lesson(data_questions)
        assert response.status_code == 200
        assert not LessonPage.objects.filter(slug="practice-lesson").exists()

    def test_active_questions_are_saved_and_shown_to_officers(self):
        first = factories.make_question(code="QZ-A", stem="第一题题干")
        second = factories.make_question(code="QZ-B", stem="第二题题干")
        response = self.post_lesson([first, second])
        assert response.status_code == 302, response.content.decode()[-3000:]
        lesson = LessonPage.objects.get(slug="practice-lesson")
        assert lesson.practice_codes() == ["QZ-A", "QZ-B"]
        officer = make_user("officer-practice", roles.OFFICER)
        self.client.force_login(officer)
        html = self.client.get(lesson.url).content.decode()
        assert "第一题题干" in html and "第二题题干" in html
