"""Knowledge points and versioned questions.

A Question carries its current, editable content. A QuestionVersion is a frozen copy of that content;
papers point at versions. Once a version has been put in a paper (`frozen_at` set), editing the question
makes a new version, so a past paper never changes.

Answer formats (JSON), by type:
- single:      options ["…", "…"] (letters A, B, … by position), answer ["B"]
- multiple:    options as above, answer ["A", "B", "D"] (sorted)
- true_false:  no options, answer [true] or [false]
- fill_blank:  no options, answer [["alt 1", "alt 2"], ["blank 2"]] (one list of accepted answers per blank)
- essay:       no options, answer [], reference_answer and marking_points instead (marked by hand)
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from treebeard.mp_tree import MP_Node


class KnowledgePoint(MP_Node):
    """A tree: laws and their chapters, the bureau's eight standardisation areas."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)

    node_order_by = ["code"]

    class Meta:
        verbose_name = _("knowledge point")
        verbose_name_plural = _("knowledge points")

    def __str__(self):
        return self.name


class QuestionType(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True or false")
    FILL_BLANK = "fill_blank", _("Fill in the blank")
    ESSAY = "essay", _("Short answer / case")


class QuestionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired")


class QuestionUse(models.TextChoices):
    # Bureaus often publish their bank for study; questions kept for exams are marked exams only.
    PRACTICE_AND_EXAMS = "practice_and_exams", _("Practice and exams")
    EXAMS_ONLY = "exams_only", _("Exams only")


class QuestionContent(models.Model):
    """The fields a question shows and is marked by; shared by the question and its frozen versions."""

    stem = models.TextField(_("stem"))
    options = models.JSONField(_("options"), default=list, blank=True)
    answer = models.JSONField(_("answer"), default=list, blank=True)
    reference_answer = models.TextField(_("reference answer"), blank=True)
    marking_points = models.JSONField(_("marking points"), default=list, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    points = models.DecimalField(_("default points"), max_digits=5, decimal_places=1, default=Decimal("2"))

    CONTENT_FIELDS = (
        "stem", "options", "answer", "reference_answer", "marking_points", "explanation", "difficulty",
        "legal_basis", "points",
    )

    class Meta:
        abstract = True


class Question(QuestionContent):
    code = models.CharField(_("question code"), max_length=32, unique=True)
    type = models.CharField(_("type"), max_length=16, choices=QuestionType.choices)
    knowledge_point = models.ForeignKey(
        KnowledgePoint, verbose_name=_("knowledge point"), on_delete=models.PROTECT, related_name="questions"
    )
    related_knowledge_points = models.ManyToManyField(
        KnowledgePoint, verbose_name=_("related knowledge points"), blank=True, related_name="related_questions"
    )
    status = models.CharField(_("status"), max_length=16, choices=QuestionStatus.choices, default=QuestionStatus.DRAFT)
    use = models.CharField(
        _("use"), max_length=24, choices=QuestionUse.choices, default=QuestionUse.PRACTICE_AND_EXAMS,
        help_text=_("Practice and exams: officers may practise it and see its key after answering. Exams only: "
                    "it never appears in practice."),
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("status changed by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    current_version = models.ForeignKey(
        "QuestionVersion", verbose_name=_("current version"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Character bigrams of the code and visible text (lms.core.textsearch), kept by the services; on
    # PostgreSQL a GIN index over its tsvector makes keyword search fast (migration 0002 adds it there).
    search_text = models.TextField(_("search text"), blank=True, default="", editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [models.Index(fields=["status", "type", "knowledge_point", "difficulty"])]

    def __str__(self):
        return f"{self.code} {self.stem[:30]}"


class QuestionVersion(QuestionContent):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    frozen_at = models.DateTimeField(
        _("first used in a paper"), null=True, blank=True,
        help_text=_("Once set, this version never changes; editing the question makes a new version."),
    )

    class Meta:
        ordering = ["question", "number"]
        verbose_name = _("question version")
        verbose_name_plural = _("question versions")
        constraints = [models.UniqueConstraint(fields=["question", "number"], name="qb_version_unique_number")]

    def __str__(self):
        return f"{self.question.code} v{self.number}"
