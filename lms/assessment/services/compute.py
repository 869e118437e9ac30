"""Computing a year: figures from exams, study, the roster and entered scores, then scoring (lms.assessment.scoring).

`compute_year` reads the database once and returns a YearResult; the what-if preview passes changed points
and reuses the same figures, so only the weights differ.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from lms.roster.models import OrgUnit, PersonStatus
from lms.roster.selectors import squads_missing_key_roles

from ..exam_results import GRADED_STATUSES, graded_sessions, results_by_squad
from ..models import (
    AbsentRule,
    AssessmentScheme,
    EnteredScore,
    ExamMeasure,
    Indicator,
    IndicatorKind,
    RosterCheck,
    StreetRule,
    StudyMeasure,
)
from ..scoring import (
    MISSING,
    NO_DATA,
    OK,
    WAIVED,
    Figure,
    IndicatorSpec,
    Issue,
    UnitResult,
    YearResult,
    assemble,
    q,
)
from ..validation import check_rows, rows_from_indicators

PERCENT = Decimal("100")


def pct(ratio: Decimal | None) -> str:
    return "—" if ratio is None else f"{q(ratio * PERCENT)}%"


def formula_of(indicator: Indicator) -> str:
    kind = indicator.kind
    if kind == IndicatorKind.EXAM:
        text = f"{indicator.get_exam_measure_display()}×{indicator.points}分"
        if indicator.exam_measure != ExamMeasure.PARTICIPATION and indicator.absent_rule:
            text += f"；{indicator.get_absent_rule_display()}"
        return text
    if kind == IndicatorKind.STUDY:
        return f"{indicator.get_study_measure_display()}×{indicator.points}分"
    if kind == IndicatorKind.ROSTER:
        return f"{indicator.get_roster_check_display()}：是得{indicator.points}分，否得0分"
    if kind == IndicatorKind.ENTERED:
        return f"考核办录入，最高{indicator.points}分"
    if kind == IndicatorKind.DEDUCTION:
        return f"{indicator.points}分起，每项扣{indicator.deduction_per_item}分，最低{indicator.minimum}分"
    return "下级指标之和"


def specs_of(scheme: AssessmentScheme, *, points: dict[str, Decimal] | None = None) -> list[IndicatorSpec]:
    indicators = list(scheme.indicators.all())
    codes = {i.code: i for i in indicators}
    specs = []
    for indicator in indicators:
        depth, parent = 0, codes.get(indicator.parent_code)
        while parent is not None and depth < 5:
            depth += 1
            parent = codes.get(parent.parent_code)
        specs.append(IndicatorSpec(
            code=indicator.code, name=indicator.name, kind=indicator.kind,
            points=Decimal((points or {}).get(indicator.code, indicator.points)),
            parent_code=indicator.parent_code, minimum=indicator.minimum, per_item=indicator.deduction_per_item,
            star_aspect=indicator.star_aspect,
            star_aspect_label=str(indicator.get_star_aspect_display()) if indicator.star_aspect else "",
            description=indicator.description, formula=formula_of(indicator), depth=depth,
        ))
    return specs


def assessed_squads(scheme: AssessmentScheme) -> list[OrgUnit]:
    return list(
        OrgUnit.objects.filter(kind=OrgUnit.Kind.SQUAD, is_active=True)
        .select_related("parent")
        .annotate(headcount=Count("people", filter=Q(people__status=PersonStatus.ON_DUTY)))
        .order_by("code")
    )


def compute_year(scheme: AssessmentScheme, *, points: dict[str, Decimal] | None = None) -> YearResult:
    """Every squad's and street office's scores, ranks and stars for the scheme's year, with their sources."""
    issues: list[Issue] = []
    indicators = list(scheme.indicators.all().prefetch_related("sessions").select_related("study_plan"))
    for message in check_rows(rows_from_indicators(indicators)):
        issues.append(Issue(message=message))
    squads = assessed_squads(scheme)
    figures: dict[tuple[str, int], Figure] = {}
    for indicator in indicators:
        if indicator.kind == IndicatorKind.EXAM:
            figures.update(_exam_figures(scheme, indicator, squads, issues))
        elif indicator.kind == IndicatorKind.STUDY:
            figures.update(_study_figures(indicator, squads, issues))
        elif indicator.kind == IndicatorKind.ROSTER:
            figures.update(_roster_figures(indicator, squads))
    figures.update(_entered_figures(indicators, squads, issues))
    squad_units = [
        UnitResult(unit_id=s.pk, code=s.code, name=s.name, kind="squad",
                   parent_name=s.parent.name if s.parent_id else "", headcount=s.headcount)
        for s in squads
    ]
    streets: dict[int, tuple[UnitResult, list[int]]] = {}
    for squad in squads:
        if squad.parent_id and squad.parent.kind == OrgUnit.Kind.STREET:
            entry = streets.setdefault(squad.parent_id, (
                UnitResult(unit_id=squad.parent_id, code=squad.parent.code, name=squad.parent.name, kind="street"),
                []))
            entry[1].append(squad.pk)
    result = assemble(
        year=scheme.year, title=scheme.title, street_rule=scheme.street_rule,
        street_rule_label=str(StreetRule(scheme.street_rule).label),
        specs=specs_of(scheme, points=points), squads=squad_units, figures=figures,
        streets=sorted(streets.values(), key=lambda entry: entry[0].code), levels=scheme.star_levels(),
        issues=issues,
    )
    result.computed_at = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    return result


def _exam_figures(scheme, indicator, squads, issues) -> dict:
    chosen = [s.pk for s in indicator.sessions.all()]
    label = f"指标“{indicator.name}”（{indicator.code}）"
    if chosen:
        not_graded = [s for s in indicator.sessions.all() if s.status not in GRADED_STATUSES]
        for session in not_graded:
            issues.append(Issue(message=f"{label}：考试场次“{session.title}”（{session.code}）尚未阅卷完成，不能计分。",
                                indicator=indicator.code))
        wrong_year = [s for s in indicator.sessions.all() if s.year != scheme.year]
        for session in wrong_year:
            issues.append(Issue(message=f"{label}：考试场次 {session.code} 属于 {session.year} 年，不是 {scheme.year} 年。",
                                indicator=indicator.code))
    sessions = graded_sessions(year=scheme.year, session_ids=chosen or None)
    if not sessions:
        issues.append(Issue(message=f"{label}：{scheme.year} 年没有已阅卷的考试场次，无法计算。",
                            indicator=indicator.code))
        return {(indicator.code, s.pk): Figure(status=NO_DATA, source="无已阅卷的考试场次") for s in squads}
    source = "考试场次 " + "、".join(s.code for s in sessions)
    by_squad = results_by_squad(sessions=sessions)
    excluded = indicator.absent_rule == AbsentRule.EXCLUDED
    figures = {}
    for squad in squads:
        results = by_squad.get(squad.pk, [])
        total = len(results)
        sat = [r for r in results if r.sat]
        absent = total - len(sat)
        if not total:
            figures[(indicator.code, squad.pk)] = Figure(status=NO_DATA, source=source,
                                                         detail="本中队没有考生，该项计0分")
            issues.append(Issue(message=f"{squad.name}：{label} 没有考生，计0分。", blocking=False,
                                indicator=indicator.code, unit=squad.code))
            continue
        base = len(sat) if excluded else total
        absent_note = f"缺考{absent}人（{'不计入' if excluded else '按0分计'}）"
        if indicator.exam_measure == ExamMeasure.PARTICIPATION:
            ratio = Decimal(len(sat)) / Decimal(total)
            detail = f"应考{total}人，实考{len(sat)}人，参考率{pct(ratio)}"
        elif not base:
            figures[(indicator.code, squad.pk)] = Figure(
                status=NO_DATA, source=source, detail=f"应考{total}人，全部缺考；缺考不计入时无可计算的成绩，计0分")
            continue
        elif indicator.exam_measure == ExamMeasure.PASS_RATE:
            passed = sum(1 for r in sat if r.passed)
            ratio = Decimal(passed) / Decimal(base)
            detail = f"应考{total}人，{absent_note}，及格{passed}人，及格率{pct(ratio)}"
        else:
            ratio = sum((r.fraction for r in sat), Decimal("0")) / Decimal(base)
            detail = f"应考{total}人，{absent_note}，平均得分率{pct(ratio)}"
        figures[(indicator.code, squad.pk)] = Figure(ratio=ratio, source=source, detail=detail)
    return figures


def _study_figures(indicator, squads, issues) -> dict:
    from courses.selectors import plan_completion_report

    plan = indicator.study_plan
    label = f"指标“{indicator.name}”（{indicator.code}）"
    if plan is None:
        issues.append(Issue(message=f"{label}：没有选择学习计划，无法计算。", indicator=indicator.code))
        return {(indicator.code, s.pk): Figure(status=NO_DATA, source="未选择学习计划") for s in squads}
    report = plan_completion_report(plan=plan)
    by_squad = {row["squad"].pk: row for row in report["squads"]}
    source = f"学习计划《{plan.title}》（{plan.year}年）"
    target = plan.class_hour_target
    figures = {}
    for squad in squads:
        row = by_squad.get(squad.pk)
        people = row["people"] if row else []
        if not people:
            figures[(indicator.code, squad.pk)] = Figure(status=NO_DATA, source=source,
                                                         detail="本中队没有适用该计划的在岗人员，计0分")
            continue
        if indicator.study_measure == StudyMeasure.COMPLETION:
            ratio = Decimal(row["done"]) / Decimal(len(people))
            detail = f"适用{len(people)}人，完成{row['done']}人，完成率{pct(ratio)}"
        else:
            mean_hours = sum((p.hours for p in people), Decimal("0")) / Decimal(len(people))
            ratio = min(Decimal("1"), mean_hours / target) if target else Decimal("1")
            detail = f"适用{len(people)}人，人均{q(mean_hours)}学时，目标{target}学时，达成{pct(ratio)}"
        figures[(indicator.code, squad.pk)] = Figure(ratio=ratio, source=source, detail=detail)
    return figures


def _roster_figures(indicator, squads) -> dict:
    warnings = {s.pk: s for s in squads_missing_key_roles()}
    figures = {}
    for squad in squads:
        warning = warnings.get(squad.pk)
        if indicator.roster_check == RosterCheck.LEGAL_OFFICER:
            has = not (warning and warning.legal_officers == 0)
            detail = "在岗法制员：有" if has else "在岗法制员：无（见花名册“中队预警”）"
        else:
            has = not (warning and warning.leaders == 0)
            detail = "在岗中队长：有" if has else "在岗中队长：无（见花名册“中队预警”）"
        figures[(indicator.code, squad.pk)] = Figure(ratio=Decimal(1 if has else 0), source="花名册（当前在岗人员）",
                                                     detail=detail)
    return figures


def entered_source(entry: EnteredScore) -> str:
    who = ""
    if entry.entered_by_id:
        user = entry.entered_by
        who = (user.get_full_name() or user.get_username()).replace(" ", "")
    when = timezone.localtime(entry.entered_at).strftime("%Y-%m-%d %H:%M") if entry.entered_at else ""
    return "，".join(part for part in (entry.source or "后台录入", who, when) if part)


def _entered_figures(indicators, squads, issues) -> dict:
    kinds = (IndicatorKind.ENTERED, IndicatorKind.DEDUCTION)
    wanted = [i for i in indicators if i.kind in kinds]
    entries = defaultdict(dict)
    for entry in EnteredScore.objects.filter(indicator__in=wanted).select_related("entered_by"):
        entries[entry.indicator_id][entry.unit_id] = entry
    figures = {}
    for indicator in wanted:
        for squad in squads:
            entry = entries[indicator.pk].get(squad.pk)
            key = (indicator.code, squad.pk)
            if indicator.kind == IndicatorKind.DEDUCTION:
                if entry is None or entry.value is None:
                    figures[key] = Figure(count=Decimal("0"), source="未登记扣分事项", detail="0项")
                else:
                    figures[key] = Figure(count=entry.value, source=entered_source(entry),
                                          detail=f"{q(entry.value).normalize():f}项" + (f"；{entry.note}" if entry.note else ""))
                continue
            if entry is None:
                figures[key] = Figure(status=MISSING, source="未录入")
                issues.append(Issue(message=f"{squad.name}：指标“{indicator.name}”（{indicator.code}）尚未录入得分。",
                                    indicator=indicator.code, unit=squad.code))
            elif entry.value is None:
                figures[key] = Figure(status=WAIVED, ratio=Decimal("0"), source=entered_source(entry),
                                      detail=f"免于录入，原因：{entry.waived_reason}（计0分）")
            else:
                out_of = entry.out_of if entry.out_of else indicator.points
                ratio = min(Decimal("1"), entry.value / out_of) if out_of else Decimal("0")
                detail = f"录入{entry.value}分（满分{out_of}分）"
                if out_of != indicator.points:
                    detail += f"，按现满分{indicator.points}分折算"
                if entry.note:
                    detail += f"；依据：{entry.note}"
                figures[key] = Figure(status=OK, ratio=ratio, source=entered_source(entry), detail=detail)
    return figures
