"""Every time is shown in local time (Asia/Shanghai by default), and a range spanning days shows both dates."""

import datetime as dt

from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

import pytest

from lms.core.timefmt import format_range
from lms.exams.services.printables import _window
from lms.roster.models import Position, RosterSnapshot
from tests.conftest import make_user
from tests.unit.exams.factories import build_bank, build_blueprint, build_district, build_session

UTC = dt.UTC
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def test_a_range_within_one_day_shows_the_date_once():
    start = dt.datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    assert format_range(start, start + dt.timedelta(hours=9)) == "2026-12-01 09:00 – 18:00"


def test_a_range_spanning_days_shows_both_dates():
    start = dt.datetime(2026, 12, 1, 9, 0, tzinfo=SHANGHAI)
    end = dt.datetime(2026, 12, 31, 18, 0, tzinfo=SHANGHAI)
    assert format_range(start, end) == "2026-12-01 09:00 – 2026-12-31 18:00"


def test_the_day_is_decided_in_local_time_not_utc():
    # 20:00–02:00 local crosses midnight here, though both ends fall on the same UTC day.
    start = dt.datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    assert format_range(start, start + dt.timedelta(hours=6)) == "2026-12-01 20:00 – 2026-12-02 02:00"


def test_the_template_filter_formats_a_range():
    start = dt.datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    html = Template("{% load lms_time %}{{ start|time_range:end }}").render(
        Context({"start": start, "end": start + dt.timedelta(days=30, hours=9)})
    )
    assert html == "2026-12-01 09:00 – 2026-12-31 18:00"


@pytest.mark.django_db
def test_a_snapshot_is_named_by_its_local_time():
    snapshot = RosterSnapshot.objects.create(note="x")
    RosterSnapshot.objects.filter(pk=snapshot.pk).update(taken_at=dt.datetime(2026, 12, 1, 1, 30, tzinfo=UTC))
    snapshot.refresh_from_db()
    assert str(snapshot) == f"#{snapshot.pk} 2026-12-01 09:30"


@pytest.mark.django_db
def test_an_audit_entry_is_named_by_its_local_time():
    from lms.core.models import AuditEntry

    entry = AuditEntry.objects.create(action="roster.import", summary="x")
    AuditEntry.objects.filter(pk=entry.pk).update(created_at=dt.datetime(2026, 12, 1, 23, 30, tzinfo=UTC))
    entry.refresh_from_db()
    assert str(entry).startswith("2026-12-02 07:30 ")


@pytest.mark.django_db
def test_the_snapshot_list_and_detail_show_local_time(client, hr_user):
    snapshot = RosterSnapshot.objects.create(note="x")
    RosterSnapshot.objects.filter(pk=snapshot.pk).update(taken_at=dt.datetime(2026, 12, 1, 1, 30, tzinfo=UTC))
    client.force_login(hr_user)
    listing = client.get("/admin/roster_rostersnapshot/").content.decode()
    assert "2026-12-01 09:30" in listing and "01:30" not in listing
    detail = client.get(reverse("roster_snapshot_detail", args=[snapshot.pk])).content.decode()
    assert "2026-12-01 09:30" in detail


@pytest.fixture
def month_long_session(db):
    build_district([{Position.SQUAD_LEADER: 1, Position.ENFORCEMENT_OFFICER: 2}])
    build_bank({("single", "K1", 3): 6})
    session = build_session(blueprint=build_blueprint(), code="DEC")
    session.starts_at = dt.datetime(2026, 12, 1, 9, 0, tzinfo=SHANGHAI)
    session.ends_at = dt.datetime(2026, 12, 31, 18, 0, tzinfo=SHANGHAI)
    session.save()
    return session


def test_the_printed_window_of_a_month_long_session_shows_both_dates(month_long_session):
    assert _window(month_long_session) == "2026-12-01 09:00 – 2026-12-31 18:00"


def test_the_session_dashboard_shows_both_dates(client, trainer, month_long_session):
    client.force_login(trainer)
    html = client.get(reverse("exams_admin:dashboard", args=[month_long_session.pk])).content.decode()
    assert "2026-12-01 09:00 – 2026-12-31 18:00" in html


def test_the_officers_exam_page_shows_both_dates(client, month_long_session):
    from lms.exams.services.draw import draw_candidates
    from lms.roster.models import Person

    candidate = draw_candidates(session=month_long_session, seed="t").candidates.first()
    user = make_user("officer-times", "学员")
    Person.objects.filter(pk=candidate.person_id).update(user=user)
    client.force_login(user)
    html = client.get(reverse("exams:my_exams")).content.decode()
    assert "2026-12-01 09:00 – 2026-12-31 18:00" in html
    assert timezone.get_current_timezone_name() == "Asia/Shanghai"
