"""Builders for sitting tests: a bank with every question type (with explanations and legal bases the
access tests look for), a session whose candidates have accounts, papers issued and the window open."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from lms.core import roles
from lms.exams.models import Attempt, Delivery, SessionStatus
from lms.exams.services.draw import draw_candidates
from lms.exams.services.papers import issue_papers
from lms.roster.models import Person, Position
from question_bank.models import KnowledgePoint, Question, QuestionStatus, QuestionVersion
from tests.conftest import make_user

from .factories import build_blueprint, build_district, build_session

# Secrets that must never reach a candidate during an attempt.
SECRET_MARKERS = ("解析秘文", "法条秘文", "参考答案秘文")

TYPES = {
    "single": (["甲选项", "乙选项", "丙选项", "丁选项"], ["B"]),
    "multiple": (["甲选项", "乙选项", "丙选项", "丁选项"], ["A", "C"]),
    "true_false": ([], [True]),
    "fill_blank": ([], [["三十", "30"], ["三十日"]]),
    "essay": ([], []),
}


def build_full_bank(per_type: int = 3) -> None:
    root = KnowledgePoint.objects.filter(code="SIT").first() or KnowledgePoint.add_root(code="SIT", name="行政强制法")
    n = Question.objects.count()
    for qtype, (options, answer) in TYPES.items():
        for _i in range(per_type):
            n += 1
            fields = {
                "type": qtype, "knowledge_point": root, "stem": f"第{n}题：查封扣押的期限（{qtype}）____ ____",
                "options": options, "answer": answer, "difficulty": 3, "status": QuestionStatus.ACTIVE,
                "explanation": f"解析秘文{n}", "legal_basis": f"法条秘文{n}",
                "reference_answer": f"参考答案秘文{n}" if qtype == "essay" else "",
            }
            q = Question.objects.create(code=f"SIT{n:04d}", **fields)
            content = {k: v for k, v in fields.items() if k not in ("type", "knowledge_point", "status")}
            v = QuestionVersion.objects.create(question=q, number=1, **content)
            Question.objects.filter(pk=q.pk).update(current_version=v)


def full_blueprint(name="全题型方案"):
    return build_blueprint(name=name, sections=[("single", 2, "2"), ("multiple", 2, "3"), ("true_false", 2, "1"),
                                                ("fill_blank", 1, "4"), ("essay", 1, "10")])


def open_session(*, people: int = 2, sampled: int = 0, delivery=Delivery.ONSITE, code="SIT1", duration=60, start_offset=-5,
                 usernames=None) -> tuple:
    """A session open now with `people` candidates who each have an account; returns (session, attempts)."""
    build_district([{Position.SQUAD_LEADER: 1, Position.LEGAL_OFFICER: people - 1,
                     Position.ENFORCEMENT_OFFICER: sampled}], code=f"{code}D")
    if not Question.objects.filter(code__startswith="SIT").exists():
        build_full_bank()
    session = build_session(blueprint=full_blueprint(f"方案{code}"), code=code, delivery=delivery,
                            duration_minutes=duration)
    now = timezone.now()
    session.starts_at = now + dt.timedelta(minutes=start_offset)
    session.ends_at = now + dt.timedelta(hours=3)
    session.save()
    session.target_units.set([])
    people_list = list(Person.objects.filter(squad__code__startswith=f"{code}D").order_by("id"))
    for i, person in enumerate(people_list):
        name = (usernames or [])[i] if usernames and i < len(usernames) else f"{code.lower()}_officer{i}"
        person.user = make_user(name, roles.OFFICER)
        person.save(update_fields=["user"])
    draw_candidates(session=session, seed="sitting-seed")
    issue_papers(session=session)
    session.refresh_from_db()
    session.status = SessionStatus.OPEN
    session.save(update_fields=["status"])
    attempts = list(Attempt.objects.filter(session=session).select_related("user", "candidate").order_by("id"))
    return session, attempts


