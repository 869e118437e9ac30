"""print_papers SESSION OUT.pdf [--answer-key KEY.pdf]: papers, answer sheets, tickets and sign-in sheets."""

from lms.exams.services.printables import write_answer_key, write_printables

from ._base import SessionCommand


class Command(SessionCommand):
    help = "Write admission tickets, sign-in sheets, papers and answer sheets of a session as one PDF."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("out", help="output PDF path")
        parser.add_argument("--answer-key", default="", help="also write the answer key to this separate PDF")

    def run(self, session, *, out, answer_key="", **options):
        with open(out, "wb") as stream:
            pages = write_printables(session=session, out=stream)
        self.stdout.write(self.style.SUCCESS(f"{pages} pages written to {out}"))
        if answer_key:
            with open(answer_key, "wb") as stream:
                write_answer_key(session=session, out=stream)
            self.stdout.write(self.style.SUCCESS(f"answer key written to {answer_key}"))
