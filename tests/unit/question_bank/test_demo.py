"""The demo bank loads through the services, is idempotent, and survives an Excel round trip unchanged."""

import io

import pytest

from question_bank.demo import seed_demo
from question_bank.demo_data import QUESTIONS
from question_bank.imports.excel import export_workbook
from question_bank.imports.service import import_questions
from question_bank.models import KnowledgePoint, Question, QuestionStatus, QuestionVersion

pytestmark = pytest.mark.django_db

TINY_KPS = [("T", "测试法", None), ("T-1", "第一章", "T")]
TINY_QUESTIONS = [
    {"code": "T-S1", "type": "single", "kp": "T-1", "difficulty": 1, "stem": "一加一等于几？", "options": ["一", "二"], "answer": ["B"],
         "reference_answer": "", "marking_points": [], "explanation": "算术。", "legal_basis": "常识", "points": 2},
    {"code": "T-F1", "type": "fill_blank", "kp": "T-1", "difficulty": 2, "stem": "（ ）是首都。", "options": [], "answer": [["北京"]],
         "reference_answer": "", "marking_points": [], "explanation": "", "legal_basis": "宪法第一百四十三条", "points": 2},
]


def test_seed_demo_with_a_tiny_fixture_is_idempotent():
    seed_demo(io.StringIO(), knowledge_points=TINY_KPS, questions=TINY_QUESTIONS)
    seed_demo(io.StringIO(), knowledge_points=TINY_KPS, questions=TINY_QUESTIONS)
    assert Question.objects.count() == 2 and KnowledgePoint.objects.count() == 2
    assert set(Question.objects.values_list("status", flat=True)) == {QuestionStatus.ACTIVE}
    assert KnowledgePoint.objects.get(code="T-1").get_parent().code == "T"


def test_the_real_demo_bank_loads_every_question_active_with_explanation_and_basis():
    out = io.StringIO()
    seed_demo(out)
    assert Question.objects.filter(status=QuestionStatus.ACTIVE).count() == len(QUESTIONS) >= 200
    assert set(Question.objects.values_list("type", flat=True)) == {"single", "multiple", "true_false", "fill_blank", "essay"}
    assert not Question.objects.filter(explanation="").exists() and not Question.objects.filter(legal_basis="").exists()
    assert QuestionVersion.objects.count() == len(QUESTIONS)
    seed_demo(out)
    assert Question.objects.count() == len(QUESTIONS)


def test_the_demo_bank_loads_its_exclusion_groups_considered_warnings_and_separations():
    from question_bank.demo_data import CONSIDERED, DIFFERENT_FACTS, GROUPS
    from question_bank.models import (
        ExclusionGroup,
        ExclusionGroupMember,
        ExclusionSeparation,
        ItemCheckReview,
    )

    seed_demo(io.StringIO())
    assert ExclusionGroup.objects.count() == len(GROUPS)
    assert ExclusionGroupMember.objects.count() == sum(len(m) for _n, m in GROUPS.values())
    assert ExclusionGroup.objects.get(code="HC-QZ06").members.filter(question__code="BJ-F01").exists()
    assert ItemCheckReview.objects.count() == sum(len(c) for c in CONSIDERED.values())
    assert ExclusionSeparation.objects.count() == len(DIFFERENT_FACTS)
    seed_demo(io.StringIO())
    assert ExclusionGroupMember.objects.count() == sum(len(m) for _n, m in GROUPS.values())


def test_the_loaded_demo_bank_passes_the_severe_checks_and_has_no_proposals_left():
    from question_bank.exclusion import propose_groups
    from question_bank.item_checks import bank_report

    seed_demo(io.StringIO())
    report = bank_report()
    assert report.severe_ok
    # what proposals remain are similar wording or a shared article, for a trainer to judge; none is a giveaway
    giveaway = [p.codes for p in propose_groups() if any("key" in r or "答案" in r for r in p.reasons)]
    assert giveaway == []


def test_round_trip_export_import_into_empty_bank_export_gives_identical_file():
    # the 互斥组 column carries the groups: the second export is byte-identical, groups included
    seed_demo(io.StringIO())
    first = export_workbook()
    Question.objects.all().delete()
    KnowledgePoint.objects.all().delete()
    report = import_questions(data=first, check_duplicates=False)
    assert report.ok, report.errors[:5]
    assert report.counts["create"] == len(QUESTIONS)
    second = export_workbook()
    assert second == first
