"""manage.py export_roster FILE: the current roster in the import template's layout."""

from pathlib import Path

from django.core.management.base import BaseCommand

from lms.roster.exports import write_roster_xlsx


class Command(BaseCommand):
    help = "Write every person in the import template's layout (formula-like cells neutralised)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        count = write_roster_xlsx(Path(file))
        self.stdout.write(f"exported {count} people to {file}")
