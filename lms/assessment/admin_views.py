"""Assessment screens in the Wagtail admin: years, results with their breakdown, what-if, entry, import, publishing.

Assessors (assessment.* permissions) see and do everything here. Trainers and HR (view_publication) see
published results only; an unpublished year answers 403 for them. Every action calls a service.
"""

from __future__ import annotations

import contextlib
import secrets
import tempfile
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.core.models import AuditEntry
from lms.core.secret_compare import same_secret
from lms.roster.models import OrgUnit

from . import selectors
from .forms import CopySchemeForm, EnterScoreForm, ImportForm, PublishForm
from .models import AssessmentScheme, EnteredScore, Indicator, Publication
from .scoring import YearResult
from .services.compute import compute_year
from .services.entries import (
    enter_score,
    entered_indicators,
    import_entered_scores,
    squads,
    template_xlsx,
    waive_score,
)
from .services.exports import chart_svg, export_bytes
from .services.publish import current_publication, drift, drifted_publications, publish_year
from .services.schemes import AssessmentError, comparison_with_previous, copy_scheme, set_weights

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PENDING_KEY = "assessment_import_pending"


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _scheme(year: int) -> AssessmentScheme:
    return get_object_or_404(AssessmentScheme, year=year)


def _version(request) -> int | None:
    """The ?version= of a published result; anything but a number is a missing page, not an error."""
    raw = request.GET.get("version")
    if raw is None or raw == "":
        return None
    if not raw.isdigit():
        raise Http404
    return int(raw)


def _ctx(title: str, **extra) -> dict:
    return {"page_title": title, "header_icon": "table", **extra}


def index(request):
    if not selectors.can_see_published(request.user):
        raise PermissionDenied
    unpublished = selectors.can_see_unpublished(request.user)
    years = []
    for scheme in AssessmentScheme.objects.all():
        publication = current_publication(scheme.year)
        if publication is None and not unpublished:
            continue
        years.append({"scheme": scheme, "publication": publication,
                      "versions": Publication.objects.filter(year=scheme.year).count()})
    return TemplateResponse(request, "assessment/admin/index.html", _ctx(
        _("Annual assessment"), years=years, unpublished=unpublished,
        can_copy=request.user.has_perm("assessment.add_assessmentscheme"),
        copy_form=CopySchemeForm(initial={"year": (years[0]["scheme"].year + 1) if years else None}),
        drifts=drifted_publications() if unpublished else [],
    ))


@require_POST
def copy_year(request, year: int):
    _require(request, "assessment.add_assessmentscheme")
    source = _scheme(year)
    form = CopySchemeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a year between 2000 and 2100."))
        return redirect("assessment_admin:index")
    try:
        scheme = copy_scheme(source=source, year=form.cleaned_data["year"], actor=request.user)
    except AssessmentError as exc:
        messages.error(request, str(exc))
        return redirect("assessment_admin:index")
    messages.success(request, _("The %(year)s scheme was created as a copy of %(source)s.")
                     % {"year": scheme.year, "source": source.year})
    return redirect("assessment_admin:year", year=scheme.year)


def year_view(request, year: int):
    _require(request, selectors.UNPUBLISHED_PERMISSION)
    scheme = _scheme(year)
    result = compute_year(scheme)
    publication = current_publication(year)
    return TemplateResponse(request, "assessment/admin/year.html", _ctx(
        _("%(year)s assessment") % {"year": year}, subtitle=scheme.title, scheme=scheme, result=result,
        publication=publication, drift=drift(publication) if publication else None,
        publications=Publication.objects.filter(year=year).select_related("published_by"),
        comparison=comparison_with_previous(scheme), chart=chart_svg(result),
        publish_form=PublishForm(), can_change=request.user.has_perm("assessment.change_assessmentscheme"),
        can_publish=request.user.has_perm("assessment.add_publication"),
        history=AuditEntry.objects.filter(object_type="assessment.assessmentscheme", object_id=str(scheme.pk))
        .select_related("actor")[:10],
    ))


def unit_view(request, year: int, unit_id: int):
    version = _version(request)
    if version:
        publication = get_object_or_404(Publication, year=year, version=version)
        if not selectors.can_see_published(request.user):
            raise PermissionDenied
        result = YearResult.from_dict(publication.data)
    else:
        _require(request, selectors.UNPUBLISHED_PERMISSION)
        publication = None
        result = compute_year(_scheme(year))
    unit = result.unit(unit_id)
    if unit is None:
        raise Http404
    rows = [{"spec": spec, "cell": unit.cells[spec.code], "indent": "　" * spec.depth} for spec in result.indicators]
    return TemplateResponse(request, "assessment/admin/unit.html", _ctx(
        f"{unit.name} · {year}", result=result, unit=unit, publication=publication, year=year, rows=rows,
    ))


def _points_from(request, scheme: AssessmentScheme) -> tuple[dict[str, Decimal], list[str]]:
    points, errors = {}, []
    for indicator in scheme.indicators.all():
        raw = request.POST.get(f"p_{indicator.code}") if request.method == "POST" else request.GET.get(f"p_{indicator.code}")
        if raw is None or raw == "":
            continue
        try:
            value = Decimal(raw.strip())
        except InvalidOperation:
            errors.append(f"指标“{indicator.name}”：“{raw}”不是数字。")
            continue
        if not value.is_finite() or value < 0 or value > 100 or value != value.quantize(Decimal("0.1")):
            errors.append(f"指标“{indicator.name}”：分值须在 0–100 之间，最多一位小数（填写的是 {raw}）。")
            continue
        points[indicator.code] = value
    # A group is worth the sum of its indicators: keep groups consistent with what was typed below them.
    indicators = list(scheme.indicators.all())
    effective = {i.code: points.get(i.code, i.points) for i in indicators}
    for indicator in reversed(indicators):
        if indicator.kind == "group":
            kids = [i for i in indicators if i.parent_code == indicator.code]
            effective[indicator.code] = sum((effective[k.code] for k in kids), Decimal("0"))
    return effective, errors


def whatif(request, year: int):
    _require(request, selectors.UNPUBLISHED_PERMISSION)
    scheme = _scheme(year)
    baseline = compute_year(scheme)
    points, errors = _points_from(request, scheme)
    published = scheme.publications.exists()
    unconfirmed = []
    if request.method == "POST":
        _require(request, "assessment.change_assessmentscheme")
        if published and not request.POST.get("confirm_published"):
            # The publication stays frozen, but the scheme then differs from what was published: say so first
            # (the preview and its form stay on the page, so ticking the box is all that is left to do).
            unconfirmed = [_("This year's results are published. Tick the confirmation to change its weights; "
                             "the published result stays as it is until it is republished with a reason.")]
        elif not errors:
            try:
                changes = set_weights(scheme=scheme, points=points, actor=request.user)
            except AssessmentError as exc:
                errors = exc.messages
            else:
                messages.success(request, _("Weights saved: %(count)s indicators changed.") % {"count": len(changes)})
                return redirect("assessment_admin:year", year=year)
    preview = compute_year(scheme, points=points) if not errors else None
    top_total = sum((points[i.code] for i in scheme.indicators.all() if not i.parent_code), Decimal("0"))
    moves = {}
    if preview:
        before = {u.unit_id: u.rank for u in baseline.squads + baseline.streets}
        moves = {u.unit_id: before.get(u.unit_id, u.rank) - u.rank for u in preview.squads + preview.streets}
    rows = [{"spec": spec, "value": points.get(spec.code, spec.points)} for spec in baseline.indicators]
    return TemplateResponse(request, "assessment/admin/whatif.html", _ctx(
        _("What-if: %(year)s weights") % {"year": year}, scheme=scheme, baseline=baseline, preview=preview,
        rows=rows, errors=[*errors, *unconfirmed], moves=moves, top_total=top_total,
        balanced=top_total == Decimal("100"),
        changed=any(points.get(s.code) != s.points for s in baseline.indicators),
        can_change=request.user.has_perm("assessment.change_assessmentscheme"), published=published,
    ))


@require_POST
def publish(request, year: int):
    _require(request, "assessment.add_publication")
    scheme = _scheme(year)
    reason = request.POST.get("reason", "").strip()
    try:
        publication = publish_year(scheme=scheme, actor=request.user, reason=reason[:300])
    except AssessmentError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("assessment_admin:year", year=year)
    messages.success(request, _("The %(year)s results are published (version %(version)s).")
                     % {"year": year, "version": publication.version})
    return redirect("assessment_admin:publication", pk=publication.pk)


def publication_view(request, pk: int):
    if not selectors.can_see_published(request.user):
        raise PermissionDenied
    publication = get_object_or_404(Publication.objects.select_related("published_by"), pk=pk)
    result = YearResult.from_dict(publication.data)
    return TemplateResponse(request, "assessment/admin/publication.html", _ctx(
        _("%(year)s assessment, version %(version)s") % {"year": publication.year, "version": publication.version},
        publication=publication, result=result, chart=chart_svg(result),
        others=Publication.objects.filter(year=publication.year).exclude(pk=pk).select_related("published_by"),
    ))


def stars_view(request, year: int):
    _require(request, selectors.UNPUBLISHED_PERMISSION)
    scheme = _scheme(year)
    result = compute_year(scheme)
    squads_by_stars = sorted(result.squads, key=lambda u: (-(u.stars or 0), u.rank))
    return TemplateResponse(request, "assessment/admin/stars.html", _ctx(
        _("Star-rated squads, %(year)s") % {"year": year}, scheme=scheme, result=result, squads=squads_by_stars,
        aspects=[s for s in result.indicators if s.star_aspect],
    ))


def export(request, year: int, fmt: str):
    version = _version(request)
    if version:
        if not selectors.can_see_published(request.user):
            raise PermissionDenied
        publication = get_object_or_404(Publication, year=year, version=version)
        result = YearResult.from_dict(publication.data)
    else:
        _require(request, selectors.UNPUBLISHED_PERMISSION)
        publication = None
        result = compute_year(_scheme(year))
    status = selectors.publication_status(publication)
    data = export_bytes(result, fmt=fmt, status=status)
    response = HttpResponse(data, content_type="application/pdf" if fmt == "pdf" else XLSX)
    suffix = f"-v{publication.version}" if publication else "-draft"
    response["Content-Disposition"] = f'attachment; filename="assessment-{year}{suffix}.{fmt}"'
    return response


# --- Entered scores -----------------------------------------------------------------------------------


def entered_view(request, year: int):
    _require(request, selectors.UNPUBLISHED_PERMISSION)
    scheme = _scheme(year)
    indicators = entered_indicators(scheme)
    units = squads()
    form = EnterScoreForm(request.POST or None, indicators=indicators, units=units)
    if request.method == "POST":
        _require(request, "assessment.change_enteredscore")
        if form.is_valid():
            indicator = get_object_or_404(Indicator, pk=form.cleaned_data["indicator"], scheme=scheme)
            unit = get_object_or_404(OrgUnit, pk=form.cleaned_data["unit"])
            try:
                if form.cleaned_data["value"] is not None:
                    enter_score(indicator=indicator, unit=unit, value=form.cleaned_data["value"],
                                note=form.cleaned_data["note"], actor=request.user)
                else:
                    waive_score(indicator=indicator, unit=unit, reason=form.cleaned_data["waive_reason"],
                                actor=request.user)
            except AssessmentError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Saved: %(unit)s, %(indicator)s.") % {"unit": unit.name,
                                                                                 "indicator": indicator.name})
                return redirect("assessment_admin:entered", year=year)
    entries = {(e.indicator_id, e.unit_id): e for e in
               EnteredScore.objects.filter(indicator__in=indicators).select_related("entered_by")}
    grid = [{"unit": unit, "cells": [{"indicator": i, "entry": entries.get((i.pk, unit.pk))} for i in indicators]}
            for unit in units]
    missing = sum(1 for row in grid for c in row["cells"] if c["entry"] is None and c["indicator"].kind == "entered")
    return TemplateResponse(request, "assessment/admin/entered.html", _ctx(
        _("Entered scores, %(year)s") % {"year": year}, scheme=scheme, indicators=indicators, grid=grid,
        form=form, missing=missing, can_change=request.user.has_perm("assessment.change_enteredscore"),
    ))


def _upload_dir() -> Path:
    path = Path(tempfile.gettempdir()) / "lms-assessment-imports"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def _discard_pending(request) -> None:
    pending = request.session.pop(PENDING_KEY, None)
    if pending:
        with contextlib.suppress(OSError):
            (_upload_dir() / f"{pending['token']}.xlsx").unlink()


def import_upload(request, year: int):
    _require(request, "assessment.change_enteredscore")
    scheme = _scheme(year)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        _discard_pending(request)
        token = secrets.token_hex(16)
        path = _upload_dir() / f"{token}.xlsx"
        with path.open("wb") as target:
            for chunk in uploaded.chunks():
                target.write(chunk)
        path.chmod(0o600)
        request.session[PENDING_KEY] = {"token": token, "filename": Path(uploaded.name).name[:200], "year": year}
        return redirect("assessment_admin:import_preview", year=year)
    return TemplateResponse(request, "assessment/admin/import_upload.html", _ctx(
        _("Import entered scores, %(year)s") % {"year": year}, scheme=scheme, form=form,
        indicators=entered_indicators(scheme),
    ))


def _pending(request, year: int):
    pending = request.session.get(PENDING_KEY)
    path = _upload_dir() / f"{pending['token']}.xlsx" if pending else None
    if not pending or pending.get("year") != year or not path.exists():
        messages.error(request, _("No uploaded workbook is waiting; upload it again."))
        return None, None
    return pending, path


def import_preview(request, year: int):
    _require(request, "assessment.change_enteredscore")
    scheme = _scheme(year)
    pending, path = _pending(request, year)
    if pending is None:
        return redirect("assessment_admin:import", year=year)
    with path.open("rb") as handle:
        report = import_entered_scores(scheme=scheme, file=handle, filename=pending["filename"], dry_run=True,
                                       actor=request.user)
    if not report.ok:
        _discard_pending(request)
    return TemplateResponse(request, "assessment/admin/import_preview.html", _ctx(
        _("Import preview"), scheme=scheme, report=report, filename=pending["filename"], token=pending["token"],
    ))


@require_POST
def import_confirm(request, year: int):
    _require(request, "assessment.change_enteredscore")
    scheme = _scheme(year)
    pending, path = _pending(request, year)
    if pending is None:
        return redirect("assessment_admin:import", year=year)
    if not same_secret(request.POST.get("token", ""), pending["token"]):
        messages.error(request, _("This preview is out of date; check the latest preview and confirm again."))
        return redirect("assessment_admin:import_preview", year=year)
    with path.open("rb") as handle:
        report = import_entered_scores(scheme=scheme, file=handle, filename=pending["filename"], dry_run=False,
                                       actor=request.user)
    _discard_pending(request)
    if not report.ok:
        return TemplateResponse(request, "assessment/admin/import_preview.html", _ctx(
            _("Import preview"), scheme=scheme, report=report, filename=pending["filename"]))
    messages.success(request, _("%(count)s entered scores imported from %(file)s.")
                     % {"count": len(report.planned), "file": pending["filename"]})
    return redirect("assessment_admin:entered", year=year)


def template_download(request, year: int):
    _require(request, selectors.UNPUBLISHED_PERMISSION)
    scheme = _scheme(year)
    response = HttpResponse(template_xlsx(scheme), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="assessment-{year}-entry-template.xlsx"'
    return response


def scheme_edit_link(scheme: AssessmentScheme) -> str:
    return reverse("wagtailsnippets_assessment_assessmentscheme:edit", args=[scheme.pk])
