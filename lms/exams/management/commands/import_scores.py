"""import_scores SESSION FILE [--dry-run]: read a paper exam's score-entry workbook (all or nothing)."""

from pathlib import Path

from django.core.management.base import CommandError

from lms.exams.services.score_entry import import_scores

from ._base import SessionCommand


class Command(SessionCommand):
    help = "Import the filled score-entry workbook of a paper exam; any error writes nothing."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check and report only; write nothing")

    def run(self, session, *, file, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        with path.open("rb") as handle:
            report = import_scores(session=session, file=handle, filename=path.name, dry_run=dry_run)
        if not report.ok:
            raise CommandError(f"{len(report.errors)} errors; nothing written:\n"
                               + "\n".join(f"  {issue}" for issue in report.errors))
        counts = ", ".join(f"{k}={v}" for k, v in report.counts.items())
        prefix = "Dry run, nothing written" if dry_run else "Imported"
        self.stdout.write(self.style.SUCCESS(f"{prefix}: {session.code}: {counts}"))
