"""Shared plumbing for the exam commands: find the session, turn rule violations into readable errors."""

from django.core.management.base import BaseCommand, CommandError

from lms.exams.services.sessions import ExamError, get_session


class SessionCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("session", help="exam session code (or number)")

    def handle(self, *args, session, **options):
        try:
            return self.run(get_session(session), **options)
        except ExamError as exc:
            raise CommandError(str(exc)) from exc

    def run(self, session, **options):  # pragma: no cover - each command implements it
        raise NotImplementedError
