"""HR's roster workbook import: read, validate everything, then write in bulk in one transaction.

One service for the Wagtail admin screen and `manage.py import_roster`. Any error means nothing is
written and every error is reported by sheet, row, column and value. Performance follows DESIGN §5a:
python-calamine reads the workbook, existing people are fetched in one query, unchanged rows are skipped,
and the writes are bulk inserts/updates.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import python_calamine

from lms.core import audit
from lms.core.spreadsheets import ImportReport, UploadRejected, check_upload, damaged_file_message

from ..models import OrgUnit, Person, PersonStatus, RosterSnapshot
from ..positions import ENFORCEMENT_POSITIONS, normalize_text
from ..resources import (
    COL_CERT,
    COL_ID,
    COL_NAME,
    COL_PHONE,
    COL_SQUAD,
    COL_STATUS,
    REQUIRED_COLUMNS,
    RosterResource,
    canonical_header,
)
from .accounts import AccountSlip, create_user_accounts, protected_account_ids
from .bulk import insert_rows
from .snapshots import take_snapshot

HEADER_SEARCH_ROWS = 20  # title rows above the header are rarely more than a handful
BATCH_SIZE = 2000
DEFAULT_DISTRICT = ("QJ", "区城管局")


# Cleaned person values in this order; compared with the stored ones to find changes.
VALUE_FIELDS = ("name", "gender", "cert_number", "phone", "position", "category", "status", "hire_date")


@dataclass(slots=True)
class RosterRow:
    sheet: str
    row: int
    id_number: str
    street: str | None
    squad: str
    values: tuple  # VALUE_FIELDS


@dataclass
class RosterImportReport(ImportReport):
    """ImportReport plus what a roster import adds: new units, people marked 离岗, account slips."""

    new_units: list[str] = field(default_factory=list)
    deactivated: list[dict] = field(default_factory=list)
    slips: list[AccountSlip] = field(default_factory=list)
    snapshot_id: int | None = None
    sheets: list[str] = field(default_factory=list)
    damaged: bool = False

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


def import_roster(
    *, file: IO[bytes], filename: str, dry_run: bool, actor=None, progress: Callable[[str, int], None] | None = None
) -> RosterImportReport:
    """Validate the workbook and, unless `dry_run` or any error, apply it; always returns the report.

    `progress(phase, rows)` is told when each phase starts ("checking", "writing"), for a job's progress bar.
    """
    report = RosterImportReport(dry_run=dry_run)
    try:
        check_upload(file, filename=filename)
    except UploadRejected as exc:
        report.error(str(exc))
        return report
    rows = _read_rows(file, filename, report)
    if report.damaged:
        return report
    # Checks across rows (duplicates, unknown squads) run on the valid rows even when some cells were
    # wrong, so HR sees every error of every sheet in one go.
    if progress:
        progress("checking", len(rows))
    plan = _plan(rows, report)
    if plan is not None and report.ok:
        _refuse_protected_accounts(plan, report, actor=actor)
    if not report.ok or dry_run:
        return report
    if progress:
        progress("writing", len(rows))
    _apply(plan, report, actor=actor, filename=filename)
    return report


# --- reading ---------------------------------------------------------------------------------------


def _read_rows(file: IO[bytes], filename: str, report: RosterImportReport) -> list[RosterRow]:
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(file)
    except Exception:  # calamine raises its own error types for every kind of damage
        report.error(_("File “%(name)s” cannot be read as an Excel workbook.") % {"name": filename})
        report.damaged = True
        return []
    resource = RosterResource()
    rows: list[RosterRow] = []
    try:
        for sheet_name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(sheet_name)
            rows.extend(_read_sheet(sheet, normalize_text(sheet_name), resource, report))
    except (python_calamine.CalamineError, OSError):
        # A workbook can open and still fail half-way through a sheet (cut-off XML, bad checksum, a part
        # larger than declared): the errors found before that point describe a file HR does not have.
        report.errors.clear()
        report.warnings.clear()
        report.sheets.clear()
        report.error(damaged_file_message(filename))
        report.damaged = True
        return []
    if not report.sheets and report.ok:
        report.error(
            _("No sheet has a header row with the columns 姓名 and 身份证号; use the import template.")
        )
    return rows


def _find_header(row_iter) -> tuple[int, list] | None:
    for number, cells in enumerate(itertools.islice(row_iter, HEADER_SEARCH_ROWS), start=1):
        names = [canonical_header(cell) for cell in cells]
        if COL_NAME in names and COL_ID in names:
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
    missing = [required for required in REQUIRED_COLUMNS if required not in columns]
    for required in missing:
        report.error(_("The required column “%(column)s” is missing.") % {"column": required}, sheet=sheet_name, row=header_row)
    if missing:  # this sheet's rows cannot be read; the other sheets still are
        return []
    squad_from_sheet = COL_SQUAD not in columns
    width = max(columns.values()) + 1
    clean_row = resource.row_cleaner([*columns, COL_SQUAD])
    rows = []
    for number, cells in enumerate(row_iter, start=header_row + 1):
        if len(cells) < width:
            cells = list(cells) + [""] * (width - len(cells))
        raw = {name: cells[index] for name, index in columns.items()}
        if not any(_filled(value) for value in raw.values()):
            continue  # blank rows between blocks of people
        if squad_from_sheet:
            raw[COL_SQUAD] = sheet_name
        values, problems = clean_row(raw)
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
            rows.append(
                RosterRow(
                    sheet_name, number, values["id_number"], values.get("street") or None, values["squad"],
                    tuple(values.get(f, "") if f != "hire_date" else values.get(f) for f in VALUE_FIELDS),
                )
            )
    return rows


def _filled(value) -> bool:
    # str.strip() also removes U+3000 and other Unicode spaces.
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


def _shown(value) -> str:
    if isinstance(value, float):
        return repr(value) if not value.is_integer() or abs(value) >= 1e15 else str(int(value))
    return normalize_text(value)[:100] if value is not None else ""


# --- planning --------------------------------------------------------------------------------------

Key = tuple  # (street name or None, squad name)


@dataclass
class _Plan:
    to_create: list[RosterRow]
    to_update: list[tuple[int, RosterRow, int | None]]  # (person pk, row, user id)
    to_deactivate: list[int]
    reactivated_user_ids: list[int]
    left_user_ids: list[int]  # people the file itself marks 离岗
    new_streets: list[str]
    new_squads: list[Key]
    squads: dict[Key, OrgUnit | Key]  # existing unit, or the key of a unit still to create


def _resolve_units(rows: list[RosterRow], report: RosterImportReport):
    units = list(OrgUnit.objects.all())
    by_id = {u.pk: u for u in units}
    streets = {u.name for u in units if u.kind == OrgUnit.Kind.STREET}
    squads_by_key: dict[Key, OrgUnit] = {}
    squads_by_name: dict[str, list[OrgUnit]] = {}
    for unit in units:
        if unit.kind == OrgUnit.Kind.SQUAD:
            parent = by_id.get(unit.parent_id)
            squads_by_key[(parent.name if parent else None, unit.name)] = unit
            squads_by_name.setdefault(unit.name, []).append(unit)
    new_streets: list[str] = []
    new_squads: list[Key] = []
    resolved: dict[Key, OrgUnit | Key | None] = {}
    for row in rows:
        key = (row.street, row.squad)
        if key in resolved:
            continue
        if row.street is None:
            matches = squads_by_name.get(row.squad, [])
            resolved[key] = matches[0] if len(matches) == 1 else None
            if len(matches) != 1:
                message = (
                    _("Unknown squad; add the column 所属街道 so a new squad can be created under its street office.")
                    if not matches
                    else _("Several street offices have a squad of this name; add the column 所属街道.")
                )
                report.error(message, sheet=row.sheet, row=row.row, column=COL_SQUAD, value=row.squad)
        elif key in squads_by_key:
            resolved[key] = squads_by_key[key]
        else:
            if row.street not in streets and row.street not in new_streets:
                new_streets.append(row.street)
            new_squads.append(key)
            resolved[key] = key
    report.new_units = [_("Street office %(name)s") % {"name": s} for s in new_streets] + [
        _("Squad %(street)s / %(name)s") % {"street": st, "name": sq} for st, sq in new_squads
    ]
    return resolved, new_streets, new_squads, by_id


def _plan(rows: list[RosterRow], report: RosterImportReport) -> _Plan | None:
    _check_duplicates(rows, report)
    resolved, new_streets, new_squads, units_by_id = _resolve_units(rows, report)
    if not report.ok:
        return None
    # Every stored person in one query, as tuples (100,000 model instances would cost seconds).
    existing = {
        row[1]: row
        for row in Person.objects.order_by()
        .values_list("pk", "id_number", *VALUE_FIELDS, "squad_id", "user_id")
        .iterator(chunk_size=5000)
    }
    seen: set[str] = set()
    to_create, to_update, reactivated, left = [], [], [], []
    unchanged = 0
    status_index = 2 + VALUE_FIELDS.index("status")
    for row in rows:
        seen.add(row.id_number)
        stored = existing.get(row.id_number)
        if stored is None:
            to_create.append(row)
            continue
        squad = resolved[(row.street, row.squad)]
        squad_id = squad.pk if isinstance(squad, OrgUnit) else None
        if stored[2:-1] == (*row.values, squad_id):
            unchanged += 1
            continue
        to_update.append((stored[0], row, stored[-1]))
        was_on_duty = stored[status_index] == PersonStatus.ON_DUTY
        is_on_duty = row.values[VALUE_FIELDS.index("status")] == PersonStatus.ON_DUTY
        if stored[-1] and was_on_duty != is_on_duty:
            (reactivated if is_on_duty else left).append(stored[-1])

    covered = {unit.pk for unit in resolved.values() if isinstance(unit, OrgUnit)}
    squad_index = 2 + len(VALUE_FIELDS)
    to_deactivate = []
    for id_number, stored in existing.items():
        if stored[squad_index] in covered and id_number not in seen and stored[status_index] == PersonStatus.ON_DUTY:
            to_deactivate.append(stored[0])
            report.deactivated.append(
                {"squad": units_by_id[stored[squad_index]].name, "name": stored[2],
                 "id_number": f"{id_number[:6]}********{id_number[-4:]}"}
            )
    report.counts = {
        "created": len(to_create),
        "updated": len(to_update),
        "deactivated": len(to_deactivate),
        "unchanged": unchanged,
        "rows": len(rows),
    }
    return _Plan(to_create, to_update, to_deactivate, reactivated, left, new_streets, new_squads, resolved)


def _check_duplicates(rows: list[RosterRow], report: RosterImportReport) -> None:
    first_by_id: dict[str, RosterRow] = {}
    first_by_phone: dict[str, RosterRow] = {}
    phone_index = VALUE_FIELDS.index("phone")
    for row in rows:
        earlier = first_by_id.setdefault(row.id_number, row)
        if earlier is not row:
            report.error(
                _("The same person appears twice: also in sheet “%(sheet)s”, row %(row)d.")
                % {"sheet": earlier.sheet, "row": earlier.row},
                sheet=row.sheet, row=row.row, column=COL_ID, value=row.id_number,
            )
        phone = row.values[phone_index]
        if phone:
            other = first_by_phone.setdefault(phone, row)
            if other is not row and other.id_number != row.id_number:
                report.error(
                    _("Two people have the same mobile number: also in sheet “%(sheet)s”, row %(row)d.")
                    % {"sheet": other.sheet, "row": other.row},
                    sheet=row.sheet, row=row.row, column=COL_PHONE, value=phone,
                )


def _refuse_protected_accounts(plan: _Plan, report: RosterImportReport, *, actor) -> None:
    """An import may not change an account with more than an officer's rights (issue 15 item 3).

    It would give such an account a new initial code (when its user name is the ID number of a new roster
    row) or switch it on or off (when its person leaves or returns). Superusers may; HR may not.
    """
    if actor is not None and actor.is_superuser:
        return
    User = get_user_model()
    protected = dict(User.objects.filter(pk__in=protected_account_ids()).values_list("pk", "username"))
    if not protected:
        return
    message = _("This person's account (%(account)s) has staff rights; only a superuser may change it by import.")
    by_username = {username: pk for pk, username in protected.items()}
    needing = [*plan.to_create, *(row for _pk, row, uid in plan.to_update if not uid)]
    for row in needing:
        if row.id_number in by_username:
            report.error(message % {"account": row.id_number}, sheet=row.sheet, row=row.row, column=COL_ID,
                         value=row.id_number)
    switched = set(plan.reactivated_user_ids) | set(plan.left_user_ids)
    for _pk, row, uid in plan.to_update:
        if uid in protected and uid in switched:
            report.error(message % {"account": protected[uid]}, sheet=row.sheet, row=row.row, column=COL_STATUS,
                         value=row.id_number)
    for name, username in Person.objects.filter(pk__in=plan.to_deactivate, user_id__in=protected).values_list(
        "name", "user__username"
    ):
        report.error(message % {"account": username} + " " + _("(%(name)s is missing from the file.)") % {"name": name})


# --- writing ---------------------------------------------------------------------------------------


def _next_code(prefix: str, taken: set[str]) -> str:
    for n in itertools.count(1):
        code = f"{prefix}{n:02d}"
        if code not in taken:
            taken.add(code)
            return code
    raise AssertionError("unreachable")


def _create_units(plan: _Plan) -> None:
    """Create the new street offices and squads and put them into `plan.squads`."""
    if not plan.new_squads:
        return
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
    for street_name, squad_name in plan.new_squads:
        street = streets[street_name]
        plan.squads[(street_name, squad_name)] = OrgUnit.objects.create(
            code=_next_code(f"{street.code}-ZD", taken), name=squad_name, kind=OrgUnit.Kind.SQUAD, parent=street
        )


PERSON_INSERT_FIELDS = ("id_number", *VALUE_FIELDS, "squad_id", "user_id", "created_at", "updated_at")


@transaction.atomic
def _apply(plan: _Plan, report: RosterImportReport, *, actor, filename: str) -> None:
    User = get_user_model()
    now = timezone.now()
    _create_units(plan)

    def squad_of(row: RosterRow) -> OrgUnit:
        return plan.squads[(row.street, row.squad)]

    name_i, phone_i = VALUE_FIELDS.index("name"), VALUE_FIELDS.index("phone")
    needing_accounts = [(r.id_number, r.values[name_i], squad_of(r).name, r.values[phone_i]) for r in plan.to_create]
    needing_accounts += [
        (r.id_number, r.values[name_i], squad_of(r).name, r.values[phone_i]) for _pk, r, uid in plan.to_update if not uid
    ]
    user_ids, report.slips = create_user_accounts(people=needing_accounts)
    report.counts["accounts"] = len(report.slips)

    insert_rows(
        Person,
        PERSON_INSERT_FIELDS,
        ((r.id_number, *r.values, squad_of(r).pk, user_ids[r.id_number], now, now) for r in plan.to_create),
    )
    if plan.to_update:
        changed = []
        for pk, row, user_id in plan.to_update:
            person = Person(pk=pk, squad=squad_of(row), user_id=user_id or user_ids[row.id_number], updated_at=now)
            for field_name, value in zip(VALUE_FIELDS, row.values, strict=True):
                setattr(person, field_name, value)
            changed.append(person)
        Person.objects.bulk_update(changed, [*VALUE_FIELDS, "squad", "user", "updated_at"], batch_size=BATCH_SIZE)
    if plan.to_deactivate:
        Person.objects.filter(pk__in=plan.to_deactivate).update(status=PersonStatus.LEFT, updated_at=now)
        User.objects.filter(person__pk__in=plan.to_deactivate).update(is_active=False)
    if plan.reactivated_user_ids:
        User.objects.filter(pk__in=plan.reactivated_user_ids).update(is_active=True)
    # People who have left cannot sign in; their history stays.
    status_i = VALUE_FIELDS.index("status")
    left_user_ids = plan.left_user_ids + [
        user_ids[r.id_number] for r in plan.to_create if r.values[status_i] != PersonStatus.ON_DUTY
    ]
    if left_user_ids:
        User.objects.filter(pk__in=left_user_ids).update(is_active=False)

    if plan.to_create or plan.to_update or plan.to_deactivate or plan.new_squads:
        snapshot = take_snapshot(actor=actor, note=_("After importing %(file)s") % {"file": filename})
        report.snapshot_id = snapshot.pk
    else:  # nothing changed: the latest snapshot still describes the roster
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
