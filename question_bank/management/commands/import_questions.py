"""`manage.py import_questions FILE [--dry-run]`: Excel, GIFT or Moodle XML, chosen by the file's content."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from question_bank.imports.service import import_questions


class Command(BaseCommand):
    help = "Import questions from an Excel workbook, a GIFT file or a Moodle XML file (format by content)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check and report; write nothing.")

    def handle(self, *args, file: Path, dry_run: bool, **options):
        if not file.is_file():
            raise CommandError(f"文件不存在：{file}")
        report = import_questions(data=file.read_bytes(), dry_run=dry_run, filename=file.name)
        for issue in report.warnings:
            self.stdout.write(f"提示 {issue}")
        if not report.ok:
            for issue in report.errors:
                self.stderr.write(f"错误 {issue}")
            raise CommandError(f"{len(report.errors)} 处错误，未导入任何题目。")
        counts = report.counts
        prefix = "试运行（未写入）" if dry_run else "已导入"
        self.stdout.write(self.style.SUCCESS(
            f"{prefix} {report.format_label}：新增 {counts['create']}，更新 {counts['update']}，"
            f"未变 {counts['unchanged']}，新建知识点 {counts['knowledge_points_created']}"
        ))
