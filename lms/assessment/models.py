"""The annual rule-of-law assessment (依法行政工作考核): a scheme per year, entered scores, publications.

A scheme is a flat list of indicators that name their parent by code, so the whole tree is edited in one
Wagtail form and copied to a new year row by row. Computed figures are never stored: they are derived from
exams, study and the roster each time, except in a Publication, which freezes a year's results for good.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel

from lms.exams.models import ExamSession
from lms.roster.models import OrgUnit

TOTAL_POINTS = Decimal("100")


class StreetRule(models.TextChoices):
    MEAN = "mean", _("Mean of its squads")
    HEADCOUNT = "headcount", _("Mean of its squads weighted by headcount")


class IndicatorKind(models.TextChoices):
    GROUP = "group", _("Group (sum of its indicators)")
    EXAM = "exam", _("From exams")
    STUDY = "study", _("From study")
    ROSTER = "roster", _("From the roster")
    ENTERED = "entered", _("Entered by assessors")
    DEDUCTION = "deduction", _("Deduction")


class ExamMeasure(models.TextChoices):
    MEAN = "mean", _("Mean score of the unit's candidates")
    PASS_RATE = "pass_rate", _("Pass rate")
    PARTICIPATION = "participation", _("Participation rate")


class AbsentRule(models.TextChoices):
    ZERO = "zero", _("Absent candidates count as 0")
    EXCLUDED = "excluded", _("Absent candidates are left out")


class StudyMeasure(models.TextChoices):
    COMPLETION = "completion", _("Share of people who completed the study plan")
    HOURS = "hours", _("Mean class hours against the target")


class RosterCheck(models.TextChoices):
    LEGAL_OFFICER = "legal_officer", _("The squad has a legal officer")
    SQUAD_LEADER = "squad_leader", _("The squad has a squad leader")


class StarAspect(models.TextChoices):
    LEADERSHIP = "leadership", _("Organisational leadership")
    ENFORCEMENT = "enforcement", _("Administrative enforcement")
    TEAM = "team", _("Team management")
    SUPPORT = "support", _("Enforcement support")


class AssessmentScheme(ClusterableModel):
    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(_("scheme title"), max_length=200)
    street_rule = models.CharField(
        _("street office score"), max_length=16, choices=StreetRule.choices, default=StreetRule.MEAN,
        help_text=_("How a street office's score is made from its squads' scores."),
    )
    # Star levels (星级中队): a squad earns n stars when its four aspects together reach the total share and
    # no aspect falls below the minimum share of its own points. Percentages of points.
    star1_total = models.DecimalField(_("1 star: share of the aspects' points (%)"), max_digits=5,
                                      decimal_places=1, default=Decimal("60"),
                                      validators=[MinValueValidator(0), MaxValueValidator(100)])
    star1_min = models.DecimalField(_("1 star: lowest aspect (%)"), max_digits=5, decimal_places=1,
                                    default=Decimal("50"), validators=[MinValueValidator(0), MaxValueValidator(100)])
    star2_total = models.DecimalField(_("2 stars: share of the aspects' points (%)"), max_digits=5,
                                      decimal_places=1, default=Decimal("75"),
                                      validators=[MinValueValidator(0), MaxValueValidator(100)])
    star2_min = models.DecimalField(_("2 stars: lowest aspect (%)"), max_digits=5, decimal_places=1,
                                    default=Decimal("65"), validators=[MinValueValidator(0), MaxValueValidator(100)])
    star3_total = models.DecimalField(_("3 stars: share of the aspects' points (%)"), max_digits=5,
                                      decimal_places=1, default=Decimal("90"),
                                      validators=[MinValueValidator(0), MaxValueValidator(100)])
    star3_min = models.DecimalField(_("3 stars: lowest aspect (%)"), max_digits=5, decimal_places=1,
                                    default=Decimal("80"), validators=[MinValueValidator(0), MaxValueValidator(100)])
    copied_from = models.ForeignKey("self", verbose_name=_("copied from"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+", editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+", editable=False)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")

    def __str__(self):
        return self.title if str(self.year) in self.title else f"{self.year} {self.title}"

    def clean(self):
        levels = [(self.star1_total, self.star1_min), (self.star2_total, self.star2_min),
                  (self.star3_total, self.star3_min)]
        for lower, higher in zip(levels, levels[1:], strict=False):
            if None in lower or None in higher:
                continue
            if higher[0] < lower[0] or higher[1] < lower[1]:
                raise ValidationError({"star3_total": _("Each star level must ask at least as much as the one below.")})

    def star_levels(self) -> list[tuple[int, Decimal, Decimal]]:
        return [(1, self.star1_total, self.star1_min), (2, self.star2_total, self.star2_min),
                (3, self.star3_total, self.star3_min)]


class Indicator(ClusterableModel):
    sort_order_field = "sort_order"  # lets the admin's inline panel reorder indicators
    scheme = ParentalKey(AssessmentScheme, on_delete=models.CASCADE, related_name="indicators")
    sort_order = models.PositiveSmallIntegerField(default=0, editable=False)
    code = models.CharField(
        _("code"), max_length=20,
        validators=[RegexValidator(r"^[A-Za-z0-9][A-Za-z0-9_-]*$", _("Letters, digits, “-” and “_” only."))],
        help_text=_("Stable across years, e.g. EXAM; the previous year's indicator with the same code is compared."),
    )
    parent_code = models.CharField(_("parent indicator code"), max_length=20, blank=True,
                                   help_text=_("Empty for a top-level indicator."))
    name = models.CharField(_("indicator name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=IndicatorKind.choices)
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1,
                                 validators=[MinValueValidator(0), MaxValueValidator(100)])
    description = models.CharField(_("how it is scored"), max_length=300, blank=True)
    star_aspect = models.CharField(_("star-rating aspect"), max_length=16, choices=StarAspect.choices, blank=True)
    # From exams
    sessions = ParentalManyToManyField(
        ExamSession, verbose_name=_("exam sessions"), blank=True, related_name="+",
        help_text=_("Empty means every graded session of the year."),
    )
    exam_measure = models.CharField(_("exam figure"), max_length=16, choices=ExamMeasure.choices, blank=True)
    absent_rule = models.CharField(_("absent candidates"), max_length=16, choices=AbsentRule.choices, blank=True)
    # From study
    study_plan = models.ForeignKey("courses.StudyPlan", verbose_name=_("study plan"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    study_measure = models.CharField(_("study figure"), max_length=16, choices=StudyMeasure.choices, blank=True)
    # From the roster
    roster_check = models.CharField(_("roster check"), max_length=16, choices=RosterCheck.choices, blank=True)
    # Deductions: points − per item × number of items, never below the floor (which may be negative).
    deduction_per_item = models.DecimalField(_("deduction per item"), max_digits=5, decimal_places=1, null=True,
                                             blank=True, validators=[MinValueValidator(0)])
    floor = models.DecimalField(_("lowest score"), max_digits=5, decimal_places=1, null=True, blank=True,
                                validators=[MinValueValidator(-100), MaxValueValidator(0)],
                                help_text=_("For deductions: the score never falls below this (0 or negative)."))
    changed_at = models.DateTimeField(_("last changed"), null=True, blank=True, editable=False)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("changed by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+", editable=False)

    class Meta:
        ordering = ["scheme", "sort_order", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="assessment_indicator_unique_code")]

    def __str__(self):
        return f"{self.name} ({self.points})"

    @property
    def minimum(self) -> Decimal:
        if self.kind == IndicatorKind.DEDUCTION:
            return self.floor if self.floor is not None else Decimal("0")
        return Decimal("0")

    # Fields whose change is an assessment weight or formula change (audited, shown against last year).
    TRACKED_FIELDS = ("name", "parent_code", "kind", "points", "exam_measure", "absent_rule", "study_measure",
                      "study_plan_id", "roster_check", "deduction_per_item", "floor", "star_aspect")


class EnteredScore(models.Model):
    """An assessor's score for one squad on one entered indicator, or a number of items for a deduction.

    A waiver (a reason and no value) lets a year be published without the score; it counts as 0 and the
    breakdown shows the reason.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="entered_scores")
    unit = models.ForeignKey(OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("score or number of items"), max_digits=6, decimal_places=2, null=True,
                                blank=True, validators=[MinValueValidator(0)])
    # The indicator's points when the score was entered: a later change of weight rescales the score
    # (40 of 70 stays 4/7 of the points), so the what-if preview and the saved scheme agree.
    out_of = models.DecimalField(_("out of"), max_digits=5, decimal_places=1, null=True, blank=True)
    note = models.CharField(_("note / evidence"), max_length=500, blank=True)
    waived_reason = models.CharField(_("waived because"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(_("entered"), auto_now=True)

    class Meta:
        ordering = ["indicator", "unit__code"]
        verbose_name = _("entered score")
        verbose_name_plural = _("entered scores")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "unit"], name="assessment_entered_once_per_unit"),
            models.CheckConstraint(
                condition=models.Q(value__isnull=False) | ~models.Q(waived_reason=""),
                name="assessment_entered_value_or_waiver",
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code} · {self.unit_id}: {self.value}"


class Publication(models.Model):
    """A year's results frozen for good: the scheme and every unit's breakdown, ranks and stars.

    Never changed or deleted; republishing adds a new version with a reason and marks this one superseded.
    """

    scheme = models.ForeignKey(AssessmentScheme, on_delete=models.PROTECT, related_name="publications")
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"))
    data = models.JSONField()
    digest = models.CharField(max_length=64)
    published_at = models.DateTimeField(_("published"), auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("reason for republishing"), max_length=300, blank=True)
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)

    IMMUTABLE_FIELDS = ("scheme_id", "year", "version", "data", "digest", "published_by_id", "reason")

    class Meta:
        ordering = ["-year", "-version"]
        verbose_name = _("published result")
        verbose_name_plural = _("published results")
        constraints = [models.UniqueConstraint(fields=["year", "version"], name="assessment_publication_version")]

    def __str__(self):
        return f"{self.year} v{self.version}"

    def save(self, *args, **kwargs):
        if self.pk:
            stored = Publication.objects.filter(pk=self.pk).values(*self.IMMUTABLE_FIELDS).first()
            if stored and any(stored[f] != getattr(self, f) for f in self.IMMUTABLE_FIELDS):
                raise ValidationError("A published result cannot be changed; republish with a reason instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("A published result is kept for good.")

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None
