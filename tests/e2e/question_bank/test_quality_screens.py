"""In Chromium: a trainer sees an absolute-word warning on the item-writing report, marks it as considered
with a reason, and accepts an exclusion-group proposal."""

import pytest

from question_bank.models import ExclusionGroup, ItemCheckReview, KnowledgePoint
from question_bank.services.questions import create_question
from tests.e2e.admin_helpers import admin_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_trainer_reviews_warnings_and_groups_questions(page, trainer, output_dir):
    kp = KnowledgePoint.add_root(code="QZ", name="行政强制法")
    statement = create_question(code="E-T1", question_type="true_false", knowledge_point=kp, options=[],
                                answer=[True], stem="行政机关必须依法实施行政强制措施。", legal_basis="《行政强制法》第四条")
    create_question(code="E-S1", question_type="single", knowledge_point=kp, stem="当场实施强制措施后应当在多长时间内报告？",
                    options=["12小时", "24小时", "48小时", "72小时"], answer=["B"], legal_basis="《行政强制法》第十九条")
    create_question(code="E-T2", question_type="true_false", knowledge_point=kp, options=[], answer=[True],
                    stem="当场实施强制措施的，应当在24小时内向负责人报告。", legal_basis="《行政强制法》第十九条")

    admin_login(page, trainer.username)
    page.goto(page.base_url + "/admin/question_bank/tools/checks/")
    assert "判断题题干含绝对化词语" in page.locator("#check-counts").inner_text()
    page.screenshot(path=str(output_dir / "qbank-item-checks-report.png"), full_page=True)

    page.get_by_role("link", name="E-T1").click()
    page.fill("input[name=reason]", "“必须”是行政强制法第四条原文，本题为正确")
    page.get_by_role("button", name="标记为已斟酌").click()
    page.get_by_text("已斟酌：").first.wait_for()
    assert ItemCheckReview.objects.filter(question=statement, check_code="absolute_word").exists()

    page.goto(page.base_url + "/admin/question_bank/tools/groups/proposals/")
    proposal = page.locator("form.qb-proposal").first
    assert "E-S1" in proposal.inner_text() and "E-T2" in proposal.inner_text()
    proposal.locator("input[name=name]").fill("24小时报告")
    page.screenshot(path=str(output_dir / "qbank-group-proposals.png"), full_page=True)
    proposal.get_by_role("button", name="确认为同一题组").click()
    page.get_by_text("已保存").first.wait_for()
    assert ExclusionGroup.objects.get().name == "24小时报告"
