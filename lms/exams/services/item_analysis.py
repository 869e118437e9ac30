"""Item analysis and report figures of a graded session (成绩分析), computed once and cached.

`compute_session_report` reads the session's graded first attempts (one attempt per candidate) and their
response scores in one pass, and returns every figure the report screens, the PDF and the workbook show
(as plain JSON). `refresh_session_statistics` stores it in SessionStatistics with the marks' fingerprint and
passes each question version's figures to the question bank's item health. The Celery task calls it when a
session is graded or regraded; screens call `statistics_for` and queue a recomputation when the marks
changed since (regrading only ever adds marks, so the fingerprint changes with every regrade).

Items are the paper's positions (slots), as in Moodle; marks are scaled to each slot's maximum. Because a
session usually gives every candidate a different paper, the report also analyses every question version
over the attempts that saw it (its rest score being that attempt's total less the question): that is the
table trainers read and what the question bank accumulates. For a shared paper both views coincide.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import math
from collections import Counter, defaultdict
from collections.abc import Callable
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone

from lms.roster.models import OrgUnit, Position
from question_bank.grading import OPTION_KEYS, score_response
from question_bank.models import KnowledgePoint, QuestionVersion
from question_bank.services.item_health import record_exam_statistics

from .. import psychometrics as st
from ..models import (
    Attempt,
    AttemptKind,
    AttemptStatus,
    Attendance,
    ExamSession,
    Mark,
    Response,
    SessionStatistics,
    StatisticsStatus,
)

logger = logging.getLogger(__name__)

CHOICE_TYPES = ("single", "multiple", "true_false")
# Position groups of the report (DOMAIN: 中队领导, 法制员, 执法队员, 协管员).
POSITION_GROUPS = [
    ("leaders", (Position.SQUAD_LEADER, Position.DEPUTY_SQUAD_LEADER, Position.INSTRUCTOR)),
    ("legal_officers", (Position.LEGAL_OFFICER,)),
    ("enforcement_officers", (Position.ENFORCEMENT_OFFICER,)),
    ("auxiliaries", (Position.AUXILIARY,)),
    ("others", (Position.CLERK,)),
]
PROGRESS_STEPS = 6
HISTOGRAM_BINS = 20

MARKS_SQL = """
SELECT r.attempt_id, r.position, pq.version_id, CAST(pq.points AS DOUBLE PRECISION),
       CAST(r.score AS DOUBLE PRECISION)
  FROM exams_response r
  JOIN exams_attempt a ON a.id = r.attempt_id
  JOIN exams_paperquestion pq ON pq.id = r.paper_question_id
 WHERE a.session_id = %s AND a.kind = %s AND a.status = %s AND a.graded_at IS NOT NULL
"""


def graded_attempts(session: ExamSession):
    """The attempts the statistics count: the candidate's one exam attempt, submitted and fully marked."""
    return Attempt.objects.filter(session=session, kind=AttemptKind.EXAM, status=AttemptStatus.SUBMITTED,
                                  graded_at__isnull=False)


def marks_fingerprint(session: ExamSession) -> str:
    """Changes whenever a mark is added (every grading and regrade adds marks) or an attempt changes."""
    marks = Mark.objects.filter(response__attempt__session=session).aggregate(last=Max("id"), n=Count("id"))
    attempts = sorted(
        (row["status"], row["n"], str(row["total"]), row["graded"])
        for row in Attempt.objects.filter(session=session).values("status").annotate(
            n=Count("id"), total=Sum("score"), graded=Count("graded_at"))
    )
    attendance = sorted(session.candidates.values_list("attendance").annotate(n=Count("id")))
    text = repr((marks["last"], marks["n"], attempts, attendance, str(session.pass_mark)))
    return hashlib.sha256(text.encode()).hexdigest()


# --- Reading -------------------------------------------------------------------------------------------


def _random_guess_score(version: QuestionVersion, question_type: str, rule: str) -> float | None:
    """The mean score (as a share of the points) of answering at random: every possible non-empty response
    equally likely, marked by the same rule as the exam."""
    if question_type == "true_false":
        return 0.5
    if question_type == "single":
        return 1 / len(version.options) if version.options else None
    if question_type == "multiple":
        keys = OPTION_KEYS[: len(version.options or [])]
        responses = [list(c) for n in range(1, len(keys) + 1) for c in itertools.combinations(keys, n)]
        if not responses:
            return None
        scores = [score_response(content=version, response=r, points=Decimal("1"), multiple_rule=rule)
                  for r in responses]
        return float(sum(scores) / len(scores))
    if question_type == "fill_blank":
        return 0.0
    return None  # an essay: nothing to guess


def _read_marks(session: ExamSession, attempt_ids: set[int]):
    """attempt id → {position: (version id, points, score)} for the graded attempts."""
    rows: dict[int, dict[int, tuple[int, float, float]]] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(MARKS_SQL, [session.pk, AttemptKind.EXAM, AttemptStatus.SUBMITTED])
        while True:
            chunk = cursor.fetchmany(20000)
            if not chunk:
                break
            for attempt_id, position, version_id, points, score in chunk:
                rows[attempt_id][position] = (version_id, points, score if score is not None else 0.0)
    return {a: rows[a] for a in attempt_ids if a in rows}


def _five_numbers(values: list[float]) -> list[float] | None:
    """min, lower quartile, median, upper quartile, max (quartiles by linear interpolation)."""
    if not values:
        return None
    ordered = sorted(values)

    def quantile(q: float) -> float:
        position = (len(ordered) - 1) * q
        low = math.floor(position)
        high = min(low + 1, len(ordered) - 1)
        return ordered[low] + (ordered[high] - ordered[low]) * (position - low)

    return [ordered[0], quantile(0.25), quantile(0.5), quantile(0.75), ordered[-1]]


def _group_figures(name: str, scores: list[float], absent: int, pass_mark: float, **extra) -> dict:
    participants = len(scores)
    return {
        "name": name, **extra, "participants": participants, "absent": absent,
        "mean": math.fsum(scores) / participants if participants else None,
        "pass_rate": sum(1 for s in scores if s >= pass_mark) / participants if participants else None,
        "box": _five_numbers(scores),
    }


def _histogram(scores: list[float], max_mark: float, bins: int = HISTOGRAM_BINS) -> list[dict]:
    if max_mark <= 0:
        return []
    width = max_mark / bins
    counts = [0] * bins
    for score in scores:
        counts[min(bins - 1, max(0, int(score / width)))] += 1
    return [{"from": i * width, "to": (i + 1) * width, "count": n} for i, n in enumerate(counts)]


# --- Computing -----------------------------------------------------------------------------------------


def compute_session_report(session: ExamSession, *, progress: Callable[[int], None] | None = None) -> dict:
    """Every figure of the session's report, as JSON-ready data."""
    step = progress or (lambda _n: None)
    pass_mark = float(session.pass_mark)
    candidates = list(
        session.candidates.filter(draw__superseded_at__isnull=True)
        .values_list("id", "squad_id", "position", "attendance")
    )
    attempts = {
        row[0]: row for row in Attempt.objects.filter(session=session, kind=AttemptKind.EXAM).values_list(
            "id", "candidate_id", "status", "score", "graded_at")
    }
    attempt_of_candidate = {row[1]: row for row in attempts.values() if row[1]}
    graded = {a_id for a_id, (_i, _c, status, score, graded_at) in attempts.items()
              if status == AttemptStatus.SUBMITTED and graded_at is not None and score is not None}
    step(1)

    marks = _read_marks(session, graded)
    graded = set(marks)  # an attempt without responses has nothing to analyse
    step(2)

    # Per position (slot) and per question version, over the graded attempts.
    version_ids = {v for row in marks.values() for (v, _p, _s) in row.values()}
    versions = QuestionVersion.objects.in_bulk(version_ids)
    question_info = {
        row[0]: row for row in QuestionVersion.objects.filter(id__in=version_ids).values_list(
            "id", "question__code", "question__type", "question__knowledge_point__path", "number", "stem")
    }
    steplen = KnowledgePoint.steplen
    roots = {kp.path: kp.name for kp in KnowledgePoint.objects.filter(depth=1)}
    kp_names = dict(KnowledgePoint.objects.filter(
        path__in={info[3] for info in question_info.values()}).values_list("path", "name"))

    ordered_attempts = sorted(graded)
    totals = {a: float(attempts[a][3]) for a in ordered_attempts}
    row_sums = {a: math.fsum(s for (_v, _p, s) in marks[a].values()) for a in ordered_attempts}
    positions = sorted({p for row in marks.values() for p in row})
    slot_max = {}
    for position in positions:
        points = Counter(marks[a][position][1] for a in ordered_attempts if position in marks[a])
        slot_max[position] = points.most_common(1)[0][0]
    slot_rows = []
    for a in ordered_attempts:
        row = []
        for position in positions:
            entry = marks[a].get(position)
            if entry is None or not entry[1]:
                row.append(0.0)
            else:
                # Marks scaled to the slot's maximum, as Moodle does (fraction × max mark).
                row.append(entry[2] / entry[1] * slot_max[position])
        slot_rows.append(row)
    rule = session.multi_select_rule
    guesses = {v: _random_guess_score(versions[v], question_info[v][2], rule) for v in version_ids}
    slot_guess = []
    for position in positions:
        values = [guesses[marks[a][position][0]] for a in ordered_attempts if position in marks[a]]
        values = [g for g in values if g is not None]
        slot_guess.append(math.fsum(values) / len(values) if values else None)
    table = st.MarksTable(slots=positions, max_marks=[slot_max[p] for p in positions], rows=slot_rows,
                          totals=[totals[a] for a in ordered_attempts], random_guess_scores=slot_guess)
    analysis = st.analyse(table)
    slot_items = analysis.items

    per_version: dict[int, st.ItemMarks] = {}
    per_version_positions: dict[int, set[int]] = defaultdict(set)
    mastery: dict[tuple[int, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    attempt_squad = dict.fromkeys(ordered_attempts)
    candidate_squad = {c[0]: c[1] for c in candidates}
    for a in ordered_attempts:
        attempt_squad[a] = candidate_squad.get(attempts[a][1])
        for position, (version_id, points, score) in marks[a].items():
            item = per_version.get(version_id)
            if item is None:
                item = per_version[version_id] = st.ItemMarks(slot=version_id, max_mark=points, marks=[], totals=[],
                                                              random_guess_score=guesses[version_id])
            item.marks.append(score)
            item.totals.append(row_sums[a])
            per_version_positions[version_id].add(position)
            kp_root = question_info[version_id][3][:steplen]
            cell = mastery[(attempt_squad[a], kp_root)]
            cell[0] += score
            cell[1] += points
    question_items = {v: st.item_figures(item) for v, item in per_version.items()}
    st.add_weights(list(question_items.values()), paper_max_mark=analysis.test.max_mark or 0,
                   slot_items=slot_items)
    step(3)

    # Distractor analysis: option counts per version, overall and in the top and bottom 27 % by total.
    top, bottom = st.extreme_groups({a: totals[a] for a in ordered_attempts})
    choices: dict[int, dict[int, list[str]]] = defaultdict(dict)
    choice_versions = [v for v in version_ids if question_info[v][2] in CHOICE_TYPES]
    answers = (Response.objects.filter(attempt_id__in=graded, paper_question__version_id__in=choice_versions)
               .values_list("attempt_id", "paper_question__version_id", "answer")) if choice_versions else []
    for attempt_id, version_id, answer in answers.iterator(chunk_size=20000) if choice_versions else []:
        choices[version_id][attempt_id] = _chosen_keys(question_info[version_id][2], answer)
    distractors = {}
    for version_id in choice_versions:
        version = versions[version_id]
        qtype = question_info[version_id][2]
        if qtype == "true_false":
            option_keys, key = ["true", "false"], ["true" if (version.answer or [None])[0] is True else "false"]
        else:
            option_keys = list(OPTION_KEYS[: len(version.options or [])])
            key = [str(k) for k in version.answer or []]
        distractors[version_id] = st.distractor_analysis(option_keys=option_keys, answer_keys=key,
                                                         choices=choices.get(version_id, {}), top=top,
                                                         bottom=bottom)
    step(4)

    # Units and positions: participants, absentees, mean, pass rate, five-number summary.
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in={c[1] for c in candidates})}
    street_ids = {u.parent_id for u in units.values() if u.parent_id}
    units.update({u.pk: u for u in OrgUnit.objects.filter(pk__in=street_ids)})
    squad_scores: dict[int, list[float]] = defaultdict(list)
    squad_absent: Counter = Counter()
    position_scores: dict[str, list[float]] = defaultdict(list)
    position_absent: Counter = Counter()
    group_of = {p: name for name, members in POSITION_GROUPS for p in members}
    absent_total = excused_total = awaiting = 0
    for candidate_id, squad_id, position, attendance in candidates:
        attempt = attempt_of_candidate.get(candidate_id)
        group = group_of.get(position, "others")
        if attendance == Attendance.EXCUSED:
            excused_total += 1
            continue
        if attendance == Attendance.ABSENT or (attempt and attempt[2] == AttemptStatus.ABSENT):
            absent_total += 1
            squad_absent[squad_id] += 1
            position_absent[group] += 1
            continue
        if attempt and attempt[0] in graded:
            squad_scores[squad_id].append(totals[attempt[0]])
            position_scores[group].append(totals[attempt[0]])
        elif attempt and attempt[2] == AttemptStatus.SUBMITTED:
            awaiting += 1
    squads, streets = [], defaultdict(lambda: {"scores": [], "absent": 0})
    for squad_id in sorted({c[1] for c in candidates}, key=lambda pk: units[pk].code):
        squad = units[squad_id]
        street = units.get(squad.parent_id)
        street_name = street.name if street else ""
        squads.append(_group_figures(squad.name, squad_scores[squad_id], squad_absent[squad_id], pass_mark,
                                     street=street_name, code=squad.code))
        streets[street_name]["scores"].extend(squad_scores[squad_id])
        streets[street_name]["absent"] += squad_absent[squad_id]
    street_rows = [_group_figures(name, data["scores"], data["absent"], pass_mark) for name, data in streets.items()]
    position_rows = [_group_figures(name, position_scores[name], position_absent[name], pass_mark)
                     for name, _members in POSITION_GROUPS if position_scores[name] or position_absent[name]]
    kp_paths = sorted({path for (_squad, path) in mastery})
    mastery_rows = []
    for squad in squads:
        squad_id = next(pk for pk, u in units.items() if u.code == squad["code"])
        values = []
        for path in kp_paths:
            earned, possible = mastery.get((squad_id, path), (0.0, 0.0))
            values.append(earned / possible if possible else None)
        mastery_rows.append({"squad": squad["name"], "values": values})
    step(5)

    scores = [totals[a] for a in ordered_attempts]
    max_mark = analysis.test.max_mark or float(session.blueprint.total_points or 0)
    question_rows = []
    for version_id, figures in sorted(question_items.items(), key=lambda kv: (min(per_version_positions[kv[0]]),
                                                                               question_info[kv[0]][1])):
        info = question_info[version_id]
        row = {
            "version_id": version_id, "question_id": versions[version_id].question_id, "code": info[1],
            "version": info[4], "type": info[2], "stem": _excerpt(info[5]),
            "knowledge_point": kp_names.get(info[3], ""), "positions": sorted(per_version_positions[version_id]),
            **_rounded(figures.as_dict()),
        }
        if version_id in distractors:
            row["distractors"] = distractors[version_id].as_dict()
        question_rows.append(row)
    return {
        "version": 1,
        "session": {"id": session.pk, "code": session.code, "title": session.title, "pass_mark": pass_mark,
                    "max_mark": max_mark, "paper_mode": session.paper_mode},
        "counts": {"candidates": len(candidates), "graded": len(graded), "absent": absent_total,
                   "excused": excused_total, "awaiting_marking": awaiting,
                   "passed": sum(1 for s in scores if s >= pass_mark)},
        "test": _rounded(analysis.test.as_dict()),
        "slots": [_rounded(item.as_dict()) for item in slot_items],
        "questions": question_rows,
        "groups": {"top": len(top), "bottom": len(bottom)},
        "histogram": _histogram(scores, max_mark),
        "streets": street_rows,
        "squads": squads,
        "positions": position_rows,
        "mastery": {"knowledge_points": [roots.get(p, p) for p in kp_paths], "rows": mastery_rows},
    }


def _chosen_keys(question_type: str, answer) -> list[str]:
    if not answer:
        return []
    if question_type == "true_false":
        return ["true" if answer[0] is True else "false"] if isinstance(answer[0], bool) else []
    return [str(key) for key in answer]


def _excerpt(text: str, length: int = 60) -> str:
    from question_bank.grading import plain_text

    plain = " ".join(plain_text(text).split())
    return plain if len(plain) <= length else plain[:length] + "…"


def _rounded(data: dict) -> dict:
    # Twelve significant digits keep Moodle's precision and make the stored JSON stable across runs.
    return {k: (float(f"{v:.12g}") if isinstance(v, float) else v) for k, v in data.items()}


# --- Caching and the Celery task -----------------------------------------------------------------------


def statistics_for(session: ExamSession) -> tuple[SessionStatistics | None, bool]:
    """The stored statistics and whether they are stale (the marks changed since they were computed)."""
    stats = SessionStatistics.objects.filter(session=session).first()
    if stats is None:
        return None, True
    return stats, stats.fingerprint != marks_fingerprint(session)


def request_statistics(*, session: ExamSession) -> SessionStatistics:
    """Queue a (re)computation after the current transaction commits; one queued request is enough."""
    from ..tasks import compute_session_statistics_task

    stats, _created = SessionStatistics.objects.get_or_create(session=session)
    if stats.status in (StatisticsStatus.QUEUED, StatisticsStatus.RUNNING) and stats.requested_at and (
            timezone.now() - stats.requested_at).total_seconds() < 600:
        return stats
    SessionStatistics.objects.filter(pk=stats.pk).update(
        status=StatisticsStatus.QUEUED, requested_at=timezone.now(), progress_done=0,
        progress_total=PROGRESS_STEPS, error="")
    transaction.on_commit(lambda: compute_session_statistics_task.delay(session.pk))
    stats.refresh_from_db()
    return stats


def refresh_session_statistics(*, session_id: int) -> SessionStatistics | None:
    """Compute and store the session's statistics and feed the question bank's item health. Safe to run
    twice: the result replaces the previous one. Returns None for an unknown session."""
    session = ExamSession.objects.filter(pk=session_id).select_related("blueprint").first()
    if session is None:
        return None
    stats, _created = SessionStatistics.objects.get_or_create(session=session)
    fingerprint = marks_fingerprint(session)
    SessionStatistics.objects.filter(pk=stats.pk).update(status=StatisticsStatus.RUNNING, progress_done=0,
                                                         progress_total=PROGRESS_STEPS)

    def progress(done: int) -> None:
        SessionStatistics.objects.filter(pk=stats.pk).update(progress_done=done)

    try:
        data = compute_session_report(session, progress=progress)
    except Exception as exc:
        logger.exception("statistics of session %s failed", session.pk)
        SessionStatistics.objects.filter(pk=stats.pk).update(status=StatisticsStatus.FAILED, error=str(exc)[:500])
        raise
    with transaction.atomic():
        record_exam_statistics(
            source_key=f"exams.session:{session.pk}", source_label=f"{session.title} ({session.code})",
            taken_on=timezone.localtime(session.starts_at).date() if session.starts_at else None,
            rows=[{
                "version_id": q["version_id"], "attempts": q["attempts"], "facility": q["facility"], "sd": q["sd"],
                "discrimination_index": q["discrimination_index"],
                "discriminative_efficiency": q["discriminative_efficiency"],
                "distractors": q.get("distractors", {}),
            } for q in data["questions"]],
        )
        SessionStatistics.objects.filter(pk=stats.pk).update(
            status=StatisticsStatus.READY, data=data, fingerprint=fingerprint, computed_at=timezone.now(),
            progress_done=PROGRESS_STEPS, progress_total=PROGRESS_STEPS, error="")
    stats.refresh_from_db()
    return stats


def question_flags(data: dict) -> dict[int, list[str]]:
    """The bank's review flags for this session's questions (as the bank computes them on its pooled rows)."""
    from question_bank.models import VersionHealth

    ids = [q["version_id"] for q in data.get("questions", [])]
    return dict(VersionHealth.objects.filter(version_id__in=ids, flagged=True).values_list("version_id", "flags"))
