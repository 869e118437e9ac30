"""The exam demo: a 100-point blueprint and DEMO-ONSITE with a verified draw and issued papers; idempotent,
and a note instead of an error when the roster or the bank is empty."""

import io

from django.core.management import call_command

import pytest

from lms.exams import demo
from lms.exams.models import ExamSession, Paper, SessionStatus
from lms.exams.services.draw import verify_draw


@pytest.mark.django_db
def test_demo_exam_is_created_once_with_papers(capsys):
    call_command("seed_demo")
    session = ExamSession.objects.get(code="DEMO-ONSITE")
    assert session.status == SessionStatus.PAPERS_ISSUED
    assert session.blueprint.total_points == 100
    assert verify_draw(draw=session.current_draw).ok
    papers = Paper.objects.filter(session=session).count()
    assert papers == session.candidates.exclude(attendance="excused").count() > 0
    assert session.candidates.filter(person__user__username="demo_officer").exists()
    # the stratified rule: every sampled position with eligible people in a squad has candidates
    draw = session.current_draw
    assert session.stratify_by_position and draw.rule["by_position"] is True
    from lms.roster.models import RosterSnapshotEntry

    strata = set(RosterSnapshotEntry.objects.filter(
        snapshot=draw.snapshot, status="on_duty", position__in=draw.rule["sampled_positions"],
        squad_code__in=draw.rule["squad_codes"]).values_list("squad_code", "position"))
    assert strata and strata == set(draw.candidates.filter(reason="sampled").values_list("squad_code", "position"))
    # no paper holds two questions of one exclusion group
    from lms.exams.models import PaperQuestion
    from question_bank.models import ExclusionGroupMember

    group_of = dict(ExclusionGroupMember.objects.values_list("question_id", "group_id"))
    assert group_of
    for paper in Paper.objects.filter(session=session):
        groups = [group_of[q] for q in PaperQuestion.objects.filter(paper=paper).values_list(
            "question_id", flat=True) if q in group_of]
        assert len(groups) == len(set(groups))
    call_command("seed_demo")
    assert Paper.objects.filter(session=session).count() == papers


@pytest.mark.django_db
def test_demo_degrades_gracefully_without_roster_or_bank():
    out = io.StringIO()
    demo.seed_demo(out)
    assert "empty" in out.getvalue()
    assert not ExamSession.objects.exists()
