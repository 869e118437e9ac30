"""issue_papers SESSION: assemble every candidate's paper (before the exam opens)."""

from lms.exams.services.papers import issue_papers

from ._base import SessionCommand


class Command(SessionCommand):
    help = "Assemble a paper for every candidate of an exam session who has none yet."

    def run(self, session, **options):
        count = issue_papers(session=session)
        self.stdout.write(self.style.SUCCESS(f"{count} papers issued for {session.code}"))
