"""Entered scores: one by one in the admin, or many from the Excel template (upload → preview → confirm).

An import checks every row first and writes nothing if any cell is wrong; every problem names the file,
sheet, row and column. Street offices get no entered scores: theirs come from their squads.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO

from django.db import transaction

from lms.core import audit
from lms.core.spreadsheets import ImportReport, UploadRejected, check_upload, safe_cell
from lms.roster.models import OrgUnit

from ..models import AssessmentScheme, EnteredScore, Indicator, IndicatorKind
from .schemes import AssessmentError

ENTERED_KINDS = (IndicatorKind.ENTERED, IndicatorKind.DEDUCTION)
SHEET = "录入得分"
CODE_HEADER = "单位编码"
NAME_HEADER = "单位名称"
NOTE_HEADER = "备注/依据"
MAX_ROWS = 2000


def entered_indicators(scheme: AssessmentScheme) -> list[Indicator]:
    return list(scheme.indicators.filter(kind__in=ENTERED_KINDS))


def column_header(indicator: Indicator) -> str:
    if indicator.kind == IndicatorKind.DEDUCTION:
        return f"{indicator.name}[{indicator.code}]（扣分项数，每项扣{indicator.deduction_per_item}分）"
    return f"{indicator.name}[{indicator.code}]（满分{indicator.points}）"


def squads() -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(kind=OrgUnit.Kind.SQUAD, is_active=True).select_related("parent").order_by("code"))


def check_value(indicator: Indicator, raw) -> tuple[Decimal | None, str | None]:
    """The value of one cell, or a Chinese message saying what is wrong with it."""
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        return None, "不是数字"
    if not value.is_finite():
        return None, "不是数字"
    if value < 0:
        return None, "不能为负数"
    if value != value.quantize(Decimal("0.01")):
        return None, "最多两位小数"
    if indicator.kind == IndicatorKind.DEDUCTION:
        if value != value.to_integral():
            return None, "扣分项数须为整数"
    elif value > indicator.points:
        return None, f"超过该指标满分 {indicator.points} 分"
    return value, None


def _check_target(indicator: Indicator, unit: OrgUnit) -> None:
    if indicator.kind not in ENTERED_KINDS:
        raise AssessmentError(f"指标“{indicator.name}”不是录入类指标，其得分由系统计算。")
    if unit.kind != OrgUnit.Kind.SQUAD:
        raise AssessmentError(f"“{unit.name}”不是中队；街道得分由所属中队得分计算。")


@transaction.atomic
def enter_score(*, indicator: Indicator, unit: OrgUnit, value, note: str = "", actor=None,
                source: str = "后台录入") -> EnteredScore:
    _check_target(indicator, unit)
    checked, problem = check_value(indicator, value)
    if problem:
        raise AssessmentError(f"{unit.name}，指标“{indicator.name}”：{problem}（填写的是 {value}）。")
    entry, _created = EnteredScore.objects.update_or_create(
        indicator=indicator, unit=unit,
        defaults={"value": checked, "out_of": indicator.points, "note": note[:500], "waived_reason": "",
                  "source": source,
                  "entered_by": actor if getattr(actor, "pk", None) else None},
    )
    audit.record(actor=actor, action="assessment.enter_score", obj=entry,
                 summary=f"{indicator.scheme.year} {indicator.code} {unit.code} = {checked}",
                 year=indicator.scheme.year, indicator=indicator.code, unit=unit.code, value=str(checked), note=note)
    return entry


@transaction.atomic
def waive_score(*, indicator: Indicator, unit: OrgUnit, reason: str, actor=None) -> EnteredScore:
    _check_target(indicator, unit)
    reason = (reason or "").strip()
    if not reason:
        raise AssessmentError(f"{unit.name}，指标“{indicator.name}”：免于录入须填写原因。")
    entry, _created = EnteredScore.objects.update_or_create(
        indicator=indicator, unit=unit,
        defaults={"value": None, "out_of": None, "waived_reason": reason[:300], "source": "免于录入",
                  "entered_by": actor if getattr(actor, "pk", None) else None},
    )
    audit.record(actor=actor, action="assessment.waive_score", obj=entry,
                 summary=f"{indicator.scheme.year} {indicator.code} {unit.code} 免于录入：{reason}",
                 year=indicator.scheme.year, indicator=indicator.code, unit=unit.code, reason=reason)
    return entry


# --- Excel template ----------------------------------------------------------------------------------


def template_xlsx(scheme: AssessmentScheme) -> bytes:
    """The import template: one row per squad, one column per entered indicator, a note column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    indicators = entered_indicators(scheme)
    current = {(e.indicator_id, e.unit_id): e for e in EnteredScore.objects.filter(indicator__in=indicators)}
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append([CODE_HEADER, NAME_HEADER] + [column_header(i) for i in indicators] + [NOTE_HEADER])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for unit in squads():
        values = []
        notes = []
        for indicator in indicators:
            entry = current.get((indicator.pk, unit.pk))
            values.append(float(entry.value) if entry and entry.value is not None else None)
            if entry and entry.note and entry.note not in notes:
                notes.append(entry.note)
        sheet.append([safe_cell(unit.code), safe_cell(unit.name)] + values + [safe_cell("；".join(notes))])
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 20
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class PlannedEntry:
    row: int
    unit: OrgUnit
    indicator: Indicator
    value: Decimal
    note: str
    previous: Decimal | None
    was_entered: bool


@dataclass
class EntryImportReport(ImportReport):
    planned: list[PlannedEntry] = field(default_factory=list)

    @property
    def changed(self) -> list[PlannedEntry]:
        return [p for p in self.planned if not p.was_entered or p.previous != p.value]


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(file: IO[bytes]) -> tuple[str, list[list]]:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_filelike(file)
    names = workbook.sheet_names
    name = SHEET if SHEET in names else names[0]
    return name, workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)


def import_entered_scores(*, scheme: AssessmentScheme, file: IO[bytes], filename: str, dry_run: bool,
                          actor=None) -> EntryImportReport:
    """Check the whole workbook, then (unless a dry run or any error) write every score in one transaction."""
    report = EntryImportReport(dry_run=dry_run)
    try:
        check_upload(file, filename=filename)
        sheet_name, rows = read_rows(file)
    except UploadRejected as exc:
        report.error(str(exc))
        return report
    except Exception:  # calamine raises its own types for broken workbooks
        report.error(f"文件“{filename}”无法读取，请确认是 Excel .xlsx 文件。")
        return report
    where = {"sheet": f"{filename} / {sheet_name}"}
    if not rows:
        report.error("工作表是空的。", **where)
        return report
    header = [_cell_text(c) for c in rows[0]]
    indicators = {i.code: i for i in entered_indicators(scheme)}
    columns: dict[int, Indicator] = {}
    note_column = None
    code_column = header.index(CODE_HEADER) if CODE_HEADER in header else None
    if code_column is None:
        report.error(f"第1行缺少“{CODE_HEADER}”列。", row=1, **where)
    for index, title in enumerate(header):
        if title == NOTE_HEADER:
            note_column = index
        elif "[" in title and "]" in title:
            code = title[title.index("[") + 1:title.index("]")].strip()
            indicator = indicators.get(code)
            if indicator is None:
                report.error(f"{scheme.year} 年方案中没有录入类指标“{code}”。", row=1,
                             column=_letter(index), value=title, **where)
            elif indicator in columns.values():
                report.error(f"指标“{indicator.name}”的列重复。", row=1, column=_letter(index), value=title, **where)
            else:
                columns[index] = indicator
    if not report.ok:
        return report
    if len(rows) - 1 > MAX_ROWS:
        report.error(f"数据行过多（{len(rows) - 1} 行），上限 {MAX_ROWS} 行。", **where)
        return report
    units = {u.code: u for u in OrgUnit.objects.all()}
    existing = {(e.indicator_id, e.unit_id): e for e in EnteredScore.objects.filter(indicator__in=columns.values())}
    seen: dict[str, int] = {}
    for number, raw in enumerate(rows[1:], start=2):
        cells = [_cell_text(c) for c in raw] + [""] * (len(header) - len(raw))
        if not any(cells):
            continue
        code = cells[code_column]
        if not code:
            report.error("单位编码为空。", row=number, column=_letter(code_column), **where)
            continue
        unit = units.get(code)
        if unit is None:
            report.error("没有这个单位编码。", row=number, column=_letter(code_column), value=code, **where)
            continue
        if unit.kind != OrgUnit.Kind.SQUAD:
            report.error(f"“{unit.name}”不是中队；街道得分由所属中队计算，不能录入。", row=number,
                         column=_letter(code_column), value=code, **where)
            continue
        if code in seen:
            report.error(f"单位重复，第{seen[code]}行已有该单位。", row=number, column=_letter(code_column),
                         value=code, **where)
            continue
        seen[code] = number
        note = cells[note_column][:500] if note_column is not None else ""
        for index, indicator in columns.items():
            text = cells[index]
            if not text:
                continue  # an empty cell leaves that score as it is
            value, problem = check_value(indicator, text)
            if problem:
                report.error(f"{problem}。", row=number, column=f"{_letter(index)}（{indicator.name}）",
                             value=text, **where)
                continue
            entry = existing.get((indicator.pk, unit.pk))
            report.planned.append(PlannedEntry(
                row=number, unit=unit, indicator=indicator, value=value, note=note,
                previous=entry.value if entry else None, was_entered=bool(entry and entry.value is not None)))
    report.counts = {"rows": len(seen), "scores": len(report.planned), "changed": len(report.changed)}
    if not report.ok or dry_run:
        return report
    with transaction.atomic():
        for planned in report.planned:
            EnteredScore.objects.update_or_create(
                indicator=planned.indicator, unit=planned.unit,
                defaults={"value": planned.value, "out_of": planned.indicator.points, "note": planned.note,
                          "waived_reason": "",
                          "source": f"Excel导入（{filename}）", "entered_by": actor if getattr(actor, "pk", None) else None},
            )
        audit.record(actor=actor, action="assessment.import_scores", obj=scheme,
                     summary=f"{scheme.year} 录入得分导入 {filename}：{len(report.planned)} 项",
                     filename=filename, counts=report.counts)
    return report


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)
