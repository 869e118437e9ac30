"""Creating and editing questions, keeping their versions honest, and moving them through their lifecycle.

Invariant: every question has a `current_version` whose content equals the question's own. A version
that has been put in a paper (`frozen_at` set) never changes: editing its question makes version n+1.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.core import audit
from question_bank.models import (
    KnowledgePoint,
    Question,
    QuestionStatus,
    QuestionType,
    QuestionUse,
    QuestionVersion,
)
from question_bank.search import search_text_for

from .validation import validate_content

CONTENT_FIELDS = Question.CONTENT_FIELDS

# Allowed lifecycle moves. A retired question may come back into use; nothing goes back to draft.
TRANSITIONS = {
    QuestionStatus.DRAFT: {QuestionStatus.ACTIVE, QuestionStatus.RETIRED},
    QuestionStatus.ACTIVE: {QuestionStatus.RETIRED},
    QuestionStatus.RETIRED: {QuestionStatus.ACTIVE},
}

CODE_PREFIX = "Q"
_GENERATED_CODE = re.compile(rf"^{CODE_PREFIX}(\d+)$")


def content_of(obj) -> dict:
    """The content fields of a question or version, as a dict (for comparing and copying)."""
    return {name: getattr(obj, name) for name in CONTENT_FIELDS}


def normalised_content(content: dict) -> dict:
    """Content in the stored form, so that equal content compares equal whatever its source."""
    result = dict(content)
    result["difficulty"] = int(result["difficulty"])
    result["points"] = Decimal(str(result["points"])).quantize(Decimal("0.1"))
    result["options"] = list(result.get("options") or [])
    result["answer"] = list(result.get("answer") or [])
    result["marking_points"] = list(result.get("marking_points") or [])
    for name in ("stem", "reference_answer", "explanation", "legal_basis"):
        result[name] = (result.get(name) or "").strip()
    return result


def _raise_if_invalid(question_type: str, content: dict) -> None:
    errors = validate_content(
        question_type=question_type,
        stem=content["stem"],
        options=content["options"],
        answer=content["answer"],
        reference_answer=content["reference_answer"],
        marking_points=content["marking_points"],
        difficulty=content["difficulty"],
        points=content["points"],
    )
    if errors:
        grouped: dict[str, list[str]] = {}
        for field, message in errors:
            grouped.setdefault(field, []).append(message)
        raise ValidationError(grouped)


def next_codes(count: int) -> list[str]:
    """`count` fresh generated codes (Q000001, …) after the highest one in use."""
    highest = 0
    for code in Question.objects.filter(code__regex=rf"^{CODE_PREFIX}[0-9]+$").values_list("code", flat=True):
        highest = max(highest, int(_GENERATED_CODE.match(code).group(1)))
    return [f"{CODE_PREFIX}{number:06d}" for number in range(highest + 1, highest + 1 + count)]


@transaction.atomic
def create_question(
    *,
    question_type: str,
    knowledge_point: KnowledgePoint,
    stem: str,
    code: str = "",
    options: list | None = None,
    answer: list | None = None,
    reference_answer: str = "",
    marking_points: list | None = None,
    explanation: str = "",
    difficulty: int = 3,
    legal_basis: str = "",
    points: Decimal | int | str = Decimal("2"),
    related_knowledge_points: Iterable[KnowledgePoint] = (),
    status: str = QuestionStatus.DRAFT,
    use: str = QuestionUse.PRACTICE_AND_EXAMS,
    actor=None,
) -> Question:
    """A new question with its version 1. Raises ValidationError (by field) when the content is wrong."""
    content = normalised_content(
        {
            "stem": stem, "options": options, "answer": answer, "reference_answer": reference_answer,
            "marking_points": marking_points, "explanation": explanation, "difficulty": difficulty,
            "legal_basis": legal_basis, "points": points,
        }
    )
    _raise_if_invalid(question_type, content)
    code = (code or "").strip() or next_codes(1)[0]
    if Question.objects.filter(code=code).exists():
        raise ValidationError({"code": [_("Question code %(code)s is already in use.") % {"code": code}]})
    now = timezone.now()
    question = Question.objects.create(
        code=code, type=question_type, knowledge_point=knowledge_point, status=status, use=use,
        search_text=search_text_for(code, content["stem"], content["options"], content["legal_basis"]),
        status_changed_at=now, status_changed_by=actor if getattr(actor, "is_authenticated", False) else None,
        **content,
    )
    if related_knowledge_points:
        question.related_knowledge_points.set(related_knowledge_points)
    version = QuestionVersion.objects.create(question=question, number=1, created_by=_user(actor), **content)
    question.current_version = version
    question.save(update_fields=["current_version"])
    audit.record(actor=actor, action="question.create", obj=question, summary=code, code=code)
    return question


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def update_question(*, question: Question, actor=None, **changes) -> Question:
    """Apply `changes` (content fields, `question_type`, `knowledge_point`, `related_knowledge_points`).

    Content changes go into the current version while it is unused; once it is frozen (in a paper), a
    new version is made and the old one stays exactly as it was. The type of a question that has been
    used cannot change, because old papers are marked by it.
    """
    question = Question.objects.select_for_update(of=("self",)).select_related("current_version").get(pk=question.pk)
    before = content_of(question)
    content = normalised_content({**before, **{k: v for k, v in changes.items() if k in CONTENT_FIELDS}})
    new_type = changes.get("question_type", question.type)
    if new_type != question.type and question.versions.filter(frozen_at__isnull=False).exists():
        raise ValidationError(
            {"type": [_("This question has been used in a paper; its type can no longer change.")]}
        )
    _raise_if_invalid(new_type, content)
    unknown = set(changes) - set(CONTENT_FIELDS) - {"question_type", "knowledge_point", "related_knowledge_points",
                                                    "use"}
    if unknown:
        raise TypeError(f"update_question() got unknown fields {sorted(unknown)}")

    content_changed = content != normalised_content(before) or new_type != question.type
    use_changed = "use" in changes and changes["use"] != question.use
    for name, value in content.items():
        setattr(question, name, value)
    question.type = new_type
    question.search_text = search_text_for(question.code, question.stem, question.options, question.legal_basis)
    if "knowledge_point" in changes:
        question.knowledge_point = changes["knowledge_point"]
    if "use" in changes:  # who may practise it is not content: no new version
        question.use = changes["use"]
    question.save()
    if "related_knowledge_points" in changes:
        question.related_knowledge_points.set(changes["related_knowledge_points"])

    version = question.current_version
    versioned = content_changed or version is None
    if versioned:
        if version is None or version.frozen_at is not None:
            number = (question.versions.aggregate(n=Max("number"))["n"] or 0) + 1
            version = QuestionVersion.objects.create(question=question, number=number, created_by=_user(actor), **content)
            question.current_version = version
            question.save(update_fields=["current_version"])
        else:
            for name, value in content.items():
                setattr(version, name, value)
            version.save()
    if versioned or use_changed:  # a change of use alone makes no version but is audited all the same
        fields = [name for name in CONTENT_FIELDS if before[name] != getattr(question, name)]
        if use_changed:
            fields.append("use")
        audit.record(
            actor=actor, action="question.update", obj=question, summary=question.code,
            code=question.code, version=version.number, fields=sorted(fields),
        )
    return question


def freeze_current_version(*, question: Question) -> QuestionVersion:
    """Mark the current version as used (papers call this, or set `frozen_at` themselves)."""
    version = question.current_version
    if version.frozen_at is None:
        version.frozen_at = timezone.now()
        version.save(update_fields=["frozen_at"])
    return version


class TransitionError(ValidationError):
    pass


@transaction.atomic
def set_status(*, questions: Iterable[Question], status: str, actor=None) -> int:
    """Move questions to `status` (with who and when). Refuses the whole batch if any move is not allowed;
    questions already in that status are left alone. Returns how many changed."""
    ids = [q.pk for q in questions]
    rows = list(Question.objects.select_for_update().filter(pk__in=ids).order_by("code"))
    to_change = [q for q in rows if q.status != status]
    refused = [q.code for q in to_change if status not in TRANSITIONS[QuestionStatus(q.status)]]
    if refused:
        raise TransitionError(
            _("These questions cannot become “%(status)s”: %(codes)s")
            % {"status": QuestionStatus(status).label, "codes": "、".join(refused[:20])}
        )
    now = timezone.now()
    for question in to_change:
        question.status = status
        question.status_changed_at = now
        question.status_changed_by = _user(actor)
    Question.objects.bulk_update(to_change, ["status", "status_changed_at", "status_changed_by"])
    if to_change:
        audit.record(
            actor=actor, action=f"question.{status}", obj=to_change[0] if len(to_change) == 1 else None,
            summary=_("%(n)d questions set to %(status)s") % {"n": len(to_change), "status": QuestionStatus(status).label},
            codes=[q.code for q in to_change][:500], count=len(to_change),
        )
    return len(to_change)


@transaction.atomic
def move_questions(*, questions: Iterable[Question], knowledge_point: KnowledgePoint, actor=None) -> int:
    """Attach questions to another knowledge point (not content: versions are unaffected)."""
    ids = [q.pk for q in questions]
    count = Question.objects.filter(pk__in=ids).update(knowledge_point=knowledge_point, updated_at=timezone.now())
    audit.record(
        actor=actor, action="question.move", obj=knowledge_point,
        summary=_("%(n)d questions moved to %(kp)s") % {"n": count, "kp": knowledge_point.name},
        count=count, knowledge_point=knowledge_point.code,
    )
    return count


def question_type_label(value: str) -> str:
    return QuestionType(value).label
