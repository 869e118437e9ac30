"""Reads for screens and commands: which result a year shows, and who may see unpublished figures."""

from __future__ import annotations

from django.utils import timezone

from .models import AssessmentScheme, Publication
from .scoring import YearResult
from .services.compute import compute_year
from .services.publish import current_publication, published_result

# Assessors (and superusers) work on unpublished years; trainers and HR see published results only.
UNPUBLISHED_PERMISSION = "assessment.view_assessmentscheme"
PUBLISHED_PERMISSION = "assessment.view_publication"


def can_see_unpublished(user) -> bool:
    return user.has_perm(UNPUBLISHED_PERMISSION)


def can_see_published(user) -> bool:
    return user.has_perm(PUBLISHED_PERMISSION) or can_see_unpublished(user)


def publication_status(publication: Publication | None) -> str:
    if publication is None:
        return "未发布（实时计算）"
    when = timezone.localtime(publication.published_at).strftime("%Y-%m-%d %H:%M")
    return f"已发布 第{publication.version}版（{when}）"


def result_for_year(year: int, *, prefer_published: bool = True) -> tuple[YearResult, Publication | None]:
    """The published result if there is one (and it is wanted), else a live computation."""
    publication = current_publication(year)
    if publication is not None and prefer_published:
        return published_result(publication), publication
    scheme = AssessmentScheme.objects.get(year=year)
    return compute_year(scheme), None


def published_years_using_session(session) -> list[Publication]:
    """Current publications whose exam figures came from `session`: what a regrade of it would have changed.

    For the grading screens' regrade preview; the published figures themselves never change.
    """
    from .models import Indicator, IndicatorKind

    found = []
    for publication in Publication.objects.filter(year=session.year, superseded_at__isnull=True):
        exams = Indicator.objects.filter(scheme=publication.scheme, kind=IndicatorKind.EXAM).prefetch_related("sessions")
        if any(not indicator.sessions.all() or session in indicator.sessions.all() for indicator in exams):
            found.append(publication)
    return found
