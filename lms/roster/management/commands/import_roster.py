"""manage.py import_roster FILE [--dry-run] [--slips OUT.xlsx]: the admin screen's import, from a shell."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lms.roster.services.imports import import_roster
from lms.roster.slips import write_slips_xlsx


class Command(BaseCommand):
    help = "Import a roster workbook (all or nothing); prints the counts or every error with sheet and row."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="validate and count, write nothing")
        parser.add_argument(
            "--slips", metavar="OUT.xlsx", help="write the new accounts' sign-in slips (initial codes) here"
        )

    def handle(self, *args, file, dry_run=False, slips=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在: {file}")
        with path.open("rb") as handle:
            report = import_roster(file=handle, filename=path.name, dry_run=dry_run, actor=None)
        for warning in report.warnings:
            self.stderr.write(f"警告 {warning}")
        if not report.ok:
            for error in report.errors:
                self.stderr.write(f"错误 {error}")
            raise CommandError(f"{len(report.errors)} 个错误,未导入任何数据 (nothing was imported).")
        for unit in report.new_units:
            self.stdout.write(f"新单位 {unit}")
        for person in report.deactivated:
            self.stdout.write(f"标记离岗 {person['squad']} {person['name']} {person['id_number']}")
        prefix = "[试运行 dry run] " if dry_run else ""
        counts = report.counts
        self.stdout.write(
            f"{prefix}created={counts.get('created', 0)} updated={counts.get('updated', 0)} "
            f"deactivated={counts.get('deactivated', 0)} unchanged={counts.get('unchanged', 0)} "
            f"new_units={len(report.new_units)} accounts={counts.get('accounts', 0)}"
        )
        if slips and report.slips:
            Path(slips).write_bytes(write_slips_xlsx(report.slips))
            self.stdout.write(f"账号单 account slips: {slips}")
