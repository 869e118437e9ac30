"""verify_draw SESSION: recompute the recorded draw; prints OK and exits 0 when it matches."""

from django.core.management.base import CommandError

from lms.exams.services.draw import verify_draw

from ._base import SessionCommand


class Command(SessionCommand):
    help = "Recompute an exam session's recorded draw from its snapshot and seed; prints OK when it matches."

    def run(self, session, **options):
        draw = session.current_draw
        if draw is None:
            raise CommandError(f"{session.code}: no draw recorded")
        result = verify_draw(draw=draw)
        if not result.ok:
            raise CommandError("draw does not verify:\n" + "\n".join(result.problems))
        self.stdout.write("OK")
