"""Demo assessment for `seed_demo`: last year's and this year's schemes (the exam raised from 20 to 30 points),
entered scores for every demo squad, and last year's result published when last year has a graded session.

Runs after the roster, courses and exams demos. Idempotent: a year that already has a scheme is left alone.
"""

from __future__ import annotations

import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from courses.models import StudyPlan
from lms.roster.models import OrgUnit

from .exam_results import graded_sessions
from .models import AssessmentScheme, Indicator, IndicatorKind
from .services.entries import enter_score
from .services.publish import current_publication, publish_year
from .services.schemes import AssessmentError, copy_scheme, record_scheme_changes, scheme_state

STANDARDISATION = "市容管理、环境卫生管理、城市道路管理、执法队伍管理、行政执法管理、行政许可服务管理、数字化城市管理、机关业务科室工作"
GUIDANCE = "执法全程说理、行政监管劝勉、执法事项提示、轻微违法警示、重大案件回访、突出问题约谈"

# code, parent, name, kind, points, extra fields
PREVIOUS_YEAR = [
    ("EXAM", "", "法律知识当场考试", "exam", 20,
     {"exam_measure": "mean", "absent_rule": "zero",
      "description": "中队领导、法制员必考，执法队员、协管员按花名册抽考；平均得分率×分值，缺考按0分计"}),
    ("STUDY", "", "学法培训", "group", 10, {}),
    ("STUDY-DONE", "STUDY", "学法计划完成情况", "entered", 5, {"description": "上年度按培训台账录入"}),
    ("STUDY-HOURS", "STUDY", "学法学时", "entered", 5, {"description": "上年度按培训台账录入"}),
    ("LEGAL", "", "法制员配备与法制审核", "group", 10, {}),
    ("LEGAL-OFFICER", "LEGAL", "中队配备法制员", "roster", 5, {"roster_check": "legal_officer"}),
    ("LEGAL-REVIEW", "LEGAL", "法制审核", "entered", 5, {"description": "执法决定经法制审核的情况"}),
    ("STAR", "", "星级中队建设", "group", 20, {}),
    ("STAR-ORG", "STAR", "组织领导", "entered", 5, {"star_aspect": "leadership"}),
    ("STAR-ENF", "STAR", "行政执法", "entered", 5, {"star_aspect": "enforcement"}),
    ("STAR-TEAM", "STAR", "队伍管理", "entered", 5, {"star_aspect": "team",
                                                   "description": "含协管员与执法队伍统一管理"}),
    ("STAR-SUP", "STAR", "执法保障", "entered", 5, {"star_aspect": "support"}),
    ("STD", "", "标准化体系建设", "entered", 10, {"description": f"八个方面：{STANDARDISATION}"}),
    ("COERCE", "", "行政强制规范", "group", 15, {}),
    ("COERCE-24H", "COERCE", "24小时内报告并补办批准手续", "entered", 10,
     {"description": "当场实施行政强制措施后24小时内向分管副局长报告并补办批准手续"}),
    ("COERCE-FEE", "COERCE", "不收取保管费", "deduction", 5,
     {"deduction_per_item": Decimal("2.5"), "floor": Decimal("-5"),
      "description": "每查实一起向当事人或第三人收取保管费（含逾期保管费）的投诉扣2.5分"}),
    ("GUIDE", "", "行政指导", "entered", 10, {"description": f"六项柔性执法：{GUIDANCE}"}),
    ("CASE", "", "案卷评查", "entered", 5, {}),
]
# This year: the exam is worth 30 (raised from 20), study is computed from the platform's study plan,
# standardisation and guidance give up 5 points each.
CURRENT_YEAR_POINTS = {"EXAM": 30, "STD": 5, "GUIDE": 5}


def _create(year: int, rows) -> AssessmentScheme:
    scheme = AssessmentScheme.objects.create(year=year, title=f"{year}年度依法行政工作考核方案")
    for order, (code, parent, name, kind, points, extra) in enumerate(rows):
        Indicator.objects.create(scheme=scheme, sort_order=order, code=code, parent_code=parent, name=name, kind=kind,
                                 points=Decimal(points), **extra)
    return scheme


def _enter_all(scheme: AssessmentScheme, actor, rng: random.Random) -> int:
    count = 0
    squads = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.SQUAD, is_active=True).order_by("code"))
    for index, squad in enumerate(squads):
        strength = [Decimal("0.97"), Decimal("0.9"), Decimal("0.82"), Decimal("0.75")][index % 4]
        for indicator in scheme.indicators.filter(kind__in=(IndicatorKind.ENTERED, IndicatorKind.DEDUCTION)):
            if indicator.kind == IndicatorKind.DEDUCTION:
                value = Decimal(1 if index == 3 else 0)
                note = "查实收取逾期保管费投诉1起" if value else ""
            else:
                share = min(Decimal("1"), strength + Decimal(rng.randint(-6, 4)) / 100)
                value = (indicator.points * share).quantize(Decimal("0.5"))
                note = "依据年度检查台账"
            enter_score(indicator=indicator, unit=squad, value=value, note=note, actor=actor, source="演示数据录入")
            count += 1
    return count


def seed_demo(stdout) -> None:
    if not OrgUnit.objects.filter(kind=OrgUnit.Kind.SQUAD).exists():
        stdout.write("Assessment: the roster is empty; no demo assessment created.")
        return
    actor = get_user_model().objects.filter(username="demo_assessor").first()
    rng = random.Random(2026)
    this_year = timezone.localdate().year
    last_year = this_year - 1
    previous = AssessmentScheme.objects.filter(year=last_year).first()
    if previous is None:
        previous = _create(last_year, PREVIOUS_YEAR)
        record_scheme_changes(scheme=previous, before={}, actor=actor)
        _enter_all(previous, actor, rng)
    current = AssessmentScheme.objects.filter(year=this_year).first()
    if current is None:
        current = copy_scheme(source=previous, year=this_year, actor=actor)
        before = scheme_state(current)
        for code, points in CURRENT_YEAR_POINTS.items():
            Indicator.objects.filter(scheme=current, code=code).update(points=Decimal(points))
        plan = StudyPlan.objects.filter(year=this_year).order_by("pk").first()
        if plan is not None:
            Indicator.objects.filter(scheme=current, code="STUDY-DONE").update(
                kind=IndicatorKind.STUDY, study_plan=plan, study_measure="completion",
                description="学习计划规定课程全部完成且达到学时目标的人员占比")
            Indicator.objects.filter(scheme=current, code="STUDY-HOURS").update(
                kind=IndicatorKind.STUDY, study_plan=plan, study_measure="hours",
                description="人均学时÷学时目标，最高按100%计")
        record_scheme_changes(scheme=current, before=before, actor=actor)
        _enter_all(current, actor, rng)
    message = f"Assessment: schemes {last_year} and {this_year}"
    if current_publication(last_year) is None:
        if graded_sessions(year=last_year):
            try:
                publication = publish_year(scheme=previous, actor=actor)
                message += f"; {last_year} published (version {publication.version})"
            except AssessmentError as exc:
                message += f"; {last_year} not published: {'; '.join(exc.messages)}"
        else:
            message += f"; {last_year} not published (no graded exam session of {last_year} yet)"
    stdout.write(message + ".")
