"""Each indicator kind on hand-checked examples (figures worked out by hand in the comments)."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

import pytest

from courses.models import CourseCompletion, StudyPlan, StudyPlanCourse
from lms.assessment.models import EnteredScore, Indicator
from lms.assessment.scoring import MISSING, NO_DATA, WAIVED
from lms.assessment.services.compute import compute_year
from lms.assessment.services.entries import enter_score, waive_score
from lms.roster.models import OrgUnit, Person, Position
from tests.unit.courses.factories import make_course

from .factories import district, entered, exam, graded_session, scheme

pytestmark = pytest.mark.django_db

D = Decimal
LEADERS = {Position.SQUAD_LEADER: 1, Position.LEGAL_OFFICER: 1, Position.ENFORCEMENT_OFFICER: 2}


@pytest.fixture
def units():
    # Street S1: squads A (3 candidates: 80, 60, absent) and B (2: 90, 40); squad C has no candidates.
    # Street S2: squad D (1 candidate, absent) and no legal officer.
    u = district({"S1": {"A": LEADERS, "B": {**LEADERS, Position.AUXILIARY: 4}, "C": LEADERS},
                  "S2": {"D": {Position.SQUAD_LEADER: 1}}})
    graded_session(year=2026, code="E26", results={"A": [80, 60, "absent", "excused"], "B": [90, 40], "D": ["absent"]})
    return u


def cell(result, unit_code, indicator="EXAM"):
    return next(u for u in result.squads + result.streets if u.code == unit_code).cells[indicator]


def test_mean_with_absent_counted_as_zero(units):
    # A: (0.80 + 0.60 + 0) / 3 = 0.4667 → × 30 = 14.00; B: (0.90 + 0.40) / 2 = 0.65 → 19.50. Excused left out.
    result = compute_year(scheme(2026, [exam(30, "mean", "zero"), entered(70)]))
    assert cell(result, "A").score == D("14.00")
    assert cell(result, "B").score == D("19.50")
    assert "缺考1人（按0分计）" in cell(result, "A").detail
    assert cell(result, "A").source == "考试场次 E26"


def test_mean_with_absent_excluded(units):
    # A: (0.80 + 0.60) / 2 = 0.70 → 21.00; D: its only candidate was absent, nothing to average → 0.
    result = compute_year(scheme(2026, [exam(30, "mean", "excluded"), entered(70)]))
    assert cell(result, "A").score == D("21.00")
    assert cell(result, "D").score == D("0")
    assert cell(result, "D").status == NO_DATA


def test_pass_rate_under_both_absent_rules(units):
    # A: 80 and 60 pass (pass mark 60). Zero rule: 2 / 3 → 20.00; excluded: 2 / 2 → 30.00. B: 1 / 2 → 15.00.
    zero = compute_year(scheme(2026, [exam(30, "pass_rate", "zero"), entered(70)]))
    assert (cell(zero, "A").score, cell(zero, "B").score) == (D("20.00"), D("15.00"))
    Indicator.objects.filter(code="EXAM").update(absent_rule="excluded")
    excluded = compute_year(zero_scheme := Indicator.objects.get(code="EXAM").scheme)
    assert zero_scheme.year == 2026
    assert cell(excluded, "A").score == D("30.00")


def test_participation_rate(units):
    # A: 2 sat of 3 expected (the excused one is not expected) → 2/3 × 20 = 13.33; D: 0 of 1 → 0.
    result = compute_year(scheme(2026, [exam(20, "participation", ""), entered(80)]))
    assert cell(result, "A").score == D("13.33")
    assert cell(result, "D").score == D("0.00")


def test_squad_with_no_candidates_scores_zero_with_a_warning_that_does_not_block(units):
    result = compute_year(scheme(2026, [exam(30), entered(70)]))
    c = cell(result, "C")
    assert (c.score, c.status) == (D("0"), NO_DATA)
    assert "没有考生" in c.detail
    warning = next(i for i in result.issues if i.unit == "C")
    assert not warning.blocking


def test_an_indicator_counts_only_its_chosen_sessions_and_pools_several(units):
    second = graded_session(year=2026, code="E26B", results={"C": [100], "A": [100]})
    only_second = compute_year(scheme(2026, [exam(30, sessions=[second]), entered(70)]))
    assert cell(only_second, "C").score == D("30.00")
    assert cell(only_second, "A").score == D("30.00")  # E26 is not counted
    indicator = Indicator.objects.get(code="EXAM")
    indicator.sessions.clear()  # empty: every graded session of the year
    indicator.save()
    pooled = compute_year(Indicator.objects.get(code="EXAM").scheme)
    # A: 80, 60, absent, 100 → (0.8 + 0.6 + 0 + 1) / 4 = 0.6 → 18.00
    assert cell(pooled, "A").score == D("18.00")


def test_exam_indicator_without_a_graded_session_blocks(units):
    result = compute_year(scheme(2025, [exam(30), entered(70)]))
    assert any("2025 年没有已阅卷的考试场次" in i.message and i.blocking for i in result.issues)


def test_roster_indicator_uses_the_squad_warnings(units):
    s = scheme(2026, [{"code": "LEGAL", "name": "法制员配备", "kind": "roster", "points": 10,
                       "roster_check": "legal_officer"}, entered(90)])
    result = compute_year(s)
    assert cell(result, "A", "LEGAL").score == D("10.00")
    assert cell(result, "D", "LEGAL").score == D("0.00")
    assert "无" in cell(result, "D", "LEGAL").detail


def test_entered_score_missing_waived_and_given(units, assessor):
    s = scheme(2026, [exam(30), entered(70)])
    case = Indicator.objects.get(scheme=s, code="CASE")
    enter_score(indicator=case, unit=units["A"], value="63.5", note="评查12卷", actor=assessor)
    waive_score(indicator=case, unit=units["B"], reason="该中队本年度无结案案卷", actor=assessor)
    result = compute_year(s)
    assert cell(result, "A", "CASE").score == D("63.50")
    assert "评查12卷" in cell(result, "A", "CASE").detail
    assert "李军" in cell(result, "A", "CASE").source
    assert cell(result, "B", "CASE").status == WAIVED
    assert "无结案案卷" in cell(result, "B", "CASE").detail
    missing = cell(result, "C", "CASE")
    assert missing.status == MISSING and missing.score == D("0")
    assert any(i.unit == "C" and "尚未录入" in i.message and i.blocking for i in result.issues)


def test_deduction_per_item_with_a_floor(units, assessor):
    s = scheme(2026, [exam(30), entered(60), {"code": "FEE", "name": "不收取保管费", "kind": "deduction",
                                              "points": 10, "deduction_per_item": 4, "floor": -5}])
    fee = Indicator.objects.get(scheme=s, code="FEE")
    enter_score(indicator=fee, unit=units["A"], value=1, actor=assessor)   # 10 − 4 = 6
    enter_score(indicator=fee, unit=units["B"], value=5, actor=assessor)   # 10 − 20 = −10 → floor −5
    result = compute_year(s)
    assert cell(result, "A", "FEE").score == D("6.00")
    assert cell(result, "B", "FEE").score == D("-5.00")
    assert cell(result, "C", "FEE").score == D("10.00")  # nothing recorded, no deduction


def test_street_is_the_mean_or_headcount_weighted_mean_of_its_squads(units):
    # S1's squads score A 14.00, B 19.50, C 0 on the exam. Mean: 33.50 / 3 = 11.17.
    # Headcount (on duty): A 4+4=8 (4 roster + 4 candidates), B 8+2=10, C 4 → (14×8 + 19.5×10 + 0×4) / 22 = 13.95.
    s = scheme(2026, [exam(30), entered(70)])
    assert cell(compute_year(s), "S1").score == D("11.17")
    s.street_rule = "headcount"
    s.save()
    assert cell(compute_year(s), "S1").score == D("13.95")


def test_total_is_the_sum_and_ranks_share_ties(units, assessor):
    s = scheme(2026, [{"code": "G", "name": "学法考试", "kind": "group", "points": 40}, exam(30, parent_code="G"),
                      entered(10, code="ORAL", name="口试", parent_code="G"), entered(60)])
    for code, oral, case in (("A", 10, 50), ("B", 4.5, 50), ("C", 10, 60), ("D", 10, 0)):
        enter_score(indicator=Indicator.objects.get(scheme=s, code="ORAL"), unit=units[code], value=oral, actor=assessor)
        enter_score(indicator=Indicator.objects.get(scheme=s, code="CASE"), unit=units[code], value=case, actor=assessor)
    result = compute_year(s)
    a = result.unit(units["A"].pk)
    assert a.cells["G"].score == D("24.00")  # 14.00 + 10
    assert a.total == D("74.00")
    b = result.unit(units["B"].pk)
    assert b.total == D("74.00")  # 19.50 + 4.5 + 50: a tie with A
    assert (a.rank, b.rank) == (1, 1)
    assert [u.code for u in result.squads][:3] == ["A", "B", "C"]
    assert result.unit(units["C"].pk).rank == 3


def test_study_completion_share_and_mean_hours(units):
    units["E"] = OrgUnit.objects.create(code="E", name="E中队", kind="squad", parent=units["S2"])
    Person.objects.create(name="队长", id_number="110101199001019999", squad=units["E"],
                          position=Position.SQUAD_LEADER, category="staff")
    user_model = get_user_model()
    people = list(Person.objects.filter(squad=units["A"], position=Position.ENFORCEMENT_OFFICER).order_by("pk"))[:2]
    for n, person in enumerate(people):
        person.user = user_model.objects.create_user(username=f"study{n}")
        person.save()
    course = make_course(title="行政强制法", class_hours="8")
    plan = StudyPlan.objects.create(year=timezone.now().year, title="年度学法计划", positions=["enforcement_officer"],
                                    class_hour_target=D("16"))
    StudyPlanCourse.objects.create(plan=plan, course=course, deadline=dt.date(plan.year, 12, 1))
    CourseCompletion.objects.create(user=people[0].user, course=course, completed_at=timezone.now(),
                                    class_hours=D("8"))
    s = scheme(plan.year, [
        {"code": "DONE", "name": "学习计划完成率", "kind": "study", "points": 10, "study_plan": plan,
         "study_measure": "completion"},
        {"code": "HOURS", "name": "人均学时", "kind": "study", "points": 10, "study_plan": plan, "study_measure": "hours"},
        entered(80)])
    result = compute_year(s)
    # Squad A has 6 enforcement officers on duty (2 on the roster, 4 more were candidates). One of them has
    # 8 of 16 hours and every required course, but not the hour target: nobody is done → 0.
    a = result.unit(units["A"].pk)
    assert a.cells["DONE"].score == D("0.00")
    # Mean hours 8 / 6 = 1.33 of 16 → 8.33 % → 0.83 points.
    assert a.cells["HOURS"].score == D("0.83")
    assert "适用6人，人均1.33学时" in a.cells["HOURS"].detail
    assert "年度学法计划" in a.cells["HOURS"].source
    # Squad E has no enforcement officer: nobody the plan applies to.
    assert result.unit(units["E"].pk).cells["DONE"].status == NO_DATA


def test_entered_values_are_not_stored_for_streets(units, assessor):
    s = scheme(2026, [exam(30), entered(70)])
    from lms.assessment.services.schemes import AssessmentError

    with pytest.raises(AssessmentError, match="不是中队"):
        enter_score(indicator=Indicator.objects.get(scheme=s, code="CASE"), unit=OrgUnit.objects.get(code="S1"),
                    value=5, actor=assessor)
    assert not EnteredScore.objects.exists()
