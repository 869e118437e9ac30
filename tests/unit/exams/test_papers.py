"""Fair papers: every paper fills exactly the blueprint's cells, never repeats a question, pins frozen
versions and is the same when assembled again from the same seed and candidate."""

from collections import Counter
from decimal import Decimal

from django.core.management import call_command

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.core.models import AuditEntry
from lms.exams.models import Paper, PaperMode, PaperQuestion, SessionStatus
from lms.exams.services.draw import draw_candidates, excuse_candidate
from lms.exams.services.papers import issue_papers
from lms.exams.services.sessions import ExamError
from lms.roster.models import Position
from question_bank.assembly import assemble_paper, check_blueprint, plan_blueprint
from question_bank.models import Question, QuestionVersion

from .factories import build_bank, build_blueprint, build_district, build_session

BANK = {
    ("single", "K1", 2): 6, ("single", "K1", 3): 6, ("single", "K2", 3): 5, ("single", "K2", 4): 3,
    ("multiple", "K1", 3): 4, ("multiple", "K2", 3): 4,
    ("true_false", "K1", 1): 5, ("true_false", "K2", 2): 5,
}


def _blueprint(kps):
    return build_blueprint(
        sections=[("single", 8, "2"), ("multiple", 4, "3"), ("true_false", 5, "1")],
        kp_quotas=[("single", kps["K1"], 5, None), ("single", kps["K2"], 3, None)],
        diff_quotas=[("single", 3, None, Decimal("50")), ("single", 2, None, Decimal("25")),
                     ("single", 4, None, Decimal("25"))],
    )


def _cells_of(items):
    return Counter(i.cell for i in items)


@pytest.mark.django_db
def test_plan_honours_quotas_and_reports_nothing():
    kps = build_bank(BANK)
    check = check_blueprint(_blueprint(kps))
    assert check.ok, check.issues
    assert check.total_points == Decimal("33") and check.question_count == 17
    single = [c for c in check.cells if c.question_type == "single"]
    assert sum(c.count for c in single if c.knowledge_point_id == kps["K1"].pk) == 5
    assert Counter(dict.fromkeys((2, 3, 4), 0)) + Counter(
        {d: sum(c.count for c in single if c.difficulty == d) for d in (2, 3, 4)}) == Counter({3: 4, 2: 2, 4: 2})


@pytest.mark.django_db
def test_infeasible_cells_are_named():
    kps = build_bank(BANK)
    bp = build_blueprint(sections=[("multiple", 6, "2")],
                         kp_quotas=[("multiple", kps["K1"], 6, None)])
    check = check_blueprint(bp)
    assert not check.ok
    assert any("知识点K1" in issue and "6" in issue and "4" in issue for issue in check.issues), check.issues


@pytest.mark.django_db
def test_quota_mistakes_are_reported():
    kps = build_bank(BANK)
    bp = build_blueprint(sections=[("single", 8, "2")],
                         kp_quotas=[("single", kps["K1"], 3, None)],
                         diff_quotas=[("single", 3, None, Decimal("60"))])
    issues = check_blueprint(bp).issues
    assert len(issues) == 2


@given(keys=st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=6, unique=True),
       seed=st.text(min_size=1, max_size=16))
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@pytest.mark.django_db
def test_every_paper_fills_the_same_cells_without_repeats_and_is_reproducible(keys, seed):
    if not QuestionVersion.objects.exists():
        build_bank(BANK)
    from question_bank.models import KnowledgePoint

    kps = {kp.code: kp for kp in KnowledgePoint.objects.all()}
    from question_bank.models import Blueprint

    bp = Blueprint.objects.filter(name="测试方案").first() or _blueprint(kps)
    plan = plan_blueprint(bp)
    expected = Counter({c.key: c.count for c in plan.cells})
    for key in keys:
        items = assemble_paper(plan=plan, seed=seed, key=key)
        assert _cells_of(items) == expected
        assert len({i.question_id for i in items}) == len(items) == plan.question_count
        assert [i.section for i in items] == sorted(i.section for i in items)
        for i in items:
            if i.option_order:
                assert sorted(i.option_order) == [0, 1, 2, 3]
        assert assemble_paper(plan=plan, seed=seed, key=key) == items


@pytest.fixture
def drawn_session(db):
    build_district([{Position.SQUAD_LEADER: 1, Position.LEGAL_OFFICER: 1, Position.ENFORCEMENT_OFFICER: 8}])
    kps = build_bank(BANK)

    def make(mode=PaperMode.PER_CANDIDATE):
        session = build_session(blueprint=_blueprint(kps), paper_mode=mode, code=f"S-{mode}")
        draw_candidates(session=session, seed="seed")
        return session

    return make


def test_issue_papers_pins_and_freezes_versions_and_is_audited(drawn_session):
    session = drawn_session()
    count = issue_papers(session=session)
    session.refresh_from_db()
    assert count == 5 and session.status == SessionStatus.PAPERS_ISSUED and session.paper_plan
    used = set(PaperQuestion.objects.filter(paper__session=session).values_list("version_id", flat=True))
    assert not QuestionVersion.objects.filter(id__in=used, frozen_at__isnull=True).exists()
    assert set(Question.objects.filter(versions__id__in=used).values_list("current_version_id", flat=True)) == used
    papers = list(Paper.objects.filter(session=session))
    assert all(p.question_count == 17 and p.total_points == Decimal("33") for p in papers)
    assert len({tuple(p.questions.values_list("question_id", flat=True)) for p in papers}) > 1
    assert AuditEntry.objects.filter(action="exams.issue_papers", data__papers=5).exists()
    assert issue_papers(session=session) == 0  # idempotent


def test_issue_requires_a_draw(db):
    kps = build_bank(BANK)
    session = build_session(blueprint=_blueprint(kps))
    with pytest.raises(ExamError):
        issue_papers(session=session)


def test_shared_mode_gives_everyone_the_same_paper(drawn_session):
    session = drawn_session(PaperMode.SHARED)
    issue_papers(session=session)
    orders = {tuple((q, tuple(o)) for q, o in p.questions.values_list("question_id", "option_order"))
              for p in Paper.objects.filter(session=session)}
    assert len(orders) == 1


def test_ab_mode_gives_two_variants_alternating_by_seat(drawn_session):
    session = drawn_session(PaperMode.AB)
    issue_papers(session=session)
    papers = Paper.objects.filter(session=session).select_related("candidate")
    assert {p.variant for p in papers} == {"A", "B"}
    for p in papers:
        assert p.variant == ("A" if p.candidate.seat % 2 else "B")
    by_variant = {}
    for p in papers:
        by_variant.setdefault(p.variant, set()).add(tuple(p.questions.values_list("question_id", flat=True)))
    assert all(len(v) == 1 for v in by_variant.values())


def test_replacement_after_issue_gets_a_paper(drawn_session):
    session = drawn_session()
    issue_papers(session=session)
    sampled = session.candidates.filter(reason="sampled").first()
    replacement = excuse_candidate(candidate=sampled, reason="病假", approved_by="科长")
    assert Paper.objects.filter(candidate=replacement).exists()


def test_issue_papers_command(drawn_session, capsys):
    session = drawn_session()
    call_command("issue_papers", session.code)
    assert "5 papers issued" in capsys.readouterr().out
