"""Load the demo district: accounts for every role, then each app's demo data. Safe to run twice."""

from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lms.core.demo import DEMO_PASSWORD, ensure_wagtail_site, seed_demo_users

# Each app contributes a `seed_demo(stdout)` function; order follows the dependencies between apps.
APP_SEEDERS = [
    "lms.roster.demo",
    "question_bank.demo",
    "courses.demo",
    "lms.exams.demo",
    "lms.assessment.demo",  # after every exam demo: it computes from a graded session when there is one
]


class Command(BaseCommand):
    help = "Load demo users, roster, courses, question bank and an exam session (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Allow running under production settings (creates accounts with a published password).",
        )

    def handle(self, *args, allow_production=False, **options):
        if settings.IS_PRODUCTION and not allow_production:
            raise CommandError("seed_demo creates accounts with a published password; refusing under production settings.")
        with transaction.atomic():
            ensure_wagtail_site()
            logins = seed_demo_users()
            notes = []
            for module_path in APP_SEEDERS:
                try:
                    module = import_module(module_path)
                except ModuleNotFoundError as exc:
                    if exc.name != module_path:
                        raise
                    continue  # that app has no demo data yet
                module.seed_demo(self.stdout)
                if hasattr(module, "demo_notes"):  # lines to print with the logins (e.g. access codes)
                    notes.extend(module.demo_notes())
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Demo logins (password for all: {DEMO_PASSWORD}):"))
        for username, role in logins:
            self.stdout.write(f"  {username:<16} {role}")
        for line in notes:
            self.stdout.write(line)
