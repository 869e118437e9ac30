"""HR's roster workbook import: read, validate everything, then write in bulk in one transaction.

One service for the Wagtail admin screen and `manage.py import_roster`. Any error means nothing is
written and every error is reported by sheet, row, column and value. Performance follows DESIGN §5a:
python-calamine reads the workbook, existing people are fetched in one query, unchanged rows are skipped,
and the writes are bulk inserts/updates.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import IO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

import python_calamine

from lms.core import audit
from lms.core.spreadsheets import ImportReport, UploadRejected, check_upload

from ..models import OrgUnit, Person, PersonStatus, RosterSnapshot
from ..positions import ENFORCEMENT_POSITIONS, normalize_text
from ..resources import (
    COL_CERT,
    COL_ID,
    COL_PHONE,
    COL_SQUAD,
    REQUIRED_COLUMNS,
    RosterResource,
    canonical_header,
    is_blank,
)
from .accounts import AccountSlip, create_accounts
from .snapshots import take_snapshot

HEADER_SEARCH_ROWS = 20  # title rows above the header are rarely more than a handful
BATCH_SIZE = 2000
DEFAULT_DISTRICT = ("QJ", "区城管局")


@dataclass
class RosterRow:
    sheet: str
    row: int
    values: dict  # cleaned, by Person attribute, plus "street" / "squad" names


@dataclass
class RosterImportReport(ImportReport):
    """ImportReport plus what a roster import adds: new units, people marked 离岗, account slips."""

    new_units: list[str] = field(default_factory=list)
    deactivated: list[dict] = field(default_factory=list)
    slips: list[AccountSlip] = field(default_factory=list)
    snapshot_id: int | None = None
    sheets: list[str] = field(default_factory=list)

    def summary(self) -> str:
        c = self.counts
        return _(
            "%(created)d created, %(updated)d updated, %(deactivated)d marked as left, %(unchanged)d unchanged, "
            "%(units)d new units"
        ) % {
            "created": c.get("created", 0),
            "updated": c.get("updated", 0),
            "deactivated": c.get("deactivated", 0),
            "unchanged": c.get("unchanged", 0),
            "units": len(self.new_units),
        }


def import_roster(*, file: IO[bytes], filename: str, dry_run: bool, actor=None) -> RosterImportReport:
    """Validate the workbook and, unless `dry_run` or any error, apply it; always returns the report."""
    report = RosterImportReport(dry_run=dry_run)
    try:
        check_upload(file, filename=filename)
    except UploadRejected as exc:
        report.error(str(exc))
        return report
    rows = _read_rows(file, filename, report)
    if not report.ok:
        return report
    plan = _plan(rows, report)
    if not report.ok or dry_run:
        return report
    _apply(plan, report, actor=actor, filename=filename)
    return report


# --- reading ---------------------------------------------------------------------------------------


def _read_rows(file: IO[bytes], filename: str, report: RosterImportReport) -> list[RosterRow]:
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(file)
    except Exception:  # calamine raises its own error types for every kind of damage
        report.error(_("File “%(name)s” cannot be read as an Excel workbook.") % {"name": filename})
        return []
    resource = RosterResource()
    rows: list[RosterRow] = []
    for sheet_name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(sheet_name)
        rows.extend(_read_sheet(sheet, normalize_text(sheet_name), resource, report))
    if not report.sheets and report.ok:
        report.error(
            _("No sheet has a header row with the columns 姓名 and 身份证号; use the import template.")
        )
    return rows


def _find_header(row_iter) -> tuple[int, list] | None:
    for number, cells in enumerate(itertools.islice(row_iter, HEADER_SEARCH_ROWS), start=1):
        names = [canonical_header(cell) for cell in cells]
        if "姓名" in names and COL_ID in names:
            return number, names
    return None


def _read_sheet(sheet, sheet_name: str, resource: RosterResource, report: RosterImportReport) -> list[RosterRow]:
    row_iter = iter(sheet.iter_rows())  # rows from A1, so positions are Excel row numbers
    found = _find_header(row_iter)
    if found is None:
        if sheet.height:
            report.warn(_("No header row found; the sheet was skipped."), sheet=sheet_name)
        return []
    header_row, names = found
    report.sheets.append(sheet_name)
    columns = {name: index for index, name in enumerate(names) if name}
    for required in REQUIRED_COLUMNS:
        if required not in columns:
            report.error(_("The required column “%(column)s” is missing.") % {"column": required}, sheet=sheet_name, row=header_row)
    if not report.ok:
        return []
    squad_from_sheet = COL_SQUAD not in columns
    width = max(columns.values()) + 1
    rows = []
    for number, cells in enumerate(row_iter, start=header_row + 1):
        if len(cells) < width:
            cells = list(cells) + [""] * (width - len(cells))
        raw = {name: cells[index] for name, index in columns.items()}
        if all(is_blank(value) for value in raw.values()):
            continue  # blank rows between blocks of people
        if squad_from_sheet:
            raw[COL_SQUAD] = sheet_name
        values, problems = resource.clean_row(raw)
        for column, reason in problems.items():
            report.error(reason, sheet=sheet_name, row=number, column=column, value=_shown(raw.get(column)))
        if not values.get("squad"):
            if COL_SQUAD not in problems:
                report.error(_("This column is required."), sheet=sheet_name, row=number, column=COL_SQUAD)
            continue
        if (
            not problems
            and values["category"] == "staff"
            and values["position"] in ENFORCEMENT_POSITIONS
            and not values.get("cert_number")
        ):
            report.error(
                _("Established staff in an enforcement position need an enforcement certificate number."),
                sheet=sheet_name,
                row=number,
                column=COL_CERT,
            )
        if not problems:
            rows.append(RosterRow(sheet_name, number, values))
    return rows


def _shown(value) -> str:
    if isinstance(value, float):
        return repr(value) if not value.is_integer() or abs(value) >= 1e15 else str(int(value))
    return normalize_text(value)[:100] if value is not None else ""


# --- planning --------------------------------------------------------------------------------------


@dataclass
class _Plan:
    to_create: list[Person]
    to_update: list[Person]
    to_deactivate: list[int]
    reactivated_user_ids: list[int]
    new_streets: list[str]
    new_squads: list[tuple[str | None, str]]  # (street name, squad name)
    row_squads: list[tuple[RosterRow, tuple[str | None, str]]]


def _plan(rows: list[RosterRow], report: RosterImportReport) -> _Plan | None:
    _check_duplicates(rows, report)
    units = list(OrgUnit.objects.all())
    streets = {u.name: u for u in units if u.kind == OrgUnit.Kind.STREET}
    squads_by_key = {}
    squads_by_name: dict[str, list[OrgUnit]] = {}
    by_id = {u.pk: u for u in units}
    for unit in units:
        if unit.kind == OrgUnit.Kind.SQUAD:
            parent = by_id.get(unit.parent_id)
            squads_by_key[(parent.name if parent else None, unit.name)] = unit
            squads_by_name.setdefault(unit.name, []).append(unit)

    new_streets: list[str] = []
    new_squads: list[tuple[str | None, str]] = []
    row_squads = []
    resolved: dict[tuple[str | None, str], OrgUnit | tuple] = {}
    for row in rows:
        street, squad = row.values.get("street") or None, row.values["squad"]
        key = (street, squad)
        if key not in resolved:
            if street is None:
                matches = squads_by_name.get(squad, [])
                if len(matches) == 1:
                    resolved[key] = matches[0]
                elif not matches:
                    resolved[key] = None
                    report.error(
                        _("Unknown squad; add the column 所属街道 so a new squad can be created under its street office."),
                        sheet=row.sheet, row=row.row, column=COL_SQUAD, value=squad,
                    )
                else:
                    resolved[key] = None
                    report.error(
                        _("Several street offices have a squad of this name; add the column 所属街道."),
                        sheet=row.sheet, row=row.row, column=COL_SQUAD, value=squad,
                    )
            elif key in squads_by_key:
                resolved[key] = squads_by_key[key]
            else:
                if street not in streets and street not in new_streets:
                    new_streets.append(street)
                new_squads.append(key)
                resolved[key] = key
        if resolved[key] is not None:
            row_squads.append((row, key))
    report.new_units = [_("Street office %(name)s") % {"name": s} for s in new_streets] + [
        _("Squad %(street)s / %(name)s") % {"street": st, "name": sq} for st, sq in new_squads
    ]
    if not report.ok:
        return None

    existing = {p.id_number: p for p in Person.objects.all()}  # one query; squads come from `by_id`
    seen: set[str] = set()
    to_create, to_update, reactivated = [], [], []
    unchanged = 0
    fields = RosterResource.COMPARED
    for row, key in row_squads:
        squad = resolved[key]
        values = {k: v for k, v in row.values.items() if k not in ("street", "squad")}
        person = existing.get(values["id_number"])
        seen.add(values["id_number"])
        if person is None:
            new = Person(**values)
            new._squad_key = key  # set to the real unit once new units exist
            if isinstance(squad, OrgUnit):
                new.squad = squad
            to_create.append(new)
            continue
        before = tuple(getattr(person, f) for f in fields)
        was_on_duty = person.status == PersonStatus.ON_DUTY
        for attr, value in values.items():
            if attr in fields:
                setattr(person, attr, value)
        if isinstance(squad, OrgUnit):
            person.squad = squad
        else:
            person._squad_key = key
            person.squad_id = None
        if tuple(getattr(person, f) for f in fields) == before:
            unchanged += 1
        else:
            to_update.append(person)
            if not was_on_duty and person.status == PersonStatus.ON_DUTY and person.user_id:
                reactivated.append(person.user_id)

    covered = {resolved[key].pk for _row, key in row_squads if isinstance(resolved[key], OrgUnit)}
    to_deactivate = []
    for person in existing.values():
        if person.squad_id in covered and person.id_number not in seen and person.status == PersonStatus.ON_DUTY:
            to_deactivate.append(person.pk)
            report.deactivated.append(
                {"squad": by_id[person.squad_id].name, "name": person.name, "id_number": person.masked_id_number}
            )
    report.counts = {
        "created": len(to_create),
        "updated": len(to_update),
        "deactivated": len(to_deactivate),
        "unchanged": unchanged,
        "rows": len(rows),
    }
    return _Plan(to_create, to_update, to_deactivate, reactivated, new_streets, new_squads, row_squads)


def _check_duplicates(rows: list[RosterRow], report: RosterImportReport) -> None:
    first_by_id: dict[str, RosterRow] = {}
    first_by_phone: dict[str, RosterRow] = {}
    for row in rows:
        id_number, phone = row.values["id_number"], row.values.get("phone")
        earlier = first_by_id.setdefault(id_number, row)
        if earlier is not row:
            report.error(
                _("The same person appears twice: also in sheet “%(sheet)s”, row %(row)d.")
                % {"sheet": earlier.sheet, "row": earlier.row},
                sheet=row.sheet, row=row.row, column=COL_ID, value=id_number,
            )
        if phone:
            other = first_by_phone.setdefault(phone, row)
            if other is not row and other.values["id_number"] != id_number:
                report.error(
                    _("Two people have the same mobile number: also in sheet “%(sheet)s”, row %(row)d.")
                    % {"sheet": other.sheet, "row": other.row},
                    sheet=row.sheet, row=row.row, column=COL_PHONE, value=phone,
                )


# --- writing ---------------------------------------------------------------------------------------


def _next_code(prefix: str, taken: set[str]) -> str:
    for n in itertools.count(1):
        code = f"{prefix}{n:02d}"
        if code not in taken:
            taken.add(code)
            return code
    raise AssertionError("unreachable")


def _create_units(plan: _Plan) -> dict[tuple[str | None, str], OrgUnit]:
    if not plan.new_squads:
        return {}
    taken = set(OrgUnit.objects.values_list("code", flat=True))
    district = OrgUnit.objects.filter(kind=OrgUnit.Kind.DISTRICT, parent=None).order_by("pk").first()
    if district is None:
        code, name = DEFAULT_DISTRICT
        district = OrgUnit.objects.create(code=_next_code(code, taken), name=name, kind=OrgUnit.Kind.DISTRICT)
    streets = {u.name: u for u in OrgUnit.objects.filter(kind=OrgUnit.Kind.STREET)}
    for name in plan.new_streets:
        streets[name] = OrgUnit.objects.create(
            code=_next_code("JD", taken), name=name, kind=OrgUnit.Kind.STREET, parent=district
        )
    created = {}
    for street_name, squad_name in plan.new_squads:
        street = streets[street_name]
        created[(street_name, squad_name)] = OrgUnit.objects.create(
            code=_next_code(f"{street.code}-ZD", taken), name=squad_name, kind=OrgUnit.Kind.SQUAD, parent=street
        )
    return created


@transaction.atomic
def _apply(plan: _Plan, report: RosterImportReport, *, actor, filename: str) -> None:
    User = get_user_model()
    new_units = _create_units(plan)
    for person in itertools.chain(plan.to_create, plan.to_update):
        key = getattr(person, "_squad_key", None)
        if person.squad_id is None and key is not None:
            person.squad = new_units[key]
    Person.objects.bulk_create(plan.to_create, batch_size=BATCH_SIZE)
    if plan.to_update:
        Person.objects.bulk_update(
            plan.to_update, [f for f in RosterResource.COMPARED if f != "squad_id"] + ["squad"], batch_size=BATCH_SIZE
        )
    if plan.to_deactivate:
        Person.objects.filter(pk__in=plan.to_deactivate).update(status=PersonStatus.LEFT)
        User.objects.filter(person__pk__in=plan.to_deactivate).update(is_active=False)
    if plan.reactivated_user_ids:
        User.objects.filter(pk__in=plan.reactivated_user_ids).update(is_active=True)
    if plan.to_create and any(p.pk is None for p in plan.to_create):
        ids = [p.id_number for p in plan.to_create]
        plan.to_create = list(Person.objects.filter(id_number__in=ids).select_related("squad"))
    without_account = plan.to_create + [p for p in plan.to_update if p.user_id is None]
    report.slips = create_accounts(people=without_account)
    report.counts["accounts"] = len(report.slips)
    changed = plan.to_create or plan.to_update or plan.to_deactivate or new_units
    if changed:
        snapshot = take_snapshot(actor=actor, note=_("After importing %(file)s") % {"file": filename})
        report.snapshot_id = snapshot.pk
    else:
        report.snapshot_id = RosterSnapshot.objects.values_list("pk", flat=True).order_by("-taken_at", "-id").first()
    audit.record(
        actor=actor,
        action="roster.import",
        summary=f"{filename}: {report.summary()}"[:500],
        file=filename,
        counts=report.counts,
        new_units=report.new_units,
        sheets=report.sheets,
        snapshot=report.snapshot_id,
    )
