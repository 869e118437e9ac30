"""Roster snapshots: the roster frozen at a moment, and what changed since the previous one."""

from __future__ import annotations

from django.db import transaction

from lms.core import audit

from ..models import Person, PersonStatus, RosterSnapshot, RosterSnapshotEntry

# The full change list can always be recomputed from the entries (`compare_entries`); the stored diff keeps
# the first items of each list so a 100,000-person first import does not store a 100,000-item JSON blob.
DIFF_LIST_LIMIT = 2000
BATCH_SIZE = 5000

_ENTRY_FIELDS = ("person_id", "id_number", "name", "squad_id", "squad_code", "position", "category", "status")


def _entry_rows(snapshot: RosterSnapshot | None) -> dict[int, dict]:
    if snapshot is None:
        return {}
    return {row["person_id"]: row for row in snapshot.entries.values(*_ENTRY_FIELDS).iterator(chunk_size=BATCH_SIZE)}


def _brief(row: dict) -> dict:
    return {"id_number": row["id_number"], "name": row["name"], "squad_code": row["squad_code"], "position": row["position"]}


def compare_entries(before: dict[int, dict], after: dict[int, dict]) -> dict[str, list[dict]]:
    """Joined, left, moved and changed-position people between two rosters ({person_id: entry row}).

    Only people on duty count: someone marked 离岗 has left even though he still has an entry.
    """
    on_before = {pid for pid, row in before.items() if row["status"] == PersonStatus.ON_DUTY}
    on_after = {pid for pid, row in after.items() if row["status"] == PersonStatus.ON_DUTY}
    joined = [_brief(after[pid]) for pid in sorted(on_after - on_before)]
    left = [_brief(before[pid]) for pid in sorted(on_before - on_after)]
    moved, changed = [], []
    for pid in sorted(on_before & on_after):
        old, new = before[pid], after[pid]
        if old["squad_code"] != new["squad_code"]:
            moved.append({**_brief(new), "from": old["squad_code"], "to": new["squad_code"]})
        if old["position"] != new["position"]:
            changed.append({**_brief(new), "from": old["position"], "to": new["position"]})
    return {"joined": joined, "left": left, "moved": moved, "position_changed": changed}


def _stored_diff(full: dict[str, list[dict]]) -> dict:
    diff: dict = {"counts": {key: len(items) for key, items in full.items()}}
    for key, items in full.items():
        diff[key] = items[:DIFF_LIST_LIMIT]
    diff["truncated"] = any(len(items) > DIFF_LIST_LIMIT for items in full.values())
    return diff


@transaction.atomic
def take_snapshot(*, actor=None, note: str = "") -> RosterSnapshot:
    """Freeze every person (squad code, position, category, status) and diff against the latest snapshot."""
    previous = RosterSnapshot.objects.order_by("-taken_at", "-id").first()
    snapshot = RosterSnapshot.objects.create(
        taken_by=actor if getattr(actor, "is_authenticated", False) else None, note=note[:200], previous=previous
    )
    current: dict[int, dict] = {}
    batch: list[RosterSnapshotEntry] = []
    people = Person.objects.values_list(
        "id", "id_number", "name", "squad_id", "squad__code", "position", "category", "status"
    ).order_by()
    for pid, id_number, name, squad_id, squad_code, position, category, status in people.iterator(
        chunk_size=BATCH_SIZE
    ):
        row = {
            "person_id": pid,
            "id_number": id_number,
            "name": name,
            "squad_id": squad_id,
            "squad_code": squad_code,
            "position": position,
            "category": category,
            "status": status,
        }
        current[pid] = row
        batch.append(RosterSnapshotEntry(snapshot=snapshot, **row))
        if len(batch) >= BATCH_SIZE:
            RosterSnapshotEntry.objects.bulk_create(batch)
            batch = []
    if batch:
        RosterSnapshotEntry.objects.bulk_create(batch)
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
