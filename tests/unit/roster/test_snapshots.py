"""take_snapshot freezes the roster and diffs it against the previous snapshot."""

import pytest

from lms.roster.models import OrgUnit, Person, PersonStatus, RosterSnapshotEntry
from lms.roster.services.snapshots import snapshot_changes, take_snapshot
from tests.unit.roster.workbooks import id_number

pytestmark = [pytest.mark.django_db, pytest.mark.dual_db]  # COPY path on PostgreSQL, bulk_create on SQLite


@pytest.fixture
def squads():
    district = OrgUnit.objects.create(code="D", name="区局", kind="district")
    street = OrgUnit.objects.create(code="S1", name="街道", kind="street", parent=district)
    return (
        OrgUnit.objects.create(code="S1-01", name="一中队", kind="squad", parent=street),
        OrgUnit.objects.create(code="S1-02", name="二中队", kind="squad", parent=street),
    )


def make_person(n, squad, position="enforcement_officer"):
    return Person.objects.create(
        name=f"人{n}", id_number=id_number(n), squad=squad, position=position, category="staff"
    )


def test_first_snapshot_has_every_person_and_all_joined(squads):
    a, b = squads
    people = [make_person(1, a), make_person(2, a), make_person(3, b)]
    people[2].status = PersonStatus.LEFT
    people[2].save()
    snapshot = take_snapshot(note="first")
    assert snapshot.entry_count == 3
    assert snapshot.previous is None
    assert snapshot.diff["counts"] == {"joined": 2, "left": 0, "moved": 0, "position_changed": 0}
    entry = RosterSnapshotEntry.objects.get(snapshot=snapshot, person=people[0])
    assert (entry.squad_code, entry.position, entry.status) == ("S1-01", "enforcement_officer", "on_duty")


def test_second_snapshot_records_joined_left_moved_and_position_changes(squads):
    a, b = squads
    stay, mover, promoted, leaver = (make_person(n, a) for n in range(1, 5))
    first = take_snapshot()
    mover.squad = b
    mover.save()
    promoted.position = "squad_leader"
    promoted.save()
    leaver.status = PersonStatus.LEFT
    leaver.save()
    newcomer = make_person(9, b)
    second = take_snapshot(note="after changes")
    assert second.previous == first
    diff = second.diff
    assert [p["id_number"] for p in diff["joined"]] == [newcomer.id_number]
    assert [p["id_number"] for p in diff["left"]] == [leaver.id_number]
    assert diff["moved"] == [
        {"id_number": mover.id_number, "name": mover.name, "squad_code": "S1-02", "position": "enforcement_officer",
         "from": "S1-01", "to": "S1-02"}
    ]
    assert [(p["from"], p["to"]) for p in diff["position_changed"]] == [("enforcement_officer", "squad_leader")]
    assert snapshot_changes(second)["joined"] == diff["joined"]
    # The first snapshot is frozen: later changes do not touch its entries.
    assert RosterSnapshotEntry.objects.get(snapshot=first, person=mover).squad_code == "S1-01"
    assert stay.pk in set(second.entries.values_list("person_id", flat=True))
