"""In Chromium: a trainer imports a workbook in the admin, sees the preview with an error row, fixes the
file, confirms, and finds the questions by a Chinese keyword; then previews one as an officer sees it."""

import pytest

from question_bank.models import Question
from tests.e2e.admin_helpers import admin_login
from tests.unit.question_bank.sheets import single, workbook_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def rows(answer_of_second):
    return [
        single(题目编号="E2E-1"),
        single(题目编号="E2E-2", 题干="对违法建筑实施强制拆除前，行政机关应当先予以什么？", 选项A="公告", 选项B="罚款",
               选项C="拘留", 选项D="约谈", 答案=answer_of_second, 知识点="行政强制法/强制执行"),
        {"题目编号": "E2E-3", "题型": "判断题", "题干": "扣押物品的保管费用可以向当事人收取。", "答案": "错",
         "知识点": "行政强制法/行政强制措施", "解析": "保管费用由行政机关承担。"},
    ]


def test_trainer_imports_fixes_confirms_and_finds(page, trainer, tmp_path, output_dir):
    bad = tmp_path / "题库-有错.xlsx"
    bad.write_bytes(workbook_bytes(rows(answer_of_second="甲")))
    good = tmp_path / "题库-改正.xlsx"
    good.write_bytes(workbook_bytes(rows(answer_of_second="A")))

    admin_login(page, trainer.username)
    page.goto(page.base_url + "/admin/question_bank/import/")
    assert page.get_by_role("heading", name="导入题目").is_visible()
    page.set_input_files("input[name=file]", str(bad))
    page.get_by_role("button", name="检查文件").click()

    errors = page.locator("#import-errors")
    errors.wait_for()
    assert "不会导入任何题目" in errors.inner_text()
    error_row = errors.locator("tr.qb-error-row").first
    assert "3" in error_row.inner_text() and "答案" in error_row.inner_text() and "甲" in error_row.inner_text()
    assert page.locator("#import-rows tr.qb-row-error").count() == 1
    assert page.locator("#confirm-import").count() == 0
    page.screenshot(path=str(output_dir / "qbank-import-preview-error.png"), full_page=True)
    assert Question.objects.count() == 0

    page.set_input_files("input[name=file]", str(good))
    page.get_by_role("button", name="检查文件").click()
    page.locator("#confirm-import").wait_for()
    assert "新增：3" in page.locator(".qb-summary").inner_text()
    page.screenshot(path=str(output_dir / "qbank-import-preview-ok.png"), full_page=True)
    page.locator("#confirm-import").click()
    page.wait_for_url("**/admin/jobs/**")  # the import runs as a job; its screen shows the result
    page.locator("[data-import-counts]").wait_for()
    assert Question.objects.count() == 3

    page.goto(page.base_url + "/admin/question_bank/questions/?q=拆除")
    listing = page.locator("table.listing")
    listing.wait_for()
    assert "E2E-2" in listing.inner_text() and "E2E-1" not in listing.inner_text()
    page.screenshot(path=str(output_dir / "qbank-search-chinese.png"), full_page=True)

    question = Question.objects.get(code="E2E-2")
    page.goto(page.base_url + f"/admin/question_bank/tools/preview/{question.pk}/")
    assert page.get_by_text("强制拆除前").is_visible() and page.locator("input[type=radio]").count() == 4
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(output_dir / "qbank-officer-preview-phone.png"), full_page=True)
