"""`manage.py compute_assessment YEAR [--publish] [--reason TEXT]`: compute (and publish) a year's unit scores."""

from django.core.management.base import BaseCommand, CommandError

from lms.assessment.exports_cli import scheme_for_year
from lms.assessment.services.compute import compute_year
from lms.assessment.services.exports import stars_text
from lms.assessment.services.publish import publish_year
from lms.assessment.services.schemes import AssessmentError


class Command(BaseCommand):
    help = "Compute the year's assessment (every squad and street office), optionally publishing it."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--publish", action="store_true", help="Freeze the result as a publication.")
        parser.add_argument("--reason", default="", help="Why a published year is published again.")

    def handle(self, *args, year, publish, reason, **options):
        scheme = scheme_for_year(year)
        result = compute_year(scheme)
        for title, units in (("街道", result.streets), ("中队", result.squads)):
            self.stdout.write(f"{title}：")
            for unit in units:
                star = f"  {stars_text(unit.stars)}" if unit.kind == "squad" else ""
                self.stdout.write(f"  {unit.rank:>3}  {unit.name:<16} {unit.total:>7}{star}")
        for issue in result.issues:
            self.stdout.write(("阻止发布：" if issue.blocking else "提示：") + issue.message)
        if not publish:
            return
        try:
            publication = publish_year(scheme=scheme, reason=reason)
        except AssessmentError as exc:
            raise CommandError("未发布：\n" + "\n".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"{year} 年考核结果已发布（第{publication.version}版）。"))
