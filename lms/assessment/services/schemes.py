"""Writing schemes: copying a year, recording who changed which indicator, applying what-if weights."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from lms.core import audit

from ..models import AssessmentScheme, Indicator
from ..validation import check_rows, rows_from_indicators


class AssessmentError(Exception):
    """A refused action; `messages` are Chinese sentences saying where and what."""

    def __init__(self, messages: list[str] | str):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("；".join(self.messages))


def indicator_state(indicator: Indicator) -> dict:
    return {f: (str(v) if isinstance(v := getattr(indicator, f), Decimal) else v) for f in Indicator.TRACKED_FIELDS}


def scheme_state(scheme: AssessmentScheme | None) -> dict[str, dict]:
    if scheme is None or scheme.pk is None:
        return {}
    return {i.code: indicator_state(i) for i in Indicator.objects.filter(scheme=scheme)}


def record_scheme_changes(*, scheme: AssessmentScheme, before: dict[str, dict], actor) -> list[dict]:
    """Stamp each indicator that changed since `before` with who and when, and audit the changes."""
    now = timezone.now()
    changes = []
    for indicator in Indicator.objects.filter(scheme=scheme):
        after = indicator_state(indicator)
        old = before.get(indicator.code)
        diff = {f: [old.get(f) if old else None, after[f]] for f in Indicator.TRACKED_FIELDS
                if old is None or old.get(f) != after[f]}
        if diff:
            Indicator.objects.filter(pk=indicator.pk).update(changed_by=actor if getattr(actor, "pk", None) else None,
                                                             changed_at=now)
            changes.append({"code": indicator.code, "changes": diff})
    removed = sorted(set(before) - set(scheme_state(scheme)))
    if changes or removed:
        AssessmentScheme.objects.filter(pk=scheme.pk).update(updated_by=actor if getattr(actor, "pk", None) else None)
        audit.record(actor=actor, action="assessment.scheme_change", obj=scheme,
                     summary=f"{scheme.year} 考核方案：{len(changes)} 项指标变更，{len(removed)} 项删除",
                     changes=changes, removed=removed)
    return changes


@transaction.atomic
def copy_scheme(*, source: AssessmentScheme, year: int, actor=None) -> AssessmentScheme:
    """Start a year as a copy of another: same indicators, weights and star thresholds.

    Exam sessions are not copied (each year uses its own); a study plan is replaced by the new year's plan
    with the same title, if there is one.
    """
    from courses.models import StudyPlan

    if AssessmentScheme.objects.filter(year=year).exists():
        raise AssessmentError(f"{year} 年已有考核方案，不能重复创建。")
    scheme = AssessmentScheme.objects.create(
        year=year, title=source.title.replace(str(source.year), str(year)), street_rule=source.street_rule,
        star1_total=source.star1_total, star1_min=source.star1_min, star2_total=source.star2_total,
        star2_min=source.star2_min, star3_total=source.star3_total, star3_min=source.star3_min,
        copied_from=source, updated_by=actor if getattr(actor, "pk", None) else None,
    )
    for order, indicator in enumerate(source.indicators.all()):
        plan = None
        if indicator.study_plan_id:
            plan = StudyPlan.objects.filter(year=year, title=indicator.study_plan.title).first()
        Indicator.objects.create(
            scheme=scheme, sort_order=order, code=indicator.code, parent_code=indicator.parent_code,
            name=indicator.name, kind=indicator.kind, points=indicator.points, description=indicator.description,
            star_aspect=indicator.star_aspect, exam_measure=indicator.exam_measure,
            absent_rule=indicator.absent_rule, study_plan=plan, study_measure=indicator.study_measure,
            roster_check=indicator.roster_check, deduction_per_item=indicator.deduction_per_item,
            floor=indicator.floor,
        )
    audit.record(actor=actor, action="assessment.scheme_copy", obj=scheme,
                 summary=f"{year} 考核方案由 {source.year} 年方案复制", source_year=source.year)
    return scheme


@transaction.atomic
def set_weights(*, scheme: AssessmentScheme, points: dict[str, Decimal], actor) -> list[dict]:
    """Apply the weights tried in the what-if preview; refused unless the tree still adds up."""
    indicators = list(scheme.indicators.select_for_update())
    unknown = sorted(set(points) - {i.code for i in indicators})
    if unknown:
        raise AssessmentError(f"方案中没有指标代码：{'、'.join(unknown)}。")
    before = scheme_state(scheme)
    for indicator in indicators:
        if indicator.code in points:
            indicator.points = Decimal(points[indicator.code])
    errors = check_rows(rows_from_indicators(indicators))
    if errors:
        raise AssessmentError(errors)
    for indicator in indicators:
        Indicator.objects.filter(pk=indicator.pk).update(points=indicator.points)
    return record_scheme_changes(scheme=scheme, before=before, actor=actor)


def comparison_with_previous(scheme: AssessmentScheme) -> list[dict]:
    """Each indicator against the previous year's indicator of the same code, with who last changed it."""
    previous = AssessmentScheme.objects.filter(year__lt=scheme.year).order_by("-year").first()
    old = {i.code: i for i in previous.indicators.all()} if previous else {}
    rows = []
    for indicator in scheme.indicators.select_related("changed_by"):
        before = old.get(indicator.code)
        delta = indicator.points - before.points if before else None
        changed = []
        if before:
            for field in ("name", "kind", "exam_measure", "absent_rule", "study_measure", "roster_check",
                          "deduction_per_item", "floor", "parent_code"):
                if getattr(before, field) != getattr(indicator, field):
                    changed.append(str(Indicator._meta.get_field(field).verbose_name))
        rows.append({"indicator": indicator, "previous": before, "delta": delta, "changed_fields": changed,
                     "previous_year": previous.year if previous else None})
    return rows
