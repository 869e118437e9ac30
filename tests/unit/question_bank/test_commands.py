"""import_questions / export_questions on the command line."""

from pathlib import Path

from django.core.management import CommandError, call_command

import pytest

from question_bank.models import Question

from .sheets import single, workbook_bytes

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "moodle_fixtures"


def test_import_chooses_the_format_by_content_not_by_name(tmp_path, capsys):
    disguised = tmp_path / "bank.dat"
    disguised.write_bytes((FIXTURES / "nested_categories_with_questions.xml").read_bytes())
    call_command("import_questions", str(disguised))
    assert Question.objects.count() == 5
    assert "Moodle XML" in capsys.readouterr().out


def test_dry_run_writes_nothing(tmp_path):
    path = tmp_path / "q.xlsx"
    path.write_bytes(workbook_bytes([single()]))
    call_command("import_questions", str(path), "--dry-run")
    assert Question.objects.count() == 0


def test_errors_exit_non_zero_and_name_row_and_column(tmp_path, capsys):
    path = tmp_path / "q.xlsx"
    path.write_bytes(workbook_bytes([single(), single(答案="Z")]))
    with pytest.raises(CommandError):
        call_command("import_questions", str(path))
    assert "第 3 行" in capsys.readouterr().err and Question.objects.count() == 0


def test_export_then_import_is_unchanged(tmp_path, capsys):
    source = tmp_path / "q.xlsx"
    source.write_bytes(workbook_bytes([single(题目编号="E1")]))
    call_command("import_questions", str(source))
    exported = tmp_path / "out.xlsx"
    call_command("export_questions", str(exported))
    call_command("import_questions", str(exported), "--dry-run")
    assert "未变 1" in capsys.readouterr().out
