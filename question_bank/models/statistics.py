"""How each question version performed in the exams it appeared in (item health).

The exam side writes one VersionSessionStatistics per version and session after computing a session's
item analysis (question_bank imports no LMS app: a session is named only by a key and a label), and
question_bank.services.item_health pools them into one VersionHealth per version with the review flags.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .questions import QuestionVersion


class HealthFlag(models.TextChoices):
    TOO_EASY = "too_easy", _("Too easy (facility above 0.95)")
    TOO_HARD = "too_hard", _("Too hard (facility below 0.2)")
    LOW_DISCRIMINATION = "low_discrimination", _("Discriminates poorly (below 20 %)")
    UNUSED_DISTRACTOR = "unused_distractor", _("A wrong option nobody chose")
    ATTRACTIVE_DISTRACTOR = "attractive_distractor", _("A wrong option the top group chose more than the bottom")


class VersionSessionStatistics(models.Model):
    version = models.ForeignKey(QuestionVersion, on_delete=models.CASCADE, related_name="session_statistics")
    source_key = models.CharField(max_length=64)  # e.g. "exams.session:12"
    source_label = models.CharField(_("exam"), max_length=250)
    taken_on = models.DateField(_("date"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    facility = models.FloatField(_("facility index"), null=True, blank=True)
    sd = models.FloatField(_("standard deviation"), null=True, blank=True)
    discrimination_index = models.FloatField(_("discrimination index (%)"), null=True, blank=True)
    discriminative_efficiency = models.FloatField(_("discriminative efficiency (%)"), null=True, blank=True)
    # {"top_size": n, "bottom_size": n, "options": [{"key", "is_key", "chosen", "top", "bottom"}, …]}
    distractors = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["version", "-taken_on", "source_key"]
        verbose_name = _("question statistics of an exam")
        verbose_name_plural = _("question statistics of exams")
        constraints = [
            models.UniqueConstraint(fields=["version", "source_key"], name="qb_versionstats_once_per_source"),
        ]
        indexes = [models.Index(fields=["source_key"])]

    def __str__(self):
        return f"{self.version} @ {self.source_key}"


class VersionHealth(models.Model):
    """A version's figures pooled over every exam it appeared in, and what a trainer should review."""

    version = models.OneToOneField(QuestionVersion, on_delete=models.CASCADE, related_name="health")
    exams = models.PositiveIntegerField(_("exams"), default=0)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    facility = models.FloatField(_("facility index"), null=True, blank=True)
    discrimination_index = models.FloatField(_("discrimination index (%)"), null=True, blank=True)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    flagged = models.BooleanField(_("flagged for review"), default=False, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["version"]
        verbose_name = _("question health")
        verbose_name_plural = _("question health")

    def __str__(self):
        return f"{self.version}: {', '.join(self.flags) or 'ok'}"

    def flag_labels(self) -> list[str]:
        return [str(HealthFlag(flag).label) for flag in self.flags if flag in HealthFlag.values]
