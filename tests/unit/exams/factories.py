"""Small builders for exam tests: a district with squads and people, snapshots, a question bank, sessions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from lms.exams.models import ExamSession, Venue
from lms.roster.models import Category, OrgUnit, Person, PersonStatus, Position
from lms.roster.services.snapshots import take_snapshot
from question_bank.models import (
    Blueprint,
    BlueprintDifficultyQuota,
    BlueprintKnowledgeQuota,
    BlueprintSection,
    KnowledgePoint,
    Question,
    QuestionStatus,
    QuestionType,
    QuestionVersion,
)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚"


def id_number(n: int) -> str:
    """A syntactically plausible 18-character ID number, unique per n (checksum not needed by the draw)."""
    return f"310101{n:011d}{n % 10}"


def chinese_name(n: int) -> str:
    return SURNAMES[n % len(SURNAMES)] + GIVEN[(n // len(SURNAMES)) % len(GIVEN)] + GIVEN[n % len(GIVEN)]


def build_district(squad_specs: list[dict[str, int]], *, code="D1", start=0) -> tuple[OrgUnit, list[OrgUnit]]:
    """squad_specs: one dict per squad, position → count (plus optional "left": n people who have left)."""
    district, _ = OrgUnit.objects.get_or_create(code=code, defaults={"name": f"测试区{code}", "kind": "district"})
    street, _ = OrgUnit.objects.get_or_create(code=f"{code}-S1", defaults={"name": f"{code}测试街道",
                                                                            "kind": "street", "parent": district})
    squads, people, n = [], [], start
    for i, spec in enumerate(squad_specs):
        squad, _ = OrgUnit.objects.get_or_create(
            code=f"{code}-Q{i:03d}", defaults={"name": f"{code}第{i + 1}中队", "kind": "squad", "parent": street})
        squads.append(squad)
        for position, count in spec.items():
            for _k in range(count):
                n += 1
                left = position == "left"
                people.append(Person(
                    name=chinese_name(n), id_number=id_number(n), squad=squad,
                    position=Position.ENFORCEMENT_OFFICER if left else position,
                    category=Category.AUXILIARY if position == Position.AUXILIARY else Category.STAFF,
                    status=PersonStatus.LEFT if left else PersonStatus.ON_DUTY,
                ))
    Person.objects.bulk_create(people)
    return district, squads


def snapshot():
    return take_snapshot(note="test")


def build_bank(spec: dict[tuple[str, str, int], int], *, prefix="Q") -> dict[str, KnowledgePoint]:
    """spec: (question type, knowledge point code, difficulty) → number of active questions."""
    kps: dict[str, KnowledgePoint] = {kp.code: kp for kp in KnowledgePoint.objects.all()}
    root = kps.get("ROOT") or KnowledgePoint.add_root(code="ROOT", name="法律法规")
    kps["ROOT"] = root
    counter = Question.objects.count()
    for (qtype, kp_code, difficulty), count in sorted(spec.items()):
        if kp_code not in kps:
            kps[kp_code] = KnowledgePoint.objects.get(pk=root.pk).add_child(code=kp_code, name=f"知识点{kp_code}")
        for _k in range(count):
            counter += 1
            options = ["选项甲", "选项乙", "选项丙", "选项丁"] if qtype in ("single", "multiple") else []
            answer = {"single": ["B"], "multiple": ["A", "C"], "true_false": [True]}.get(qtype, [])
            q = Question.objects.create(
                code=f"{prefix}{counter:05d}", type=qtype, knowledge_point=kps[kp_code], stem=f"第{counter}题：行政强制措施的题干",
                options=options, answer=answer, difficulty=difficulty, status=QuestionStatus.ACTIVE,
            )
            v = QuestionVersion.objects.create(question=q, number=1, stem=q.stem, options=options, answer=answer,
                                               difficulty=difficulty)
            Question.objects.filter(pk=q.pk).update(current_version=v)
    return kps


def build_blueprint(name="测试方案", sections=((QuestionType.SINGLE, 4, "2"),), kp_quotas=(), diff_quotas=()):
    bp = Blueprint.objects.create(name=name)
    for order, (qtype, count, points) in enumerate(sections):
        BlueprintSection.objects.create(blueprint=bp, sort_order=order, question_type=qtype, count=count,
                                        points=Decimal(points))
    for qtype, kp, count, share in kp_quotas:
        BlueprintKnowledgeQuota.objects.create(blueprint=bp, question_type=qtype, knowledge_point=kp, count=count,
                                               share=share)
    for qtype, difficulty, count, share in diff_quotas:
        BlueprintDifficultyQuota.objects.create(blueprint=bp, question_type=qtype, difficulty=difficulty,
                                                count=count, share=share)
    return bp


def build_session(*, blueprint, code="S1", venues=(("第一考场", 200),), **fields):
    start = timezone.now() + dt.timedelta(days=7)
    session = ExamSession.objects.create(
        code=code, title="2026年度法律知识当场考试", year=2026, blueprint=blueprint, starts_at=start,
        ends_at=start + dt.timedelta(hours=2), **fields,
    )
    for order, (name, seats) in enumerate(venues):
        Venue.objects.create(session=session, sort_order=order, name=name, seats=seats)
    return session
