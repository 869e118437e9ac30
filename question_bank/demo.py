"""Demo question bank for `seed_demo`: the knowledge-point tree and the questions in `demo_data`.

Questions go through `create_question`, so the demo content passes the same validation as anything a
trainer writes; they are activated so that practice and exams can draw on them. Idempotent: existing
knowledge points and question codes are left as they are.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from question_bank.models import KnowledgePoint, Question, QuestionStatus
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


@transaction.atomic
def seed_demo(stdout, *, knowledge_points=None, questions=None) -> None:
    if knowledge_points is None or questions is None:
        from question_bank.demo_data import KNOWLEDGE_POINTS, QUESTIONS

        knowledge_points = KNOWLEDGE_POINTS if knowledge_points is None else knowledge_points
        questions = QUESTIONS if questions is None else questions
    by_code = load_knowledge_points(knowledge_points)
    created = load_questions(questions, by_code)
    stdout.write(f"Question bank: {len(by_code)} knowledge points, {created} questions added "
                 f"({Question.objects.filter(status=QuestionStatus.ACTIVE).count()} active).")
