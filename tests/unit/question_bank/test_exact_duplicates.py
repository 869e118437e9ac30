"""Exact duplicates (same type, normalised stem and options) are refused naming the existing code, in the
admin and on import; re-uploading an exported or already imported file updates instead of adding."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

import pytest

from question_bank.imports.excel import export_workbook
from question_bank.imports.service import import_questions
from question_bank.models import Question

from .sheets import single, workbook_bytes

pytestmark = pytest.mark.django_db
ADD = "wagtailsnippets_question_bank_question:add"


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def import_rows(rows, **kwargs):
    return import_questions(data=workbook_bytes(rows), **kwargs)


def form_data(kp, **over):
    data = {
        "code": "", "type": "single", "knowledge_point": kp.pk,
        "stem": "情况紧急需当场实施行政强制措施的，应当在多长时间内向行政机关负责人报告？",
        "option_a": "12小时", "option_b": "24小时", "option_c": "48小时", "option_d": "72小时",
        "answer_text": "B", "difficulty": 3, "points": "2", "explanation": "", "legal_basis": "",
        "reference_answer": "", "marking_points_text": "",
    }
    data.update(over)
    return data


def test_the_admin_refuses_an_exact_duplicate_naming_the_existing_code(client, trainer, make_question, kp_tree):
    make_question(code="QZ-7")
    client.force_login(trainer)
    # Spaces, full-width characters and the order of the options do not make a new question.
    response = client.post(reverse(ADD), form_data(
        kp_tree["law"], stem="情况紧急需当场实施行政强制措施的 ，应当在多长时间内向行政机关负责人报告?",
        option_a="２４小时", option_b="12小时", answer_text="A",
    ))
    assert response.status_code == 200
    assert Question.objects.count() == 1
    errors = response.context["form"].errors
    assert "QZ-7" in str(errors) and "完全相同" in str(errors)


def test_the_admin_accepts_the_same_stem_with_other_options_or_another_type(client, trainer, make_question, kp_tree):
    make_question(code="QZ-7")
    client.force_login(trainer)
    response = client.post(reverse(ADD), form_data(kp_tree["law"], option_d="96小时"))
    assert response.status_code == 302, response.context["form"].errors
    response = client.post(reverse(ADD), form_data(
        kp_tree["law"], type="fill_blank", option_a="", option_b="", option_c="", option_d="", answer_text="24小时",
    ))
    assert response.status_code == 302, response.context["form"].errors
    assert Question.objects.count() == 3


def test_editing_a_question_is_not_a_duplicate_of_itself(client, trainer, make_question, kp_tree):
    question = make_question(code="QZ-7")
    client.force_login(trainer)
    response = client.post(
        reverse("wagtailsnippets_question_bank_question:edit", args=[question.pk]),
        form_data(kp_tree["measures"], explanation="补充的解析"),
    )
    assert response.status_code == 302, response.context["form"].errors


def test_import_refuses_a_new_code_whose_content_exists_naming_the_existing_code():
    import_rows([single(题目编号="OLD-1")])
    report = import_rows([single(题目编号="NEW-1", 选项A="24小时", 选项B="12小时", 答案="A")])
    assert not report.ok
    (error,) = report.errors
    assert "OLD-1" in error.message and "完全相同" in error.message and error.row == 2
    assert Question.objects.count() == 1


def test_import_refuses_two_identical_rows_in_one_file():
    report = import_rows([single(), single(题干="城管执法中当场实施行政强制措施后应当在多少小时内报告？ ")])
    assert not report.ok
    (error,) = report.errors
    assert error.row == 3 and "第 2 行" in error.message
    assert Question.objects.count() == 0


def test_re_uploading_an_imported_file_without_codes_updates_instead_of_adding():
    rows = [single(), single(题干="查封、扣押的期限不得超过多少日？", 选项A="15日", 选项B="30日", 答案="B")]
    first = import_rows(rows)
    assert first.ok and Question.objects.count() == 2
    again = import_rows([rows[0], {**rows[1], "解析": "行政强制法第二十五条。"}], dry_run=True)
    assert again.ok, again.errors
    assert (again.counts["create"], again.counts["update"], again.counts["unchanged"]) == (0, 1, 1)
    assert again.matched_existing == 2
    codes = set(Question.objects.values_list("code", flat=True))
    assert {row.code for row in again.rows} == codes
    assert all("已在题库中" in " ".join(row.messages) for row in again.rows)
    import_rows([rows[0], {**rows[1], "解析": "行政强制法第二十五条。"}])
    assert Question.objects.count() == 2
    assert Question.objects.get(stem="查封、扣押的期限不得超过多少日？").explanation == "行政强制法第二十五条。"


def test_re_uploading_an_export_updates_by_code_and_the_preview_says_so(client, trainer):
    import_rows([single(题目编号="E1"), single(题目编号="E2", 题干="扣押期限一般不超过多少日？", 答案="C")])
    client.force_login(trainer)
    upload = SimpleUploadedFile("导出.xlsx", export_workbook())
    response = client.post(reverse("question_bank_import:index"), {"file": upload})
    html = response.content.decode()
    assert response.status_code == 200 and response.context["token"]
    assert 'id="import-existing"' in html
    assert "2 道题已在题库中" in html and "更新" in html
    assert Question.objects.count() == 2
