"""release_results SESSION: release a graded session's results to its candidates (a closed one is graded
first, and refused with the count of what is still unmarked)."""

from lms.exams.services.results import release_results

from ._base import SessionCommand


class Command(SessionCommand):
    help = "Release an exam session's results to its candidates."

    def run(self, session, **options):
        session = release_results(session=session)
        self.stdout.write(self.style.SUCCESS(f"{session.code}: results released"))
