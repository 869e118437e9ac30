"""Exclusion groups: no paper holds two questions of one group; the blueprint check counts a group as one
source, is exact about when groups make a blueprint impossible, and names the groups."""

from itertools import combinations

from django.db import transaction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from question_bank.assembly import assemble_paper, check_blueprint, plan_blueprint
from question_bank.exclusion import (
    ExclusionError,
    accept_proposal,
    articles_of,
    create_group,
    merge_groups,
    propose_groups,
    reject_proposal,
    split_group,
)
from question_bank.models import (
    ExclusionGroup,
    ExclusionGroupMember,
    KnowledgePoint,
    Question,
    QuestionStatus,
    QuestionVersion,
)
from tests.unit.exams.factories import build_blueprint


class _Rollback(Exception):
    pass


def _bank(spec):
    """spec: list of (type, difficulty, group index or None) → questions, with groups G0, G1 …"""
    root = KnowledgePoint.add_root(code="R", name="法律")
    kp = KnowledgePoint.objects.get(pk=root.pk).add_child(code="K", name="知识点K")
    groups, questions = {}, []
    for n, (qtype, difficulty, group) in enumerate(spec):
        options = ["甲", "乙", "丙", "丁"] if qtype == "single" else []
        answer = ["B"] if qtype == "single" else [True]
        q = Question.objects.create(code=f"Q{n:03d}", type=qtype, knowledge_point=kp, stem=f"第{n}题",
                                    options=options, answer=answer, difficulty=difficulty,
                                    status=QuestionStatus.ACTIVE)
        v = QuestionVersion.objects.create(question=q, number=1, stem=q.stem, options=options, answer=answer,
                                           difficulty=difficulty)
        Question.objects.filter(pk=q.pk).update(current_version=v)
        if group is not None:
            if group not in groups:
                groups[group] = ExclusionGroup.objects.create(code=f"G{group}", name=f"事实{group}")
            ExclusionGroupMember.objects.create(group=groups[group], question=q)
        questions.append((q.pk, qtype, difficulty, group))
    return questions


def _paper_exists(questions, sections, diff_quota):
    """Brute force: some set of questions fills every section (and the difficulty quota of the single
    section), with no two of one group."""
    need = sum(sections.values())
    for chosen in combinations(questions, need):
        groups = [g for _pk, _t, _d, g in chosen if g is not None]
        if len(groups) != len(set(groups)):
            continue
        if any(sum(1 for c in chosen if c[1] == t) != n for t, n in sections.items()):
            continue
        if diff_quota and any(sum(1 for c in chosen if c[1] == "single" and c[2] == d) != n
                              for d, n in diff_quota.items()):
            continue
        return True
    return False


question_spec = st.tuples(st.sampled_from(["single", "true_false"]), st.integers(1, 2),
                          st.one_of(st.none(), st.integers(0, 2)))


@given(spec=st.lists(question_spec, min_size=1, max_size=8), single=st.integers(1, 3),
       true_false=st.integers(0, 2), quota=st.booleans(), seed=st.text(min_size=1, max_size=8))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@pytest.mark.django_db
def test_no_paper_holds_two_of_a_group_and_the_check_is_exact(spec, single, true_false, quota, seed):
    try:
        with transaction.atomic():
            questions = _bank(spec)
            sections = {"single": single, **({"true_false": true_false} if true_false else {})}
            diff_quota = None
            quotas = []
            if quota and single >= 2:
                diff_quota = {1: single // 2, 2: single - single // 2}
                quotas = [("single", d, n, None) for d, n in diff_quota.items()]
            bp = build_blueprint(sections=[(t, n, "2") for t, n in sections.items()], diff_quotas=quotas)
            check = check_blueprint(bp)
            assert check.ok == _paper_exists(questions, sections, diff_quota), check.issues
            if check.ok:
                plan = plan_blueprint(bp)
                group_of = {pk: g for pk, _t, _d, g in questions}
                for key in ("A", "B", "C"):
                    items = assemble_paper(plan=plan, seed=seed, key=key)
                    groups = [group_of[i.question_id] for i in items if group_of[i.question_id] is not None]
                    assert len(groups) == len(set(groups))
                    assert len({i.question_id for i in items}) == len(items) == sum(sections.values())
                    assert assemble_paper(plan=plan, seed=seed, key=key) == items
            raise _Rollback
    except _Rollback:
        pass


@pytest.mark.django_db
def test_a_group_counts_as_one_source_for_a_cell():
    # three single-choice questions, two of which test one fact: a section of three cannot be filled
    _bank([("single", 2, 0), ("single", 2, 0), ("single", 2, None)])
    check = check_blueprint(build_blueprint(sections=[("single", 3, "2")]))
    assert not check.ok
    assert check_blueprint(build_blueprint(name="两题", sections=[("single", 2, "2")])).ok


@pytest.mark.django_db
def test_the_check_names_the_group_that_makes_a_blueprint_impossible():
    _bank([("single", 1, 0), ("single", 1, 0), ("true_false", 1, 0), ("true_false", 1, None)])
    check = check_blueprint(build_blueprint(sections=[("single", 1, "2"), ("true_false", 2, "2")]))
    assert not check.ok
    assert any("G0" in issue and "事实0" in issue for issue in check.issues), check.issues


@pytest.mark.django_db
def test_groups_spanning_cells_are_re_planned_instead_of_refused():
    # difficulty 1 holds only grouped questions, difficulty 2 ungrouped ones: the check must find the plan
    _bank([("single", 1, 0), ("single", 1, 0), ("single", 2, None), ("single", 2, None)])
    check = check_blueprint(build_blueprint(sections=[("single", 3, "2")]))
    assert check.ok, check.issues
    assert sum(c.count for c in check.cells) == 3


@pytest.mark.django_db
def test_blueprint_check_page_names_the_group(client, trainer):
    from django.urls import reverse

    _bank([("single", 1, 0), ("single", 1, 0)])
    bp = build_blueprint(sections=[("single", 2, "2")])
    client.force_login(trainer)
    text = client.get(reverse("exams_admin:blueprint_check", args=[bp.pk])).content.decode()
    assert "G0" in text and "事实0" in text


# --- proposals and the trainer's decisions --------------------------------------------------------------


def test_articles_are_read_from_the_legal_basis():
    assert articles_of("《中华人民共和国行政强制法》第十九条、第二十条；《行政处罚法》第33条") == {
        ("行政强制法", "第十九条"), ("行政强制法", "第二十条"), ("行政处罚法", "第33条")}


@pytest.fixture
def four(make_question):
    return [
        make_question(code="A1", stem="紧急情况下当场实施行政强制措施，应当在多长时间内向负责人报告？"),
        make_question(code="A2", question_type="true_false", options=[], answer=[True],
                      stem="当场实施行政强制措施后，执法人员应当在二十四小时内向行政机关负责人报告。"),
        make_question(code="A3", stem="查封、扣押的期限一般不得超过多少日？", options=["15日", "30日", "60日", "90日"],
                      legal_basis="《行政强制法》第二十五条"),
        make_question(code="A4", question_type="fill_blank", options=[], answer=[["24小时"]],
                      stem="当场实施行政强制措施的，应当在____内报告并补办批准手续。",
                      legal_basis="《行政强制法》第十九条"),
    ]


def test_questions_on_one_article_and_knowledge_point_are_proposed_together(four):
    proposals = propose_groups()
    assert [p.codes for p in proposals] == [["A1", "A2", "A4"]]
    assert any("第十九条" in reason for reason in proposals[0].reasons)


def test_accepting_makes_a_group_and_it_is_not_proposed_again(four, trainer):
    a1, a2, _a3, a4 = four
    group = accept_proposal(questions=[a1, a2, a4], name="24小时报告", actor=trainer)
    assert set(group.members.values_list("question__code", flat=True)) == {"A1", "A2", "A4"}
    assert propose_groups() == []


def test_rejecting_a_proposal_remembers_the_pairs(four, trainer):
    a1, a2, _a3, a4 = four
    reject_proposal(questions=[a1, a2, a4], actor=trainer)
    assert propose_groups() == []


def test_split_takes_questions_out_and_they_are_not_proposed_back(four, trainer):
    a1, a2, _a3, a4 = four
    group = accept_proposal(questions=[a1, a2, a4], actor=trainer)
    split_group(group=group, questions=[a2], actor=trainer)
    assert set(group.members.values_list("question__code", flat=True)) == {"A1", "A4"}
    assert propose_groups() == []


def test_merge_puts_every_member_in_one_group(four, trainer):
    a1, a2, a3, a4 = four
    first = create_group(questions=[a1, a2], code="HC1", actor=trainer)
    second = create_group(questions=[a3, a4], code="HC2", actor=trainer)
    merged = merge_groups(groups=[second, first], actor=trainer)
    assert merged.code == "HC1" and merged.members.count() == 4
    assert not ExclusionGroup.objects.filter(code="HC2").exists()


def test_a_group_needs_two_questions(four, trainer):
    with pytest.raises(ExclusionError):
        create_group(questions=[four[0]], actor=trainer)


@pytest.mark.django_db
def test_a_fixed_plan_that_groups_made_impossible_is_refused_with_the_group_named():
    from question_bank.assembly import BlueprintInfeasible, cells_as_json, plan_from_json

    questions = _bank([("single", 1, None), ("single", 1, None)])
    bp = build_blueprint(sections=[("single", 2, "2")])
    fixed = cells_as_json(plan_blueprint(bp).cells)
    group = ExclusionGroup.objects.create(code="G9", name="后来确认的同一事实")
    for pk, *_rest in questions:
        ExclusionGroupMember.objects.create(group=group, question_id=pk)
    with pytest.raises(BlueprintInfeasible, match="G9"):
        plan_from_json(bp, fixed)
