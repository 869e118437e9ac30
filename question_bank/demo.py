"""Demo question bank for `seed_demo`: the knowledge-point tree and the questions in `demo_data`.

Questions go through `create_question`, so the demo content passes the same validation as anything a
trainer writes; they are activated so that practice and exams can draw on them. Idempotent: existing
knowledge points and question codes are left as they are.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from question_bank.models import (
    ExclusionGroup,
    ExclusionGroupMember,
    ExclusionSeparation,
    ItemCheckReview,
    KnowledgePoint,
    Question,
    QuestionStatus,
)
from question_bank.services.questions import create_question


def load_knowledge_points(knowledge_points) -> dict[str, KnowledgePoint]:
    """Create the (code, name, parent code) tree, parents first; returns every knowledge point by code."""
    by_code = {kp.code: kp for kp in KnowledgePoint.objects.all()}
    for code, name, parent_code in knowledge_points:
        if code in by_code:
            continue
        if parent_code is None:
            by_code[code] = KnowledgePoint.add_root(code=code, name=name)
        else:
            parent = KnowledgePoint.objects.get(pk=by_code[parent_code].pk)  # fresh: treebeard counts children
            by_code[code] = parent.add_child(code=code, name=name)
    return by_code


def load_questions(questions, by_code: dict[str, KnowledgePoint]) -> int:
    existing = set(Question.objects.values_list("code", flat=True))
    created = 0
    for item in questions:
        if item["code"] in existing:
            continue
        create_question(
            code=item["code"],
            question_type=item["type"],
            knowledge_point=by_code[item["kp"]],
            stem=item["stem"],
            options=item.get("options") or [],
            answer=item.get("answer") or [],
            reference_answer=item.get("reference_answer", ""),
            marking_points=item.get("marking_points") or [],
            explanation=item.get("explanation", ""),
            difficulty=item.get("difficulty", 3),
            legal_basis=item.get("legal_basis", ""),
            points=Decimal(str(item.get("points", 2))),
            status=QuestionStatus.ACTIVE,
        )
        created += 1
    return created


def load_groups(groups: dict[str, tuple[str, list[str]]]) -> int:
    """Exclusion groups by code; a question already in a group keeps it (a trainer may have moved it)."""
    ids = dict(Question.objects.values_list("code", "pk"))
    grouped = set(ExclusionGroupMember.objects.values_list("question_id", flat=True))
    created = 0
    for code, (name, codes) in groups.items():
        group, made = ExclusionGroup.objects.get_or_create(code=code, defaults={"name": name})
        created += made
        ExclusionGroupMember.objects.bulk_create([
            ExclusionGroupMember(group=group, question_id=ids[c]) for c in codes if c in ids and ids[c] not in grouped
        ])
    return created


def load_separations(pairs: list[tuple[str, str]]) -> None:
    ids = dict(Question.objects.values_list("code", "pk"))
    for a, b in pairs:
        if a in ids and b in ids:
            first, second = sorted((ids[a], ids[b]))
            ExclusionSeparation.objects.get_or_create(first_id=first, second_id=second)


def load_considered(considered: dict[str, dict[str, str]]) -> None:
    ids = dict(Question.objects.values_list("code", "pk"))
    for code, checks in considered.items():
        for check, reason in checks.items():
            if code in ids:
                ItemCheckReview.objects.get_or_create(question_id=ids[code], check_code=check,
                                                      defaults={"reason": reason})


@transaction.atomic
def seed_demo(stdout, *, knowledge_points=None, questions=None, groups=None, considered=None,
              different_facts=None) -> None:
    """Loads the demo bank (or the given data): questions, exclusion groups, the pairs judged to test
    different facts, and the considered item-writing warnings."""
    if knowledge_points is None or questions is None:
        from question_bank import demo_data

        knowledge_points = demo_data.KNOWLEDGE_POINTS if knowledge_points is None else knowledge_points
        questions = demo_data.QUESTIONS if questions is None else questions
        groups = demo_data.GROUPS if groups is None else groups
        considered = demo_data.CONSIDERED if considered is None else considered
        different_facts = demo_data.DIFFERENT_FACTS if different_facts is None else different_facts
    by_code = load_knowledge_points(knowledge_points)
    created = load_questions(questions, by_code)
    new_groups = load_groups(groups or {})
    load_separations(different_facts or [])
    load_considered(considered or {})
    stdout.write(f"Question bank: {len(by_code)} knowledge points, {created} questions added "
                 f"({Question.objects.filter(status=QuestionStatus.ACTIVE).count()} active), "
                 f"{new_groups} exclusion groups added.")
