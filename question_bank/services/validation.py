"""Content rules per question type, shared by the authoring form, the services and every importer.

Messages have English msgids and Chinese translations; each error names the field it concerns so an
importer can turn it into a spreadsheet column.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from question_bank.grading import OPTION_KEYS
from question_bank.models import QuestionType

MAX_OPTIONS = len(OPTION_KEYS)
TYPE_VALUES = frozenset(QuestionType.values)


def validate_content(
    *,
    question_type: str,
    stem: str,
    options: list,
    answer: list,
    reference_answer: str = "",
    marking_points: list | None = None,
    difficulty=3,
    points=Decimal("2"),
) -> list[tuple[str, str]]:
    """Every problem with this content as (field, message); empty when it is valid."""
    errors: list[tuple[str, str]] = []
    if question_type not in TYPE_VALUES:
        return [("type", _("Unknown question type."))]
    if not (stem or "").strip():
        errors.append(("stem", _("The stem is empty.")))
    try:
        if not 1 <= int(difficulty) <= 5:
            raise ValueError
    except (TypeError, ValueError):
        errors.append(("difficulty", _("Difficulty must be a whole number from 1 (easy) to 5 (hard).")))
    try:
        if Decimal(str(points)) <= 0 or Decimal(str(points)) >= Decimal("1000"):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors.append(("points", _("Points must be a number greater than 0 and below 1000.")))

    if question_type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        errors.extend(_validate_choice(question_type, options, answer))
    else:
        if options:
            errors.append(("options", _("Only single and multiple choice questions have options.")))
        if question_type == QuestionType.TRUE_FALSE:
            if answer not in ([True], [False]):
                errors.append(("answer", _("The answer of a true/false question must be true or false.")))
        elif question_type == QuestionType.FILL_BLANK:
            errors.extend(_validate_blanks(answer))
        elif question_type == QuestionType.ESSAY and answer:
            errors.append(("answer", _("A short answer question has no answer key; use the reference answer.")))
    if marking_points and not all(isinstance(p, str) and p.strip() for p in marking_points):
        errors.append(("marking_points", _("Every marking point must be a non-empty text.")))
    return errors


def _validate_choice(question_type, options, answer) -> list[tuple[str, str]]:
    errors = []
    if not isinstance(options, list) or len(options) < 2:
        errors.append(("options", _("A choice question needs at least two options.")))
        return errors
    if len(options) > MAX_OPTIONS:
        errors.append(("options", _("A question has at most %(n)d options (A–H).") % {"n": MAX_OPTIONS}))
        return errors
    for index, text in enumerate(options):
        if not isinstance(text, str) or not text.strip():
            errors.append(
                ("options", _("Option %(key)s is empty; options must be consecutive from A.") % {"key": OPTION_KEYS[index]})
            )
    keys = set(OPTION_KEYS[: len(options)])
    if not answer:
        errors.append(("answer", _("The answer is empty.")))
        return errors
    unknown = [letter for letter in answer if letter not in keys]
    if unknown:
        errors.append(
            ("answer", _("The answer names option %(keys)s, which the question does not have.") % {"keys": "、".join(map(str, unknown))})
        )
    elif question_type == QuestionType.SINGLE and len(answer) != 1:
        errors.append(("answer", _("A single choice question has exactly one right option.")))
    elif question_type == QuestionType.MULTIPLE:
        if len(answer) < 2:
            errors.append(("answer", _("A multiple choice question has at least two right options.")))
        elif answer != sorted(set(answer)):
            errors.append(("answer", _("The answer letters must be unique.")))
    return errors


def _validate_blanks(answer) -> list[tuple[str, str]]:
    if not isinstance(answer, list) or not answer:
        return [("answer", _("A fill-in question needs the accepted answers of at least one blank."))]
    for index, alternatives in enumerate(answer, start=1):
        if not isinstance(alternatives, list) or not alternatives or not all(
            isinstance(a, str) and a.strip() for a in alternatives
        ):
            return [("answer", _("Blank %(n)d has no accepted answer.") % {"n": index})]
    return []
