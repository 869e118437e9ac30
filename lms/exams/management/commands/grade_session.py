"""grade_session SESSION: engine-mark every submitted attempt (idempotent) and say what awaits a marker."""

from lms.exams.services.grading import grade_session

from ._base import SessionCommand


class Command(SessionCommand):
    help = "Mark every submitted attempt of an exam session automatically; prints what awaits manual marking."

    def run(self, session, **options):
        s = grade_session(session=session)
        self.stdout.write(
            f"{session.code}: {s.attempts} attempts, {s.graded} fully graded, {s.marks_added} marks added, "
            f"{s.absent} absent, {s.not_submitted} not submitted"
        )
        if s.essays_unmarked:
            self.stdout.write(f"Awaiting manual marking: {s.essays_unmarked} essay answers")
            for code, count in s.essays_by_question.items():
                self.stdout.write(f"  {code}: {count}")
        else:
            self.stdout.write(self.style.SUCCESS("Nothing awaits manual marking."))
