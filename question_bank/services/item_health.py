"""Item health: pool each question version's figures over the exams it appeared in and flag what needs a
trainer's review. Flagging changes nothing about the question: retiring or editing it is the trainer's call.

Flags (on the pooled figures, once a version has MIN_ATTEMPTS attempts, so a handful of candidates cannot
brand a question): facility above 0.95 or below 0.2; discrimination index below 20 %; a wrong option
nobody chose; a wrong option the top 27 % chose more often than the bottom 27 %.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from ..models import HealthFlag, VersionHealth, VersionSessionStatistics
from .bulk import insert_rows

MIN_ATTEMPTS = 10
EASY_ABOVE = 0.95
HARD_BELOW = 0.2
DISCRIMINATION_BELOW = 20.0


def _weighted_mean(pairs: Iterable[tuple[float | None, int]]) -> float | None:
    pairs = [(value, weight) for value, weight in pairs if value is not None and weight]
    total = sum(weight for _value, weight in pairs)
    return sum(value * weight for value, weight in pairs) / total if total else None


def pooled_distractors(rows: list[VersionSessionStatistics]) -> dict:
    """Option counts summed over exams (option keys are the version's, so they add up across exams)."""
    options: dict[str, dict] = {}
    top = bottom = 0
    for row in rows:
        data = row.distractors or {}
        if not data.get("options"):
            continue
        top += data.get("top_size", 0)
        bottom += data.get("bottom_size", 0)
        for option in data["options"]:
            pooled = options.setdefault(option["key"], {"key": option["key"], "is_key": option["is_key"],
                                                         "chosen": 0, "top": 0, "bottom": 0})
            for name in ("chosen", "top", "bottom"):
                pooled[name] += option.get(name, 0)
    return {"top_size": top, "bottom_size": bottom, "options": sorted(options.values(), key=lambda o: o["key"])}


def health_flags(*, attempts: int, facility: float | None, discrimination_index: float | None,
                 distractors: dict) -> list[str]:
    if attempts < MIN_ATTEMPTS:
        return []
    flags = []
    if facility is not None and facility > EASY_ABOVE:
        flags.append(HealthFlag.TOO_EASY.value)
    if facility is not None and facility < HARD_BELOW:
        flags.append(HealthFlag.TOO_HARD.value)
    if discrimination_index is not None and discrimination_index < DISCRIMINATION_BELOW:
        flags.append(HealthFlag.LOW_DISCRIMINATION.value)
    wrong = [o for o in distractors.get("options", []) if not o["is_key"]]
    if any(o["chosen"] == 0 for o in wrong):
        flags.append(HealthFlag.UNUSED_DISTRACTOR.value)
    top, bottom = distractors.get("top_size", 0), distractors.get("bottom_size", 0)
    if top and bottom and any(o["top"] / top > o["bottom"] / bottom for o in wrong):
        flags.append(HealthFlag.ATTRACTIVE_DISTRACTOR.value)
    return flags


def refresh_health(version_ids: Iterable[int], *, written_source: str | None = None,
                   written: Iterable[VersionSessionStatistics] = ()) -> int:
    """Recompute the pooled health of these versions from their per-exam rows; returns how many flagged.
    `written`: the rows of `written_source` just stored, used as they are instead of read back."""
    version_ids = set(version_ids)
    by_version: dict[int, list[VersionSessionStatistics]] = {}
    stored = VersionSessionStatistics.objects.filter(version_id__in=version_ids)
    if written_source is not None:
        stored = stored.exclude(source_key=written_source)
    for row in [*stored, *written]:
        by_version.setdefault(row.version_id, []).append(row)
    to_create, flagged = [], 0
    for version_id in version_ids:
        rows = by_version.get(version_id, [])
        attempts = sum(r.attempts for r in rows)
        facility = _weighted_mean((r.facility, r.attempts) for r in rows)
        discrimination = _weighted_mean((r.discrimination_index, r.attempts) for r in rows)
        flags = health_flags(attempts=attempts, facility=facility, discrimination_index=discrimination,
                             distractors=pooled_distractors(rows))
        flagged += bool(flags)
        to_create.append({"version_id": version_id, "exams": len(rows), "attempts": attempts, "facility": facility,
                          "discrimination_index": discrimination, "flags": flags, "flagged": bool(flags)})
    # Health rows are derived: replacing them is two statements, where bulk_update's CASE per row was slow.
    VersionHealth.objects.filter(version_id__in=version_ids).delete()
    insert_rows(VersionHealth, to_create)
    return flagged


@transaction.atomic
def record_exam_statistics(*, source_key: str, source_label: str, taken_on: dt.date | None,
                           rows: list[dict]) -> int:
    """Replace an exam's per-version figures with `rows` (one dict per version: version_id, attempts,
    facility, sd, discrimination_index, discriminative_efficiency, distractors) and refresh the health of
    every version concerned. Recomputing an exam (a regrade) therefore never counts it twice."""
    previous = set(VersionSessionStatistics.objects.filter(source_key=source_key).values_list("version_id", flat=True))
    VersionSessionStatistics.objects.filter(source_key=source_key).delete()
    new_rows = [{"source_key": source_key, "source_label": source_label[:250], "taken_on": taken_on, **row}
                for row in rows]
    insert_rows(VersionSessionStatistics, new_rows)
    return refresh_health(previous | {row["version_id"] for row in rows}, written_source=source_key,
                          written=[VersionSessionStatistics(**row) for row in new_rows])
