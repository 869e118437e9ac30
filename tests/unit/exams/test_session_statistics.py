"""Session statistics on generated sessions whose answers are known; every expected value is worked out by
hand in the comments (ten candidates, four 2-point questions, pass mark 5 of 8)."""

import math

from django.core.management import call_command

import pytest

from lms.exams import psychometrics as st
from lms.exams.models import SessionStatistics, StatisticsStatus
from lms.exams.services.item_analysis import (
    compute_session_report,
    refresh_session_statistics,
    statistics_for,
)
from lms.roster.models import Position
from question_bank.models import VersionHealth, VersionSessionStatistics

from .graded import ABSENT, build_graded_session

pytestmark = pytest.mark.django_db

QUESTIONS = [
    {"code": "Q1", "type": "single", "answer": ["A"], "kp": "行政强制法"},  # the strong five right: perfect
    {"code": "Q2", "type": "single", "answer": ["A"], "kp": "行政强制法"},  # everyone right
    {"code": "Q3", "type": "single", "answer": ["B"], "kp": "行政处罚法"},  # D chosen by nobody
    {"code": "Q4", "type": "true_false", "answer": [True], "kp": "行政处罚法"},
]
# Right (1) or wrong (0) per candidate c1 … c10, and the wrong option chosen.
#        c1 c2 c3 c4 c5 c6 c7 c8 c9 c10
Q1 = "1 1 1 1 1 0 0 0 0 0"
Q1_WRONG = "BCDBC"  # c6 … c10: every wrong option of Q1 is chosen by someone
Q3 = "B B B A B C B A C A"
Q4 = "1 1 0 1 0 1 0 1 0 0"
# Totals (2 points each): 8 8 6 6 6 4 4 4 2 2 → mean 5, median 5.
TOTALS = [8, 8, 6, 6, 6, 4, 4, 4, 2, 2]
POSITIONS = [Position.SQUAD_LEADER, Position.LEGAL_OFFICER, Position.ENFORCEMENT_OFFICER,
             Position.ENFORCEMENT_OFFICER, Position.AUXILIARY]


def _people():
    people = []
    for i in range(10):
        answers = {
            "Q1": ["A"] if Q1.split()[i] == "1" else [Q1_WRONG[i - 5]],
            "Q2": ["A"],
            "Q3": [Q3.split()[i]],
            "Q4": [Q4.split()[i] == "1"],
        }
        people.append({"squad": "一中队" if i < 5 else "二中队", "street": "东街道" if i < 5 else "西街道",
                       "position": POSITIONS[i % 5], "answers": answers})
    # One absentee in each squad: counted as absent, never in the figures.
    people.append({"squad": "一中队", "street": "东街道", "position": Position.ENFORCEMENT_OFFICER, "answers": ABSENT})
    people.append({"squad": "二中队", "street": "西街道", "position": Position.AUXILIARY, "answers": ABSENT})
    return people


@pytest.fixture
def report():
    session, versions = build_graded_session(questions=QUESTIONS, people=_people(), pass_mark="5")
    data = compute_session_report(session)
    data["by_code"] = {q["code"]: q for q in data["questions"]}
    return data


def test_graded_attempts_and_absentees_are_counted(report):
    assert report["counts"]["graded"] == 10
    assert report["counts"]["absent"] == 2
    assert report["counts"]["passed"] == 5  # totals 8, 8, 6, 6, 6 reach 5


def test_test_figures_worked_by_hand(report):
    test = report["test"]
    assert test["attempts"] == 10
    assert test["mean"] == pytest.approx(5)
    assert test["median"] == pytest.approx(5)
    # Deviations 3 3 1 1 1 −1 −1 −1 −3 −3: Σd² = 42, Σd³ = 0, Σd⁴ = 330.
    assert test["sd"] == pytest.approx(math.sqrt(42 / 9))
    assert test["skewness"] == pytest.approx(0, abs=1e-12)
    m2, m4, s = 4.2, 33.0, 10
    k2 = s * m2 / (s - 1)
    k4 = s * s * ((s + 1) * m4 - 3 * (s - 1) * m2 * m2) / ((s - 1) * (s - 2) * (s - 3))
    assert test["kurtosis"] == pytest.approx(k4 / k2 ** 2)  # −1.0321
    # Item variances 10/9, 0, 10/9, 10/9 → CIC = 4/3 × (1 − (30/9)/(42/9)) = 38.10 %.
    assert test["cic"] == pytest.approx(100 * 4 / 3 * (1 - 30 / 42))
    assert test["error_ratio"] == pytest.approx(100 * math.sqrt(1 - 4 / 3 * (12 / 42)))
    assert test["standard_error"] == pytest.approx(test["error_ratio"] * math.sqrt(42 / 9) / 100)


def test_a_perfectly_discriminating_question(report):
    q1 = report["by_code"]["Q1"]
    assert q1["facility"] == pytest.approx(0.5)
    assert q1["sd"] == pytest.approx(math.sqrt(10 / 9) / 1)  # marks 2 or 0 around 1
    # Rest scores 6 6 4 4 4 | 4 4 4 2 2: cov = 8/9, var(rest) = 16/9 → 100·(8/9)/√(10/9·16/9) = 63.25 %.
    assert q1["discrimination_index"] == pytest.approx(800 / math.sqrt(160))
    # Sorting both columns pairs them exactly as they are: efficiency 100 %.
    assert q1["discriminative_efficiency"] == pytest.approx(100)


def test_a_question_everyone_gets_right(report):
    q2 = report["by_code"]["Q2"]
    assert q2["facility"] == pytest.approx(1.0)
    assert q2["sd"] == pytest.approx(0)
    assert q2["discrimination_index"] is None
    assert q2["missing"]["discrimination_index"] == st.ITEM_NO_SPREAD
    assert q2["random_guess_score"] == pytest.approx(0.25)  # one of four options


def test_distractor_nobody_picks_and_the_top_and_bottom_groups(report):
    q3 = report["by_code"]["Q3"]["distractors"]
    # 27 % of 10 is 3: top = c1 c2 c3 (8, 8, 6; ties by attempt), bottom = c9 c10 c6 (2, 2, 4).
    assert (q3["top_size"], q3["bottom_size"]) == (3, 3)
    counts = {o["key"]: (o["chosen"], o["top"], o["bottom"]) for o in q3["options"]}
    assert counts == {"A": (3, 0, 1), "B": (5, 3, 0), "C": (2, 0, 2), "D": (0, 0, 0)}
    assert q3["unused_distractors"] == ["D"]
    assert q3["attractive_distractors"] == []


def test_squads_streets_and_positions(report):
    squads = {s["name"]: s for s in report["squads"]}
    assert squads["一中队"]["participants"] == 5 and squads["一中队"]["absent"] == 1
    assert squads["一中队"]["mean"] == pytest.approx(6.8)
    assert squads["一中队"]["pass_rate"] == pytest.approx(1.0)
    assert squads["二中队"]["mean"] == pytest.approx(3.2) and squads["二中队"]["pass_rate"] == 0
    assert squads["一中队"]["box"] == pytest.approx([6, 6, 6, 8, 8])
    assert {s["name"] for s in report["streets"]} == {"东街道", "西街道"}
    positions = {p["name"]: p for p in report["positions"]}
    # Leaders c1 (8) and c6 (4); auxiliaries c5 (6), c10 (2) and one absentee.
    assert positions["leaders"]["mean"] == pytest.approx(6)
    assert positions["auxiliaries"]["participants"] == 2 and positions["auxiliaries"]["absent"] == 1


def test_knowledge_point_mastery_per_squad(report):
    kps = report["mastery"]["knowledge_points"]
    rows = {r["squad"]: dict(zip(kps, r["values"], strict=True)) for r in report["mastery"]["rows"]}
    # 一中队 on 行政强制法 (Q1, Q2): 10 + 10 of 20 points; on 行政处罚法 (Q3, Q4): Q3 4 right, Q4 3 right → 14/20.
    assert rows["一中队"]["行政强制法"] == pytest.approx(1.0)
    assert rows["一中队"]["行政处罚法"] == pytest.approx(14 / 20)
    # 二中队: Q1 none, Q2 all → 10/20; Q3 one right (c7), Q4 two (c6, c8) → 6/20.
    assert rows["二中队"]["行政强制法"] == pytest.approx(0.5)
    assert rows["二中队"]["行政处罚法"] == pytest.approx(6 / 20)


def test_histogram_counts_every_graded_total(report):
    assert sum(b["count"] for b in report["histogram"]) == 10
    assert report["session"]["pass_mark"] == 5


def test_refresh_caches_and_feeds_item_health(db):
    session, versions = build_graded_session(questions=QUESTIONS, people=_people(), pass_mark="5")
    stats = refresh_session_statistics(session_id=session.pk)
    assert stats.status == StatisticsStatus.READY
    assert statistics_for(session) == (stats, False)
    assert VersionSessionStatistics.objects.filter(source_key=f"exams.session:{session.pk}").count() == 4
    health = {h.version.question.code: h for h in VersionHealth.objects.select_related("version__question")}
    assert health["Q2"].flags == ["too_easy", "unused_distractor"]  # everyone chose A: B, C, D unused
    assert "unused_distractor" in health["Q3"].flags
    assert not health["Q1"].flagged
    # Recomputing (a regrade) replaces this session's rows instead of counting it twice.
    refresh_session_statistics(session_id=session.pk)
    assert VersionHealth.objects.get(version=versions["Q2"]).attempts == 10


def test_refresh_returns_the_very_figures_it_stored(db):
    import json

    session, _versions = build_graded_session(questions=QUESTIONS, people=_people(), pass_mark="5")
    stats = refresh_session_statistics(session_id=session.pk)
    stored = SessionStatistics.objects.get(session=session).data
    assert stats.data == stored
    assert json.dumps(stats.data, sort_keys=True) == json.dumps(stored, sort_keys=True)


def test_a_new_mark_makes_the_cache_stale(db):
    from lms.exams.models import Mark, MarkSource, Response

    session, _versions = build_graded_session(questions=QUESTIONS, people=_people(), pass_mark="5")
    refresh_session_statistics(session_id=session.pk)
    response = Response.objects.filter(attempt__session=session, score__isnull=False).first()
    Mark.objects.create(response=response, score=response.score, source=MarkSource.REGRADE, reason="key corrected")
    assert statistics_for(session)[1] is True


def test_fewer_than_two_attempts_says_why(db, capsys):
    people = _people()[:1]
    session, _versions = build_graded_session(questions=QUESTIONS, people=people, pass_mark="5", code="ONE")
    data = compute_session_report(session)
    assert data["test"]["attempts"] == 1 and data["test"]["mean"] == pytest.approx(8)
    assert data["test"]["sd"] is None
    assert data["test"]["missing"]["sd"] == st.NEEDS_2_ATTEMPTS
    call_command("item_statistics", "ONE")
    out = capsys.readouterr().out
    assert "—" in out and ("at least two graded attempts" in out or "至少需要两份已阅答卷" in out)


def test_session_command_json(db, capsys):
    import json

    session, _versions = build_graded_session(questions=QUESTIONS, people=_people(), pass_mark="5", code="JS")
    call_command("item_statistics", "JS", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["attempts"] == 10 and data["mean"] == pytest.approx(5)
    assert {q["code"] for q in data["questions"]} == {"Q1", "Q2", "Q3", "Q4"}
    assert SessionStatistics.objects.get(session=session).status == StatisticsStatus.READY


def test_grading_a_session_queues_the_statistics_task(db, django_capture_on_commit_callbacks):
    from lms.exams.models import ExamSession, SessionStatus
    from lms.exams.services.sessions import move_session

    session, _versions = build_graded_session(questions=QUESTIONS, people=_people(), pass_mark="5", code="MV")
    ExamSession.objects.filter(pk=session.pk).update(status=SessionStatus.CLOSED)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        move_session(session=session, to=SessionStatus.GRADED)
    # Saving the session also forgets its attempts' save facts after the commit; the statistics are queued once.
    assert [callback.__qualname__ for callback in callbacks].count("request_statistics.<locals>.<lambda>") == 1
    stats = SessionStatistics.objects.get(session=session)
    assert stats.status == StatisticsStatus.READY and stats.data["counts"]["graded"] == 10
