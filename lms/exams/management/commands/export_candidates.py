"""export_candidates SESSION FILE: the candidate list as a workbook (squad, name, position, why included)."""

from lms.exams.services.exports import write_candidates

from ._base import SessionCommand


class Command(SessionCommand):
    help = "Write the candidate list of an exam session to an .xlsx file."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file", help="output .xlsx path")

    def run(self, session, *, file, **options):
        with open(file, "wb") as out:
            count = write_candidates(session=session, out=out)
        self.stdout.write(self.style.SUCCESS(f"{count} candidates written to {file}"))
