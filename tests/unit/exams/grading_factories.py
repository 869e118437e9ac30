"""Builders for grading tests: a session whose candidates hold papers, attempts and answers.

Until the sitting lands, attempts are created here the way issuing papers will (one Response per paper
question), through the same `ensure_attempt` the score import uses.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from lms.exams.models import Attempt, AttemptStatus, SessionStatus
from lms.exams.services.draw import draw_candidates
from lms.exams.services.papers import issue_papers
from lms.exams.services.score_entry import ensure_attempt
from lms.exams.services.sessions import move_session
from lms.roster.models import Person, Position
from question_bank.grading import normalise_response
from question_bank.models import KnowledgePoint, Question, QuestionStatus, QuestionVersion

from .factories import build_blueprint, build_district, build_session

# The standard paper: one question of each type, in this order (positions 1..5), 20 points in all.
STANDARD = [
    ("single", "2", {"options": ["十日", "十五日", "三十日", "六十日"], "answer": ["C"],
                     "stem": "查封、扣押的期限不得超过（  ）。"}),
    ("multiple", "2", {"options": ["查封场所", "扣押财物", "冻结存款", "罚款"], "answer": ["A", "B", "C"],
                       "stem": "下列属于行政强制措施的有（  ）。"}),
    ("true_false", "2", {"answer": [False], "stem": "查封、扣押的保管费用由当事人承担。"}),
    ("fill_blank", "4", {"answer": [["24小时", "二十四小时"]], "stem": "情况紧急需当场实施的，应当在（  ）内报告。"}),
    ("essay", "10", {"answer": [], "stem": "简述实施行政强制措施的一般程序。", "reference_answer": "报告批准、两名以上执法人员……",
                     "marking_points": ["事前报告并经批准（2分）", "两名以上执法人员（2分）", "出示证件（2分）"]}),
]


def add_question(code: str, qtype: str, *, answer, options=(), stem="题干", points="2", **extra) -> Question:
    root = KnowledgePoint.objects.filter(code="GR").first() or KnowledgePoint.add_root(code="GR", name="行政强制法")
    fields = {"stem": stem, "options": list(options), "answer": answer, "points": Decimal(points), **extra}
    question = Question.objects.create(code=code, type=qtype, knowledge_point=root, status=QuestionStatus.ACTIVE,
                                       **fields)
    version = QuestionVersion.objects.create(question=question, number=1, **fields)
    Question.objects.filter(pk=question.pk).update(current_version=version)
    return question


def grading_session(*, officers: int = 4, code: str = "G1", spec=STANDARD, with_attempts: bool = True, opened: bool = True,
                    **session_fields):
    """A session (shared paper, options not shuffled) with `officers` + 2 candidates and their papers."""
    district, squads = build_district(
        [{Position.SQUAD_LEADER: 1, Position.LEGAL_OFFICER: 1, Position.ENFORCEMENT_OFFICER: officers}],
        code=f"D{code}", start=Person.objects.count())
    for n, (qtype, points, fields) in enumerate(spec, start=1):
        add_question(f"{code}-{n:02d}", qtype, points=points, **fields)
    sections = [(qtype, 1, points) for qtype, points, _fields in spec]
    blueprint = build_blueprint(name=f"方案{code}", sections=sections)
    session_fields = {"paper_mode": "shared", "shuffle_options": False, "sample_rate": Decimal("1"),
                      "pass_mark": Decimal("12"), **session_fields}
    session = build_session(blueprint=blueprint, code=code, **session_fields)
    session.target_units.set([district])
    draw_candidates(session=session, seed="GRADING-TEST")
    issue_papers(session=session)
    session.refresh_from_db()
    if opened:
        session = move_session(session=session, to=SessionStatus.OPEN)
    if with_attempts:
        for paper in session.papers.all():
            ensure_attempt(paper)
    return session


def attempts_of(session):
    return list(Attempt.objects.filter(session=session).select_related("candidate").order_by(
        "candidate__ticket_number"))


def sit(attempt: Attempt, answers: dict[int, object], *, submit: bool = True) -> Attempt:
    """Answer by paper position (raw values, as a form would post) and submit."""
    now = timezone.now()
    for response in attempt.responses.select_related("paper_question__version__question"):
        if response.position in answers:
            qtype = response.paper_question.version.question.type
            response.answer = normalise_response(qtype, answers[response.position])
            response.seq += 1
            response.saved_at = now
            response.save(update_fields=["answer", "seq", "saved_at"])
    if submit:
        attempt.status = AttemptStatus.SUBMITTED
        attempt.submitted_at = now
        attempt.submitted_by = "candidate"
        attempt.save(update_fields=["status", "submitted_at", "submitted_by"])
    return attempt


def close(session):
    for status in (SessionStatus.OPEN, SessionStatus.CLOSED):
        if session.status != status:
            session = move_session(session=session, to=status)
    return session


PERFECT = {1: "C", 2: "ABC", 3: "错", 4: ["二十四小时"], 5: "事前报告批准，两名执法人员，出示证件。"}
