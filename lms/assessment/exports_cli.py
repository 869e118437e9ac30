"""Helpers shared by the assessment's management commands."""

from django.core.management.base import CommandError

from .models import AssessmentScheme


def scheme_for_year(year: int) -> AssessmentScheme:
    scheme = AssessmentScheme.objects.filter(year=year).first()
    if scheme is None:
        years = "、".join(str(y) for y in AssessmentScheme.objects.values_list("year", flat=True)) or "无"
        raise CommandError(f"{year} 年没有考核方案（已有方案的年度：{years}）。")
    return scheme
