"""`manage.py export_assessment YEAR FILE`: the year's results as Excel (.xlsx) or a PDF report (.pdf)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lms.assessment.exports_cli import scheme_for_year
from lms.assessment.selectors import publication_status, result_for_year
from lms.assessment.services.exports import write_pdf, write_xlsx


class Command(BaseCommand):
    help = "Write one row per unit (单位, 类型, top-level indicators, 总分, 排名, 星级); the published result if any."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("file")

    def handle(self, *args, year, file, **options):
        scheme_for_year(year)
        path = Path(file)
        if path.suffix.lower() not in (".xlsx", ".pdf"):
            raise CommandError(f"不支持的文件类型“{path.suffix}”：请用 .xlsx 或 .pdf。")
        result, publication = result_for_year(year)
        status = publication_status(publication)
        try:
            with path.open("wb") as target:
                (write_pdf if path.suffix.lower() == ".pdf" else write_xlsx)(result, target, status=status)
        except OSError as exc:
            raise CommandError(f"无法写入 {file}：{exc.strerror}") from exc
        self.stdout.write(f"{year} 年考核结果（{status}）：{len(result.streets)} 个街道、{len(result.squads)} 个中队 → {file}")
