"""Roster snapshots: the roster frozen at a moment, and what changed since the previous one."""

from __future__ import annotations

from django.db import connection, transaction

from lms.core import audit

from ..models import OrgUnit, Person, PersonStatus, RosterSnapshot, RosterSnapshotEntry

# The full change lists can always be recomputed from the entries (`snapshot_changes`); the stored diff
# keeps the first items of each so a 100,000-person first import does not store a 100,000-item JSON blob.
DIFF_LIST_LIMIT = 2000
CHUNK = 5000

# Entry rows compared between snapshots, as tuples to keep 2 × 100,000 of them small in memory.
_ROW_FIELDS = ("person_id", "id_number", "name", "squad_code", "position", "status")
PID, ID_NUMBER, NAME, SQUAD_CODE, POSITION, STATUS = range(len(_ROW_FIELDS))


def _entry_rows(snapshot: RosterSnapshot | None) -> dict[int, tuple]:
    if snapshot is None:
        return {}
    rows = snapshot.entries.order_by().values_list(*_ROW_FIELDS).iterator(chunk_size=CHUNK)
    return {row[PID]: row for row in rows}


def _brief(row: tuple) -> dict:
    return {"id_number": row[ID_NUMBER], "name": row[NAME], "squad_code": row[SQUAD_CODE], "position": row[POSITION]}


def compare_entries(before: dict[int, tuple], after: dict[int, tuple]) -> dict[str, list[dict]]:
    """Joined, left, moved and changed-position people between two rosters ({person_id: entry row}).

    Only people on duty count: someone marked 离岗 has left even though he still has an entry.
    """
    on_before = {pid for pid, row in before.items() if row[STATUS] == PersonStatus.ON_DUTY}
    on_after = {pid for pid, row in after.items() if row[STATUS] == PersonStatus.ON_DUTY}
    joined = [_brief(after[pid]) for pid in sorted(on_after - on_before)]
    left = [_brief(before[pid]) for pid in sorted(on_before - on_after)]
    moved, changed = [], []
    for pid in sorted(on_before & on_after):
        old, new = before[pid], after[pid]
        if old[SQUAD_CODE] != new[SQUAD_CODE]:
            moved.append({**_brief(new), "from": old[SQUAD_CODE], "to": new[SQUAD_CODE]})
        if old[POSITION] != new[POSITION]:
            changed.append({**_brief(new), "from": old[POSITION], "to": new[POSITION]})
    return {"joined": joined, "left": left, "moved": moved, "position_changed": changed}


def _stored_diff(full: dict[str, list[dict]]) -> dict:
    diff: dict = {"counts": {key: len(items) for key, items in full.items()}}
    for key, items in full.items():
        diff[key] = items[:DIFF_LIST_LIMIT]
    diff["truncated"] = any(len(items) > DIFF_LIST_LIMIT for items in full.values())
    return diff


def _copy_people_into(snapshot: RosterSnapshot) -> int:
    """One INSERT … SELECT: the database copies every person, no row passes through Python."""
    entry, person, unit = RosterSnapshotEntry._meta.db_table, Person._meta.db_table, OrgUnit._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {entry} (snapshot_id, person_id, id_number, name, squad_id, squad_code, position, "  # noqa: S608 - table names from model metadata
            f"category, status) SELECT %s, p.id, p.id_number, p.name, p.squad_id, u.code, p.position, p.category, "
            f"p.status FROM {person} p JOIN {unit} u ON u.id = p.squad_id",
            [snapshot.pk],
        )
        return cursor.rowcount


@transaction.atomic
def take_snapshot(*, actor=None, note: str = "") -> RosterSnapshot:
    """Freeze every person (squad code, position, category, status) and diff against the latest snapshot."""
    previous = RosterSnapshot.objects.order_by("-taken_at", "-id").first()
    snapshot = RosterSnapshot.objects.create(
        taken_by=actor if getattr(actor, "is_authenticated", False) else None, note=note[:200], previous=previous
    )
    _copy_people_into(snapshot)
    current = _entry_rows(snapshot)
    snapshot.diff = _stored_diff(compare_entries(_entry_rows(previous), current))
    snapshot.entry_count = len(current)
    snapshot.save(update_fields=["diff", "entry_count"])
    audit.record(
        actor=actor,
        action="roster.snapshot",
        obj=snapshot,
        summary=f"roster snapshot #{snapshot.pk}: {snapshot.entry_count} people",
        counts=snapshot.diff["counts"],
    )
    return snapshot


def snapshot_changes(snapshot: RosterSnapshot) -> dict[str, list[dict]]:
    """The complete (untruncated) changes of a snapshot against its previous one."""
    return compare_entries(_entry_rows(snapshot.previous), _entry_rows(snapshot))
