"""Demo exam for `seed_demo`: a 100-point blueprint over the demo bank and the on-site session DEMO-ONSITE
for the demo district, with candidates drawn (witness seed, so the demo is reproducible) and papers issued;
and the online session DEMO-ONLINE, open from the moment seed_demo runs for 30 days, with demo_officer among
its candidates, so a newcomer can sit an exam at once. Its all-types blueprint is open for mock exams.

Runs after the roster and question-bank demos; if either is empty it says so and does nothing. Idempotent.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from lms.roster.models import OrgUnit, Person
from question_bank.assembly import check_blueprint
from question_bank.models import (
    Blueprint,
    BlueprintKnowledgeQuota,
    BlueprintSection,
    KnowledgePoint,
    Question,
    QuestionStatus,
    QuestionType,
)

from .models import Delivery, ExamSession, SessionStatus, Venue
from .services.draw import add_candidate, draw_candidates
from .services.papers import issue_papers
from .services.sessions import open_session

BLUEPRINT_NAME = "年度法律知识考试（100分）"
SESSION_CODE = "DEMO-ONSITE"
DEMO_SEED = "2026-DEMO-WITNESS"
SECTIONS = [  # 25 single + 10 multiple + 15 true/false, 2 points each = 100
    (QuestionType.SINGLE, 25, "单项选择题"),
    (QuestionType.MULTIPLE, 10, "多项选择题"),
    (QuestionType.TRUE_FALSE, 15, "判断题"),
]


def _proportional(total: int, weights: dict[int, int]) -> dict[int, int]:
    """Split `total` over the keys in proportion to `weights` (largest remainder), never above a weight."""
    whole = sum(weights.values())
    exact = {k: Decimal(total) * w / whole for k, w in weights.items()}
    counts = {k: min(weights[k], int(v)) for k, v in exact.items()}
    for k in sorted(weights, key=lambda k: (-(exact[k] - int(exact[k])), k)):
        if sum(counts.values()) >= total:
            break
        if counts[k] < weights[k]:
            counts[k] += 1
    return {k: n for k, n in counts.items() if n}


def _blueprint() -> Blueprint:
    blueprint = Blueprint.objects.create(
        name=BLUEPRINT_NAME, description="单选25题、多选10题、判断15题，每题2分；按各部法律的题量分配知识点配额。"
    )
    roots = list(KnowledgePoint.get_root_nodes())
    for order, (qtype, count, title) in enumerate(SECTIONS):
        BlueprintSection.objects.create(blueprint=blueprint, sort_order=order, question_type=qtype, count=count,
                                        points=Decimal("2"), title=title)
        available = {
            root.pk: Question.objects.filter(status=QuestionStatus.ACTIVE, type=qtype, current_version__isnull=False,
                                             knowledge_point__path__startswith=root.path).count()
            for root in roots
        }
        available = {k: v for k, v in available.items() if v}
        if sum(available.values()) >= count:
            for kp_id, n in _proportional(count, available).items():
                BlueprintKnowledgeQuota.objects.create(blueprint=blueprint, question_type=qtype,
                                                       knowledge_point_id=kp_id, count=n)
    return blueprint


ONLINE_CODE = "DEMO-ONLINE"
ONLINE_BLUEPRINT_NAME = "综合题型练习（100分）"
ONLINE_SECTIONS = [  # every question type, so the sitting page shows each input
    (QuestionType.SINGLE, 10, "2", "单项选择题"),
    (QuestionType.MULTIPLE, 5, "4", "多项选择题"),
    (QuestionType.TRUE_FALSE, 10, "2", "判断题"),
    (QuestionType.FILL_BLANK, 4, "5", "填空题"),
    (QuestionType.ESSAY, 1, "20", "简答题"),
]


def _online_blueprint() -> Blueprint:
    blueprint = Blueprint.objects.filter(name=ONLINE_BLUEPRINT_NAME).first()
    if blueprint is None:
        blueprint = Blueprint.objects.create(
            name=ONLINE_BLUEPRINT_NAME, open_for_practice=True, practice_minutes=60,
            description="单选、多选、判断、填空、简答各题型俱全；可用于在线测试和模拟考试。")
        for order, (qtype, count, points, title) in enumerate(ONLINE_SECTIONS):
            BlueprintSection.objects.create(blueprint=blueprint, sort_order=order, question_type=qtype, count=count,
                                            points=Decimal(points), title=title)
    return blueprint


def seed_online_session(stdout, district: OrgUnit) -> None:
    """DEMO-ONLINE: open now for 30 days; demo_officer sits it (no access code online)."""
    if ExamSession.objects.filter(code=ONLINE_CODE).exists():
        stdout.write(f"Exams: {ONLINE_CODE} already there.")
        return
    blueprint = _online_blueprint()
    check = check_blueprint(blueprint)
    if not check.ok:
        stdout.write("Exams: the demo bank cannot fill the online blueprint: " + "; ".join(check.issues))
        return
    start = timezone.now().replace(microsecond=0)
    session = ExamSession.objects.create(
        code=ONLINE_CODE, title=f"{start.year}年度学法在线测试", year=start.year, blueprint=blueprint,
        delivery=Delivery.ONLINE, starts_at=start, ends_at=start + dt.timedelta(days=30), duration_minutes=60,
    )
    session.target_units.set([district])
    session.save()
    draw = draw_candidates(session=session, seed=DEMO_SEED + "-ONLINE", witness="区司法局 见证人")
    demo_officer = Person.objects.filter(user__username="demo_officer").first()
    if demo_officer and not draw.candidates.filter(person=demo_officer).exists():
        add_candidate(session=session, person=demo_officer, reason="在线测试演示")
    papers = issue_papers(session=session)
    open_session(session=session)
    stdout.write(f"Exams: {ONLINE_CODE} open until {timezone.localtime(session.ends_at):%Y-%m-%d %H:%M} "
                 f"with {papers} papers; demo_officer can sit it now.")


def demo_notes() -> list[str]:
    """Printed with the demo logins: what a proctor reads out in the on-site demo session."""
    session = ExamSession.objects.filter(code=SESSION_CODE).first()
    if session is None:
        return []
    codes = "，".join(f"{v.name} {v.access_code}" for v in session.venues.all())
    lines = [f"  {SESSION_CODE} access codes (考场码): {codes}"]
    if ExamSession.objects.filter(code=ONLINE_CODE, status=SessionStatus.OPEN).exists():
        lines.append(f"  {ONLINE_CODE} is open: sign in as demo_officer → 我的考试 → 进入考试")
    return lines


def seed_demo(stdout) -> None:
    from .demo_results import seed_past_results

    seed_past_results(stdout)  # last year's exam, graded and released (its own module)
    district = OrgUnit.objects.filter(kind=OrgUnit.Kind.DISTRICT).order_by("code").first()
    seed_onsite_session(stdout)
    if district is not None and Person.objects.exists() and Question.objects.filter(
            status=QuestionStatus.ACTIVE).exists():
        seed_online_session(stdout, district)


def seed_onsite_session(stdout) -> None:
    if ExamSession.objects.filter(code=SESSION_CODE).exists():
        stdout.write(f"Exams: {SESSION_CODE} already there.")
        return
    district = OrgUnit.objects.filter(kind=OrgUnit.Kind.DISTRICT).order_by("code").first()
    if district is None or not Person.objects.exists():
        stdout.write("Exams: the roster is empty; no demo exam created.")
        return
    if not Question.objects.filter(status=QuestionStatus.ACTIVE).exists():
        stdout.write("Exams: the question bank is empty; no demo exam created.")
        return
    blueprint = Blueprint.objects.filter(name=BLUEPRINT_NAME).first() or _blueprint()
    check = check_blueprint(blueprint)
    if not check.ok:
        stdout.write("Exams: the demo bank cannot fill the demo blueprint: " + "; ".join(check.issues))
        return
    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0) + dt.timedelta(days=14)
    session = ExamSession.objects.create(
        code=SESSION_CODE, title=f"{start.year}年度法律知识当场考试", year=start.year, blueprint=blueprint,
        starts_at=start, ends_at=start + dt.timedelta(hours=2), duration_minutes=90,
        stratify_by_position=True,  # every sampled position of every squad is examined
    )
    session.target_units.set([district])
    session.save()  # a ParentalManyToManyField is written on save
    Venue.objects.create(session=session, sort_order=0, name="第一考场", address="区局三楼会议室", seats=60)
    Venue.objects.create(session=session, sort_order=1, name="第二考场", address="区局四楼培训室", seats=60)
    draw = draw_candidates(session=session, seed=DEMO_SEED, witness="区司法局 见证人")
    demo_officer = Person.objects.filter(user__username="demo_officer").first()
    if demo_officer and not draw.candidates.filter(person=demo_officer).exists():
        add_candidate(session=session, person=demo_officer, reason="本人申请参考（演示）")
    papers = issue_papers(session=session)
    stdout.write(f"Exams: {SESSION_CODE} with {draw.candidates.count()} candidates and {papers} papers "
                 f"(blueprint {check.total_points} points).")
