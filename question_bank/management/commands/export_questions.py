"""`manage.py export_questions FILE`: the whole bank in the import template's layout."""

from pathlib import Path

from django.core.management.base import BaseCommand

from question_bank.imports.excel import export_workbook
from question_bank.models import Question


class Command(BaseCommand):
    help = "Write every question to an Excel workbook in the import template's layout."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        file.write_bytes(export_workbook())
        self.stdout.write(self.style.SUCCESS(f"已导出 {Question.objects.count()} 道题：{file}"))
