"""Demo results for `seed_demo`: last year's on-site exam, closed, graded and released, so the results
screens, item statistics and the annual assessment show real figures on first start.

Answers are simulated, reproducibly (a fixed seed): each candidate has an ability, each question a
difficulty, and the chance of a right answer follows a logistic curve of their difference; wrong choices
are the plausible distractors; a few fill-ins are written in Chinese numerals (marked right by the
normaliser); some candidates are absent; essays are marked by the demo trainer (blind, like anyone else).
Everything goes through the same services as a real exam. Idempotent.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils import timezone

from lms.roster.models import OrgUnit, Person
from question_bank.assembly import check_blueprint
from question_bank.grading import OPTION_KEYS
from question_bank.models import Blueprint, BlueprintSection, Question, QuestionStatus, QuestionType

from .models import Attempt, AttemptStatus, ExamSession, Response, SessionStatus, Venue
from .services.draw import add_candidate, draw_candidates
from .services.grading import grade_attempt
from .services.marking import essay_responses, submit_mark
from .services.papers import issue_papers
from .services.results import mark_graded, release_results
from .services.score_entry import ensure_attempt
from .services.sessions import move_session

BLUEPRINT_NAME = "年度法律知识考试（含填空、案例，100分）"
SEED = 20251120
ABSENT_SHARE = 0.06
# (type, count, points each, section title): 40 + 20 + 20 + 10 + 10 = 100
SECTIONS = [
    (QuestionType.SINGLE, 20, "2", "单项选择题"),
    (QuestionType.MULTIPLE, 10, "2", "多项选择题"),
    (QuestionType.TRUE_FALSE, 10, "2", "判断题"),
    (QuestionType.FILL_BLANK, 5, "2", "填空题"),
    (QuestionType.ESSAY, 1, "10", "案例分析题"),
]
CHINESE_DIGITS = "零一二三四五六七八九"


def past_session_code(year: int) -> str:
    return f"DEMO-{year}-ONSITE"


def _blueprint() -> Blueprint | None:
    blueprint = Blueprint.objects.filter(name=BLUEPRINT_NAME).first()
    if blueprint is None:
        available = dict(Question.objects.filter(status=QuestionStatus.ACTIVE, current_version__isnull=False)
                         .values_list("type").annotate(n=Count("id")).order_by())
        sections = [s for s in SECTIONS if available.get(s[0], 0) >= s[1]]
        if not sections:
            return None
        blueprint = Blueprint.objects.create(name=BLUEPRINT_NAME,
                                             description="去年的年度考试方案：单选、多选、判断、填空各若干，另有一道案例分析题。")
        for order, (qtype, count, points, title) in enumerate(sections):
            BlueprintSection.objects.create(blueprint=blueprint, sort_order=order, question_type=qtype, count=count,
                                            points=Decimal(points), title=title)
    return blueprint if check_blueprint(blueprint).ok else None


def _chance(ability: float, difficulty: int) -> float:
    return 1 / (1 + math.exp(-(ability - (difficulty - 3) * 0.7)))


def _as_chinese(number: int) -> str:
    """A small number (< 100) as an officer might write it: 24 → 二十四, 10 → 十."""
    tens, ones = divmod(number, 10)
    if number < 10:
        return CHINESE_DIGITS[number]
    return ("" if tens == 1 else CHINESE_DIGITS[tens]) + "十" + (CHINESE_DIGITS[ones] if ones else "")


def _fill_answer(accepted: list[list[str]], right: bool, rng: random.Random) -> list[str]:
    answer = []
    for alternatives in accepted:
        spelling = alternatives[0]
        if right and spelling.isdigit() and int(spelling) < 100 and rng.random() < 0.4:
            spelling = _as_chinese(int(spelling))  # the normaliser accepts it
        elif not right:
            spelling = rng.choice(["不清楚", "三十日", "局长", "十五", "2"])
        answer.append(spelling)
    return answer


def _simulated_answer(version, ability: float, rng: random.Random):
    qtype = version.question.type
    right = rng.random() < _chance(ability, version.difficulty)
    key = list(version.answer or [])
    if rng.random() < 0.02:
        return []  # left blank
    if qtype == QuestionType.SINGLE:
        wrong = [k for k in OPTION_KEYS[:len(version.options)] if k not in key]
        return key if right or not wrong else [rng.choice(wrong)]
    if qtype == QuestionType.MULTIPLE:
        if right:
            return key
        letters = list(OPTION_KEYS[:len(version.options)])
        if rng.random() < 0.5 and len(key) > 1:  # missed one: a typical near miss
            return sorted(rng.sample(key, len(key) - 1))
        return sorted(set(rng.sample(letters, rng.randint(1, len(letters)))))
    if qtype == QuestionType.TRUE_FALSE:
        return key if right else [not key[0]]
    if qtype == QuestionType.FILL_BLANK:
        return _fill_answer(key, right, rng)
    reference = version.reference_answer or "依法说明理由。"
    share = max(0.15, min(1.0, _chance(ability, version.difficulty) + rng.uniform(-0.2, 0.2)))
    return [reference[: max(8, int(len(reference) * share))]]


def _essay_score(response, ability: float, rng: random.Random) -> Decimal:
    points = response.paper_question.points
    share = max(0.0, min(1.0, _chance(ability, response.paper_question.version.difficulty) + rng.uniform(-0.15, 0.1)))
    return (points * Decimal(str(round(share * 2) / 2 if points <= 2 else round(share * 10) / 10))).quantize(
        Decimal("0.5"), rounding=ROUND_HALF_UP).min(points)


def seed_past_results(stdout) -> ExamSession | None:
    year = timezone.localdate().year - 1
    code = past_session_code(year)
    if ExamSession.objects.filter(code=code).exists():
        stdout.write(f"Exams: {code} (last year's results) already there.")
        return None
    district = OrgUnit.objects.filter(kind=OrgUnit.Kind.DISTRICT).order_by("code").first()
    if district is None or not Person.objects.exists():
        return None
    blueprint = _blueprint()
    if blueprint is None:
        stdout.write("Exams: the demo bank cannot fill last year's blueprint; no past results created.")
        return None
    start = timezone.make_aware(dt.datetime(year, 11, 20, 9, 0))
    session = ExamSession.objects.create(
        code=code, title=f"{year}年度法律知识当场考试", year=year, blueprint=blueprint, starts_at=start,
        ends_at=start + dt.timedelta(hours=2), duration_minutes=90, pass_mark=Decimal("60"),
    )
    session.target_units.set([district])
    session.save()
    Venue.objects.create(session=session, sort_order=0, name="第一考场", address="区局三楼会议室", seats=200)
    draw = draw_candidates(session=session, seed=f"{year}-DEMO-WITNESS", witness="区司法局 见证人")
    demo_officer = Person.objects.filter(user__username="demo_officer").first()
    if demo_officer and not draw.candidates.filter(person=demo_officer).exists():
        add_candidate(session=session, person=demo_officer, reason="本人申请参考（演示）")
    issue_papers(session=session)
    session = move_session(session=session, to=SessionStatus.OPEN)
    rng = random.Random(SEED)
    for paper in session.papers.select_related("candidate").order_by("candidate__ticket_number"):
        attempt = ensure_attempt(paper)
        is_demo_officer = demo_officer is not None and paper.candidate.person_id == demo_officer.pk
        if rng.random() < ABSENT_SHARE and not is_demo_officer:
            continue  # never started: recorded as absent (缺考) when the session is graded
        ability = rng.gauss(0.9, 1.0) if not is_demo_officer else 1.2
        responses = list(attempt.responses.select_related("paper_question__version__question"))
        for response in responses:
            response.answer = _simulated_answer(response.paper_question.version, ability, rng)
            response.seq, response.saved_at = 1, start + dt.timedelta(minutes=rng.randint(5, 85))
        Response.objects.bulk_update(responses, ["answer", "seq", "saved_at"])
        Attempt.objects.filter(pk=attempt.pk).update(
            status=AttemptStatus.SUBMITTED, started_at=start, submitted_by="candidate",
            submitted_at=start + dt.timedelta(minutes=rng.randint(45, 90)),
            answered_count=sum(1 for r in responses if r.answer))
        grade_attempt(attempt_id=attempt.pk)
        attempt.ability = ability
    session = move_session(session=session, to=SessionStatus.CLOSED)
    marker = get_user_model().objects.filter(username="demo_trainer").first()
    abilities = {}
    for response in essay_responses(session):
        ability = abilities.setdefault(response.attempt_id, rng.gauss(0.9, 1.0))
        submit_mark(response=response, marker=marker, score=_essay_score(response, ability, rng),
                    comment=rng.choice(["要点基本齐全", "程序要点遗漏", "表述清楚", "未写明法律依据", ""]))
    mark_graded(session=session)
    session = release_results(session=session)
    rows = Attempt.objects.filter(session=session)
    stdout.write(f"Exams: {code} (last year) released: {rows.exclude(status='absent').count()} sat, "
                 f"{rows.filter(status='absent').count()} absent, {rows.filter(passed=True).count()} passed.")
    return session
