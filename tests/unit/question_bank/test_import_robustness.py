"""The question import with damaged workbooks: a message, no 500, nothing kept."""

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

import pytest

from question_bank.imports.service import import_questions
from question_bank.models import Question
from tests.damaged_files import DAMAGES

from .sheets import single, workbook_bytes

pytestmark = pytest.mark.django_db


def good_workbook() -> bytes:
    return workbook_bytes([single(题目编号=f"D{n}", 题干=f"第{n}道题：城管执法中当场实施行政强制措施后应当在多少小时内报告？")
                           for n in range(1, 30)])


@pytest.mark.parametrize("damage", DAMAGES.values(), ids=DAMAGES.keys())
def test_a_damaged_workbook_is_reported_as_damaged(damage):
    with translation.override("zh-hans"):
        report = import_questions(data=damage(good_workbook()), dry_run=True)
    (error,) = report.errors
    assert "文件已损坏" in error.message
    assert Question.objects.count() == 0


@pytest.mark.parametrize("damage", DAMAGES.values(), ids=DAMAGES.keys())
def test_the_admin_preview_of_a_damaged_workbook_says_so_and_keeps_no_file(client, trainer, damage):
    client.force_login(trainer)
    stored_before = default_storage.listdir("question_imports")[1] if default_storage.exists("question_imports") else []
    upload = SimpleUploadedFile("题库.xlsx", damage(good_workbook()))
    response = client.post(reverse("question_bank_import:index"), {"file": upload})
    assert response.status_code == 200
    assert "文件已损坏" in response.content.decode()
    assert not response.context["token"]
    stored_after = default_storage.listdir("question_imports")[1] if default_storage.exists("question_imports") else []
    assert stored_after == stored_before


@pytest.mark.parametrize("damage", DAMAGES.values(), ids=DAMAGES.keys())
def test_the_import_command_reports_a_damaged_workbook_without_a_traceback(damage, tmp_path):
    import io

    path = tmp_path / "坏的.xlsx"
    path.write_bytes(damage(good_workbook()))
    errors = io.StringIO()
    with translation.override("zh-hans"), pytest.raises(CommandError):
        call_command("import_questions", str(path), stderr=errors)
    assert "文件已损坏" in errors.getvalue() and "坏的.xlsx" in errors.getvalue()
