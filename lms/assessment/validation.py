"""Checks of a scheme's indicator tree, shared by the admin form, the what-if screen and publication.

Each problem is one Chinese sentence naming the indicator (row number, name and code) and what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .models import TOTAL_POINTS, ExamMeasure, IndicatorKind

MAX_DEPTH = 4


@dataclass
class Row:
    """One indicator as typed in the form or stored: only what the checks need."""

    number: int
    code: str
    name: str
    parent_code: str
    kind: str
    points: Decimal | None
    exam_measure: str = ""
    absent_rule: str = ""
    study_plan_id: int | None = None
    study_measure: str = ""
    roster_check: str = ""
    deduction_per_item: Decimal | None = None
    floor: Decimal | None = None
    star_aspect: str = ""


def where(row: Row) -> str:
    return f"第{row.number}行指标“{row.name or '（未命名）'}”（{row.code or '无代码'}）"


def rows_from_indicators(indicators) -> list[Row]:
    return [
        Row(number=n, code=i.code, name=i.name, parent_code=i.parent_code, kind=i.kind, points=i.points,
            exam_measure=i.exam_measure, absent_rule=i.absent_rule, study_plan_id=i.study_plan_id,
            study_measure=i.study_measure, roster_check=i.roster_check, deduction_per_item=i.deduction_per_item,
            floor=i.floor, star_aspect=i.star_aspect)
        for n, i in enumerate(indicators, start=1)
    ]


def check_rows(rows: list[Row]) -> list[str]:
    errors: list[str] = []
    if not rows:
        return ["方案还没有任何指标。"]
    by_code: dict[str, Row] = {}
    for row in rows:
        if row.code in by_code:
            errors.append(f"{where(row)}：代码与第{by_code[row.code].number}行重复。")
        else:
            by_code[row.code] = row
    for row in rows:
        errors += _check_kind(row)
        if row.parent_code:
            parent = by_code.get(row.parent_code)
            if parent is None:
                errors.append(f"{where(row)}：上级指标代码“{row.parent_code}”不存在。")
            elif parent.kind != IndicatorKind.GROUP:
                errors.append(f"{where(row)}：上级指标“{parent.name}”不是“分组”类指标，不能有下级。")
            elif _depth(row, by_code) > MAX_DEPTH:
                errors.append(f"{where(row)}：指标层级过深或上下级循环引用。")
    if errors:
        return errors
    top = [row for row in rows if not row.parent_code]
    total = sum((row.points or Decimal("0") for row in top), Decimal("0"))
    if total != TOTAL_POINTS:
        errors.append(
            f"一级指标分值合计为 {_fmt(total)} 分，必须等于 {_fmt(TOTAL_POINTS)} 分"
            f"（相差 {_fmt(TOTAL_POINTS - total)} 分）。"
        )
    for row in rows:
        if row.kind != IndicatorKind.GROUP:
            continue
        kids = [r for r in rows if r.parent_code == row.code]
        if not kids:
            errors.append(f"{where(row)}：分组指标下还没有指标。")
            continue
        subtotal = sum((r.points or Decimal("0") for r in kids), Decimal("0"))
        if subtotal != (row.points or 0):
            errors.append(f"{where(row)}：分值 {_fmt(row.points)} 分，但下级指标合计 {_fmt(subtotal)} 分。")
    aspects = [row.star_aspect for row in rows if row.star_aspect]
    for aspect in set(aspects):
        if aspects.count(aspect) > 1:
            names = "、".join(f"“{r.name}”" for r in rows if r.star_aspect == aspect)
            errors.append(f"星级中队的同一方面只能对应一个指标：{names}。")
    return errors


def _check_kind(row: Row) -> list[str]:
    errors = []
    if row.points is None:
        errors.append(f"{where(row)}：请填写分值。")
    if row.kind == IndicatorKind.EXAM:
        if not row.exam_measure:
            errors.append(f"{where(row)}：考试类指标须选择计分依据（平均分、及格率或参考率）。")
        elif row.exam_measure != ExamMeasure.PARTICIPATION and not row.absent_rule:
            errors.append(f"{where(row)}：请选择缺考人员按 0 分计还是不计入。")
    elif row.kind == IndicatorKind.STUDY:
        if not row.study_measure:
            errors.append(f"{where(row)}：学习类指标须选择计分依据（完成率或学时）。")
        if not row.study_plan_id:
            errors.append(f"{where(row)}：学习类指标须选择学习计划。")
    elif row.kind == IndicatorKind.ROSTER:
        if not row.roster_check:
            errors.append(f"{where(row)}：花名册类指标须选择检查项目。")
    elif row.kind == IndicatorKind.DEDUCTION:
        if row.deduction_per_item is None or row.deduction_per_item <= 0:
            errors.append(f"{where(row)}：扣分类指标须填写每项扣分（大于 0）。")
        if row.floor is None:
            errors.append(f"{where(row)}：扣分类指标须填写最低得分（0 或负数）。")
    return errors


def _depth(row: Row, by_code: dict[str, Row]) -> int:
    depth, current = 1, row
    while current.parent_code and depth <= MAX_DEPTH + 1:
        current = by_code.get(current.parent_code)
        if current is None:
            break
        depth += 1
    return depth


def _fmt(value) -> str:
    value = Decimal(value or 0)
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
