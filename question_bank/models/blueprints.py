"""Exam blueprints (组卷方案): what a paper must contain, independent of any one exam.

A blueprint has one section per question type (count and points per question) and, per section,
optional quotas by knowledge point and by difficulty, each given as counts or as shares. Paper assembly
(question_bank/assembly.py) turns a blueprint into a fixed plan of cells (type × knowledge point ×
difficulty) that every paper of an exam fills identically.
"""

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from .questions import KnowledgePoint, QuestionType


class Blueprint(ClusterableModel):
    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    # Mock exams (模拟考试): officers may sit practice papers assembled from blueprints marked so.
    open_for_practice = models.BooleanField(
        _("open for practice"), default=False,
        help_text=_("Officers may sit mock exams assembled from this blueprint; they never count for anything."),
    )
    practice_minutes = models.PositiveSmallIntegerField(
        _("mock exam time (minutes)"), default=60, validators=[MinValueValidator(5), MaxValueValidator(300)],
    )
    exams_only_questions = models.BooleanField(
        _("exams-only questions only"), default=False,
        help_text=_("Draw only questions whose use is “exams only”, so that no paper question can have been "
                    "practised with its key."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("blueprint")
        verbose_name_plural = _("blueprints")

    def __str__(self):
        return self.name

    @property
    def total_points(self) -> Decimal:
        return sum((section.count * section.points for section in self.sections.all()), Decimal("0"))

    @property
    def question_count(self) -> int:
        return sum(section.count for section in self.sections.all())


class BlueprintSection(models.Model):
    blueprint = ParentalKey(Blueprint, on_delete=models.CASCADE, related_name="sections")
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    question_type = models.CharField(_("question type"), max_length=16, choices=QuestionType.choices)
    count = models.PositiveSmallIntegerField(_("number of questions"), validators=[MinValueValidator(1)])
    points = models.DecimalField(
        _("points per question"), max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    title = models.CharField(_("section title"), max_length=100, blank=True)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.title or self.get_question_type_display()


class QuotaFields(models.Model):
    """A quota is either a count of questions or a share (percent) of its section; never both."""

    question_type = models.CharField(_("section (question type)"), max_length=16, choices=QuestionType.choices)
    count = models.PositiveSmallIntegerField(_("count"), null=True, blank=True)
    share = models.DecimalField(
        _("share (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )

    class Meta:
        abstract = True


class BlueprintKnowledgeQuota(QuotaFields):
    """Questions of this section drawn from this knowledge point (its whole subtree)."""

    blueprint = ParentalKey(Blueprint, on_delete=models.CASCADE, related_name="knowledge_quotas")
    knowledge_point = models.ForeignKey(
        KnowledgePoint, verbose_name=_("knowledge point"), on_delete=models.PROTECT, related_name="+"
    )

    # A plain drop-down: the tree is small, and a quota row is quicker to fill without the modal
    # chooser Wagtail would otherwise use for a model registered as a snippet.
    panels = [
        FieldPanel("question_type"),
        FieldPanel("knowledge_point", widget=forms.Select),
        FieldPanel("count"),
        FieldPanel("share"),
    ]

    class Meta:
        ordering = ["id"]
        verbose_name = _("knowledge-point quota")
        verbose_name_plural = _("knowledge-point quotas")

    def __str__(self):
        return f"{self.question_type} · {self.knowledge_point_id}"


class BlueprintDifficultyQuota(QuotaFields):
    blueprint = ParentalKey(Blueprint, on_delete=models.CASCADE, related_name="difficulty_quotas")
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("difficulty quota")
        verbose_name_plural = _("difficulty quotas")

    def __str__(self):
        return f"{self.question_type} · {self.difficulty}"
