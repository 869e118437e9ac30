"""Times as people read them: in local time (settings.TIME_ZONE, Asia/Shanghai by default), and a range
that spans days with the date on both ends ("2026-12-01 09:00 – 2026-12-31 18:00"), never only the first."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

DATE_TIME = "%Y-%m-%d %H:%M"


def local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def format_datetime(value: dt.datetime | None) -> str:
    return local(value).strftime(DATE_TIME) if value else ""


def format_range(start: dt.datetime | None, end: dt.datetime | None) -> str:
    """"2026-12-01 09:00 – 18:00" within one local day, otherwise both dates."""
    if not start or not end:
        return format_datetime(start or end)
    start, end = local(start), local(end)
    tail = end.strftime("%H:%M" if start.date() == end.date() else DATE_TIME)
    return f"{start.strftime(DATE_TIME)} – {tail}"
