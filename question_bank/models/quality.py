"""Exclusion groups (互斥题组) and the trainer's answers to item-writing warnings (命题规范检查).

An exclusion group holds questions that test the same fact: a paper holds at most one of them, so one item
cannot give another away. A question belongs to at most one group (the one-to-one membership enforces it).
A pair a trainer has split apart is remembered, so the automatic proposals do not offer it again.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .questions import Question


class ExclusionGroup(models.Model):
    code = models.CharField(
        _("group code"), max_length=32, unique=True,
        help_text=_("A short stable code, used in the 互斥组 column of the question workbook."),
    )
    name = models.CharField(_("fact tested"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("exclusion group")
        verbose_name_plural = _("exclusion groups")

    def __str__(self):
        return f"{self.code} {self.name}".strip()


class ExclusionGroupMember(models.Model):
    group = models.ForeignKey(ExclusionGroup, on_delete=models.CASCADE, related_name="members")
    question = models.OneToOneField(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="exclusion_membership"
    )

    class Meta:
        ordering = ["group", "question__code"]
        verbose_name = _("exclusion group member")
        verbose_name_plural = _("exclusion group members")

    def __str__(self):
        return f"{self.group.code}: {self.question_id}"


class ExclusionSeparation(models.Model):
    """Two questions a trainer judged to test different facts: never proposed as one group again."""

    first = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="qb_separation_unique_pair"),
            models.CheckConstraint(condition=models.Q(first__lt=models.F("second")), name="qb_separation_ordered"),
        ]

    def __str__(self):
        return f"{self.first_id} ≠ {self.second_id}"


class ItemCheckReview(models.Model):
    """A warning of the item-writing checks that a trainer has considered, with the reason it stands."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="check_reviews")
    check_code = models.CharField(_("item check"), max_length=32)
    reason = models.CharField(_("reason"), max_length=300)
    reviewed_at = models.DateTimeField(_("considered at"), auto_now=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("considered by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["question", "check_code"]
        verbose_name = _("considered warning")
        verbose_name_plural = _("considered warnings")
        constraints = [models.UniqueConstraint(fields=["question", "check_code"], name="qb_check_review_unique")]

    def __str__(self):
        return f"{self.question_id} {self.check_code}"
