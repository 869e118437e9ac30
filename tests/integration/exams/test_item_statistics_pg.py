"""On PostgreSQL the marks are read as one text and the answers counted by one grouped query: the figures
must be the very ones the portable path gives (the hand-worked session of the unit tests)."""

import math

import pytest

from lms.exams.services import item_analysis
from lms.roster.models import Position
from tests.unit.exams.graded import build_graded_session
from tests.unit.exams.test_session_statistics import QUESTIONS, _people

pytestmark = [pytest.mark.integration]


@pytest.mark.django_db
def test_postgres_paths_give_the_hand_worked_figures(postgres_required, monkeypatch):
    from lms.exams.models import Response

    session, _versions = build_graded_session(questions=QUESTIONS, people=_people(), pass_mark="5")
    [(_attempt, _version, attempt_version, packed)] = item_analysis._binary_arrays(
        item_analysis.MARKS_ARRAYS_SQL, [session.pk, "exam", "submitted"])
    # Issuing papers copied every version and points: the one-scan read applies (no NULL in its arrays).
    assert attempt_version is not None and packed is not None and len(packed) == 40
    data = item_analysis.compute_session_report(session)
    assert data["test"]["sd"] == pytest.approx(math.sqrt(42 / 9))
    by_code = {q["code"]: q for q in data["questions"]}
    assert by_code["Q1"]["discrimination_index"] == pytest.approx(800 / math.sqrt(160))
    q3 = {o["key"]: (o["chosen"], o["top"], o["bottom"]) for o in by_code["Q3"]["distractors"]["options"]}
    assert q3 == {"A": (3, 0, 1), "B": (5, 3, 0), "C": (2, 0, 2), "D": (0, 0, 0)}
    # Ids too large to share an int8, or responses without their copy of version and points, are read
    # through the joins: the same figures.
    with monkeypatch.context() as patched:
        patched.setattr(item_analysis, "PACKED_ATTEMPT_IDS_BELOW", 0)
        assert item_analysis.compute_session_report(session) == data
    Response.objects.filter(attempt__session=session, position=1).update(version=None, points=None)
    assert item_analysis.compute_session_report(session) == data
    # The same session through the portable path (as on SQLite) gives identical JSON.
    monkeypatch.setattr(item_analysis.connection, "vendor", "sqlite")
    assert item_analysis.compute_session_report(session) == data


@pytest.mark.django_db(transaction=True)
def test_a_large_session_read_in_two_halves_gives_the_same_figures(postgres_required, monkeypatch):
    # Committed data (transaction=True): the second connection imports the first one's snapshot.
    session, _versions = build_graded_session(questions=QUESTIONS, people=_people(), pass_mark="5")
    monkeypatch.setattr(item_analysis, "MARKS_HALVES_FROM", 0)
    halves = []
    real = item_analysis._upper_half_in_snapshot
    monkeypatch.setattr(item_analysis, "_upper_half_in_snapshot", lambda *args: halves.append(1) or real(*args))
    data = item_analysis.compute_session_report(session)
    assert halves == [1]
    monkeypatch.setattr(item_analysis.connection, "vendor", "sqlite")
    assert item_analysis.compute_session_report(session) == data


# Answers as stored, well-formed or not, per question type: the option bits PostgreSQL computes must be the
# ones the portable path computes in Python.
ODD_ANSWERS = {
    "single": [None, [], ["A"], ["B"], ["D"], ["A", "C"], ["A", "A"], ["AB"], ["true"], "A", {"0": "A"}, [["A"]],
               [None], [1], ["H"], ["A", True]],
    "multiple": [None, [], ["A", "B"], ["B", "C", "D"], ["E"], ["A"], ["A", "A"], "A", [["A", "B"]], ["A", 1]],
    "true_false": [None, [], [True], [False], ["true"], ["false"], "true", True, [None], [[True]]],
    "fill_blank": [None, [], ["二十四小时"], ["A"], [["A"]]],
}


@pytest.mark.django_db
def test_every_kind_of_stored_answer_counts_as_on_the_portable_path(postgres_required, monkeypatch):
    import random

    from lms.exams.models import Response

    rng = random.Random(7)
    questions = [{"code": f"M{n}", "type": qtype, "answer": answer, "options": options, "kp": kp}
                 for n, (qtype, answer, options, kp) in enumerate([
                     ("single", ["A"], 4, "行政强制法"), ("single", ["C"], 4, "行政处罚法"),
                     ("multiple", ["A", "B"], 5, "行政强制法"), ("multiple", ["B", "C", "D"], 5, "行政处罚法"),
                     ("true_false", [True], 0, "行政强制法"), ("true_false", [False], 0, "行政处罚法"),
                     ("fill_blank", [["二十四小时"]], 0, "行政强制法")])]
    valid = {"single": lambda: [rng.choice("ABCD")], "multiple": lambda: rng.sample("ABCDE", rng.randint(1, 3)),
             "true_false": lambda: [rng.random() < 0.5], "fill_blank": lambda: [rng.choice(["二十四小时", "一天"])]}
    people = [{"squad": f"{i % 3}中队", "street": "东街道", "position": Position.ENFORCEMENT_OFFICER,
               "answers": {q["code"]: valid[q["type"]]() for q in questions}} for i in range(24)]
    session, _versions = build_graded_session(questions=questions, people=people, pass_mark="6", code="ODD")
    responses = list(Response.objects.filter(attempt__session=session).select_related("paper_question__question")
                     .order_by("pk"))
    for n, response in enumerate(responses):  # after marking: the scores stay, the answers become odd
        pool = ODD_ANSWERS[response.paper_question.question.type]
        if n % 3:
            response.answer = pool[n % len(pool)]
    Response.objects.bulk_update(responses, ["answer"])
    data = item_analysis.compute_session_report(session)
    assert data["counts"]["graded"] == 24
    monkeypatch.setattr(item_analysis.connection, "vendor", "sqlite")
    assert item_analysis.compute_session_report(session) == data


def test_benchmark_smoke(postgres_required):
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    # Named after the test database: two suites on one server must not empty each other's bench database.
    name = f"{settings.DATABASES['default']['NAME']}_stats_bench"
    env = {**os.environ, "DATABASE_URL": f"{base}/{name}"}
    subprocess.run(["psql", base + "/postgres", "-c", f'CREATE DATABASE "{name}"'], capture_output=True)
    result = subprocess.run(
        [sys.executable, "bench/item_statistics.py", "--attempts", "60", "--items", "10", "--bank", "30",
         "--repeat", "1"], cwd=root, env=env, capture_output=True, text=True, timeout=900, check=True)
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == 1
    figures = json.loads(lines[0])
    assert figures["responses"] == 600 and figures["questions"] == 30 and figures["floor_read_marks_s"] > 0
