"""export_results SESSION FILE: one row per candidate (准考证号, 姓名, 中队, 职务, 总分, 是否及格, 是否缺考, …)."""

from pathlib import Path

from lms.exams.services.results import write_results

from ._base import SessionCommand


class Command(SessionCommand):
    help = "Write an exam session's results to an Excel workbook."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file")

    def run(self, session, *, file, **options):
        with Path(file).open("wb") as out:
            count = write_results(session=session, out=out)
        self.stdout.write(self.style.SUCCESS(f"{count} candidates written to {file}"))
