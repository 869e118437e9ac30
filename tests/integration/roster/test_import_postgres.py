"""The PostgreSQL write path (COPY with reserved ids, INSERT … SELECT snapshots) behaves like the generic one."""

from django.contrib.auth import get_user_model

import pytest

from lms.roster.models import InitialCredential, Person, RosterSnapshot, RosterSnapshotEntry
from lms.roster.services.imports import import_roster
from tests.unit.roster.workbooks import id_number, person_row, simple_roster

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def run(buffer, dry_run=False):
    buffer.seek(0)
    return import_roster(file=buffer, filename="r.xlsx", dry_run=dry_run, actor=None)


def test_copy_import_links_accounts_groups_codes_and_snapshot(postgres_required):
    rows = [person_row(n, position="中队长" if n == 1 else "执法队员") for n in range(1, 301)]
    report = run(simple_roster(rows))
    assert report.ok, report.errors[:3]
    assert Person.objects.filter(user__isnull=False).count() == 300
    assert get_user_model().objects.filter(groups__name="学员", must_change_password=True).count() == 300
    assert InitialCredential.objects.count() == 300
    snapshot = RosterSnapshot.objects.get(pk=report.snapshot_id)
    assert snapshot.entry_count == 300 == RosterSnapshotEntry.objects.filter(snapshot=snapshot).count()
    person = Person.objects.get(id_number=id_number(1))
    assert person.created_at is not None and person.user.username == id_number(1)
    # Sequences moved past the reserved ids: ordinary inserts still work.
    get_user_model().objects.create_user("after-import", password="x-Y-z-12345")


def test_reimport_and_a_failing_import_on_postgres(postgres_required):
    buffer = simple_roster([person_row(n) for n in range(1, 51)])
    run(buffer)
    before = list(Person.objects.order_by("pk").values())
    again = run(buffer)
    assert again.counts["unchanged"] == 50 and again.counts["created"] == 0
    bad = simple_roster([person_row(n) for n in range(1, 40)] + [person_row(99, phone="1")])
    assert not run(bad).ok
    assert list(Person.objects.order_by("pk").values()) == before
