"""Marking an item-writing warning as considered (with the reason it stands), and withdrawing that mark."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from lms.core import audit
from question_bank.item_checks import CHECK_LABELS
from question_bank.models import ItemCheckReview, Question

MIN_REASON = 4


class ReviewError(ValueError):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@transaction.atomic
def consider_warning(*, question: Question, check: str, reason: str, actor=None) -> ItemCheckReview:
    reason = (reason or "").strip()
    if check not in CHECK_LABELS:
        raise ReviewError(_("Unknown check."))
    if len(reason) < MIN_REASON:
        raise ReviewError(_("Give the reason the warning stands (at least %(n)d characters).") % {"n": MIN_REASON})
    user = actor if getattr(actor, "is_authenticated", False) else None
    review, _created = ItemCheckReview.objects.update_or_create(
        question=question, check_code=check, defaults={"reason": reason[:300], "reviewed_by": user})
    audit.record(actor=actor, action="question.check_considered", obj=question, summary=f"{question.code}: {check}",
                 check=check, reason=review.reason)
    return review


@transaction.atomic
def withdraw_consideration(*, question: Question, check: str, actor=None) -> bool:
    deleted, _rows = ItemCheckReview.objects.filter(question=question, check_code=check).delete()
    if deleted:
        audit.record(actor=actor, action="question.check_reopened", obj=question, summary=f"{question.code}: {check}",
                     check=check)
    return bool(deleted)
