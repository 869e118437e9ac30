"""In Chromium: the answer key downloads with every item whole (item 11); the blueprint editor refuses quotas
that cannot work with the check page's words, and a lesson's practice block picks its questions with Wagtail's
chooser (item 13)."""

import subprocess

import pytest

from courses.models import LessonPage
from lms.core import roles
from lms.exams.services.draw import draw_candidates
from lms.exams.services.papers import issue_papers
from lms.roster.models import Position
from question_bank.models import Blueprint, QuestionStatus
from tests.conftest import make_user
from tests.e2e.admin_helpers import add_inline, admin_login
from tests.unit.courses import factories
from tests.unit.exams.factories import build_bank, build_blueprint, build_district, build_session
from tests.unit.exams.test_answer_key_layout import expected_keys, key_blocks

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_downloaded_answer_key_reads_every_item_whole(page, output_dir, tmp_path):
    build_district([{Position.SQUAD_LEADER: 1, Position.LEGAL_OFFICER: 1}])
    build_bank({("single", "K1", 3): 40, ("multiple", "K1", 3): 30, ("true_false", "K1", 2): 60})
    session = build_session(blueprint=build_blueprint(
        sections=[("single", 35, "1"), ("multiple", 25, "1"), ("true_false", 40, "1")]))
    draw_candidates(session=session, seed="key")
    issue_papers(session=session)
    make_user("trainer_key", roles.TRAINER)
    admin_login(page, "trainer_key")
    page.goto(f"{page.base_url}/admin/exams/sessions/{session.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="参考答案（PDF）").click()
    path = tmp_path / "key.pdf"
    download.value.save_as(path)
    (output_dir / "e2e_answer_key.pdf").write_bytes(path.read_bytes())
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
    from django.utils import translation

    with translation.override("zh-hans"):
        expected = expected_keys(session)
    found = key_blocks(text, expected)
    assert set(found) == set(expected)
    assert all(found[ticket] == expected[ticket] for ticket in expected)
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(path),
                    str(output_dir / "e2e_answer_key_page")], check=True)


def test_the_blueprint_editor_refuses_a_quota_that_does_not_add_up(page, output_dir):
    build_bank({("single", "K1", 3): 12})
    make_user("trainer_bp", roles.TRAINER)
    admin_login(page, "trainer_bp")
    page.goto(page.base_url + "/admin/exams/blueprints/add/")
    page.wait_for_load_state("networkidle")
    page.fill("input[name=name]", "配额不对的方案")
    page.select_option("select[name=sections-0-question_type]", "single")
    page.fill("input[name=sections-0-count]", "10")
    page.fill("input[name=sections-0-points]", "10")
    add_inline(page, "knowledge_quotas", "select[name=knowledge_quotas-0-question_type]")
    page.select_option("select[name=knowledge_quotas-0-question_type]", "single")
    page.select_option("select[name=knowledge_quotas-0-knowledge_point]", label="知识点K1")
    page.fill("input[name=knowledge_quotas-0-count]", "3")
    page.get_by_role("button", name="保存").first.click()
    page.wait_for_load_state()
    page.screenshot(path=str(output_dir / "e2e_blueprint_quota_refused.png"), full_page=True)
    assert "配额题数合计 3，但该题型共 10 题" in page.locator("main").inner_text()
    assert not Blueprint.objects.exists()


def add_practice_block_choosing(page, course, title: str, stem: str, output_dir, shot: str):
    page.goto(f"{page.base_url}/admin/pages/add/courses/lessonpage/{course.pk}/")
    page.wait_for_load_state("networkidle")
    page.fill("#id_title", title)
    page.locator("button.c-sf-add-button").first.click()
    page.get_by_text("随堂练习", exact=True).first.click()
    page.locator("[data-chooser-action-choose]").first.click()
    modal = page.locator(".modal-dialog").first
    modal.wait_for(state="visible")
    page.wait_for_timeout(300)
    page.screenshot(path=str(output_dir / f"{shot}_chooser.png"), full_page=True)
    modal.get_by_text(stem).first.click()
    modal.wait_for(state="hidden")
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_load_state()
    page.screenshot(path=str(output_dir / f"{shot}_saved.png"), full_page=True)


def test_a_practice_block_picks_its_questions_with_the_chooser(page, output_dir):
    course = factories.make_course(title="行政强制法")
    factories.make_question(code="QZ-101", stem="查封、扣押的期限一般不得超过多少日？")
    factories.make_question(code="QZ-DRAFT", stem="草稿状态的题目", status=QuestionStatus.DRAFT)
    make_user("trainer_lesson", roles.TRAINER)
    admin_login(page, "trainer_lesson")

    # A draft question would leave officers an empty block: refused on save, naming it.
    add_practice_block_choosing(page, course, "草稿题的课时", "草稿状态的题目", output_dir, "e2e_practice_draft")
    assert "QZ-DRAFT" in page.content() and "未启用" in page.content()
    assert "页面填写有误，未能创建。" in page.content() and "validation errors" not in page.content()
    assert not LessonPage.objects.filter(title="草稿题的课时").exists()

    add_practice_block_choosing(page, course, "查封扣押的期限", "查封、扣押的期限一般不得超过多少日？", output_dir,
                                "e2e_practice_active")
    lesson = LessonPage.objects.get(title="查封扣押的期限")
    assert lesson.practice_codes() == ["QZ-101"]
