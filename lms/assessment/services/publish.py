"""Publishing a year (an immutable snapshot) and noticing when live figures drift from a published one."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from lms.core import audit

from ..models import AssessmentScheme, Publication
from ..scoring import YearResult
from .compute import compute_year
from .schemes import AssessmentError


def current_publication(year: int) -> Publication | None:
    return Publication.objects.filter(year=year, superseded_at__isnull=True).order_by("-version").first()


def published_result(publication: Publication) -> YearResult:
    return YearResult.from_dict(publication.data)


@transaction.atomic
def publish_year(*, scheme: AssessmentScheme, actor=None, reason: str = "") -> Publication:
    """Freeze the year's results. Refused while anything blocks (weights, missing scores, ungraded exams);
    republishing needs a reason and keeps the previous version, marked superseded."""
    scheme = AssessmentScheme.objects.select_for_update().get(pk=scheme.pk)
    result = compute_year(scheme)
    blocking = [issue.message for issue in result.blocking_issues]
    if blocking:
        raise AssessmentError(blocking)
    previous = current_publication(scheme.year)
    reason = (reason or "").strip()
    if previous and not reason:
        raise AssessmentError(f"{scheme.year} 年结果已于 {timezone.localtime(previous.published_at):%Y-%m-%d %H:%M} "
                              f"发布（第{previous.version}版）；重新发布须填写原因。")
    data = result.to_dict()
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    now = timezone.now()
    if previous:
        Publication.objects.filter(pk=previous.pk).update(superseded_at=now)
    version = (Publication.objects.filter(year=scheme.year).order_by("-version").values_list("version", flat=True)
               .first() or 0) + 1
    publication = Publication.objects.create(
        scheme=scheme, year=scheme.year, version=version, data=data, digest=digest,
        published_by=actor if getattr(actor, "pk", None) else None, reason=reason[:300],
    )
    audit.record(actor=actor, action="assessment.publish", obj=publication,
                 summary=f"{scheme.year} 考核结果发布第{version}版" + (f"，原因：{reason}" if reason else ""),
                 year=scheme.year, version=version, digest=digest, reason=reason)
    return publication


@dataclass
class Drift:
    year: int
    version: int
    units: list[tuple[str, str, str]]  # name, published total, total computed now


def drift(publication: Publication) -> Drift | None:
    """Units whose total computed now differs from the published one (e.g. after a session was regraded)."""
    frozen = published_result(publication)
    live = compute_year(publication.scheme)
    now = {u.unit_id: u.total for u in live.squads + live.streets}
    changed = [
        (unit.name, str(unit.total), str(now[unit.unit_id]))
        for unit in frozen.squads + frozen.streets
        if unit.unit_id in now and now[unit.unit_id] != unit.total
    ]
    return Drift(year=publication.year, version=publication.version, units=changed) if changed else None


def drifted_publications() -> list[Drift]:
    found = []
    for publication in Publication.objects.filter(superseded_at__isnull=True).select_related("scheme"):
        result = drift(publication)
        if result:
            found.append(result)
    return found
