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
import json
import logging
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal

from django.db import DatabaseError, connection, transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, Max, Q, Sum
from django.utils import timezone

import numpy as np

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
    KeyCorrection,
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

# The options chosen as bits: 0–7 for A–H, 8 for "true" and 9 for "false", so answers are counted without
# ever being parsed in Python. Nearly every answer is a one-element array (single choice, true/false): its
# text (jsonb prints it canonically: ["A"], [true]) picks the bit, several times cheaper than extracting
# and comparing jsonb values; any other array tests each option's containment; anything else (no answer,
# not an array) chooses nothing.
_CONTAINS_BITS = " | ".join(
    [f"(CASE WHEN r.answer @> '[\"{key}\"]' THEN {1 << bit} ELSE 0 END)" for bit, key in enumerate("ABCDEFGH")]
    + ["(CASE WHEN r.answer @> '[true]' THEN 256 ELSE 0 END)", "(CASE WHEN r.answer @> '[false]' THEN 512 ELSE 0 END)"]
)
CHOSEN_BITS_SQL = (
    "CASE r.answer::text " + " ".join(f"WHEN '[\"{key}\"]' THEN {1 << bit}" for bit, key in enumerate("ABCDEFGH"))
    + " WHEN '[true]' THEN 256 WHEN '[false]' THEN 512"
    f" ELSE (CASE WHEN jsonb_typeof(r.answer) <> 'array' THEN 0 ELSE {_CONTAINS_BITS} END) END"
)
# One scan of the graded responses, with a small hash join (the session's attempts): each response carries
# its paper question's version and points (copied when it was created), so no paper question is read.
#
# Every column comes as one int8 array in PostgreSQL's binary format, which numpy reads in place; each
# array costs about as much as a small computation per row, so values share one where they fit: the
# attempt and the version (ids below 2^31 and 2^32: the statement reports the tables' largest ids, read off
# their primary keys); the score and the points in tenths (numeric(5,1): within ±99999, +2^17 makes them
# 18 bits, never negative), the position (< 2^15) and the chosen bits (< 2^10). Tenths are exact, and
# tenths / 10 is the very double a cast to float8 gives. A response without its copy of version and points
# (written some other way) leaves a NULL in the arrays; then, as for ids too large, the statistics read
# through the joins (MARKS_SQL).
MARKS_ARRAYS_SQL = (
    "SELECT (SELECT max(id) FROM exams_attempt), (SELECT max(id) FROM question_bank_questionversion),"  # noqa: S608 - constants only; the values are parameters
    " array_agg((r.attempt_id::int8 << 32) | r.version_id),"
    " array_agg((((COALESCE(r.score, 0) * 10)::int8 + 131072) << 43) | (((r.points * 10)::int8 + 131072) << 25)"
    f" | (r.position::int8 << 10) | ({CHOSEN_BITS_SQL}))"
    " FROM exams_response r JOIN exams_attempt a ON a.id = r.attempt_id"
    " WHERE a.session_id = %s AND a.kind = %s AND a.status = %s AND a.graded_at IS NOT NULL"
)
PACKED_ATTEMPT_IDS_BELOW = 2 ** 31
PACKED_VERSION_IDS_BELOW = 2 ** 32
# A large session is read as two halves of the table (by row address, so every row is in exactly one) on
# two connections that share one snapshot: PostgreSQL cannot split array_agg between parallel workers, and
# each half is one core's work. Below this many responses one scan is as quick as setting that up.
MARKS_HALVES_FROM = 100_000
_SNAPSHOT_ID = re.compile(r"[0-9A-F]+(-[0-9A-F]+)+")
MARKS_SQL = """
SELECT r.attempt_id, r.position, pq.version_id, CAST(pq.points AS DOUBLE PRECISION),
       CAST(COALESCE(r.score, 0) AS DOUBLE PRECISION), q.type, r.answer
  FROM exams_response r
  JOIN exams_attempt a ON a.id = r.attempt_id
  JOIN exams_paperquestion pq ON pq.id = r.paper_question_id
  JOIN question_bank_question q ON q.id = pq.question_id
 WHERE a.session_id = %s AND a.kind = %s AND a.status = %s AND a.graded_at IS NOT NULL
"""
OPTION_BITS = {**{key: bit for bit, key in enumerate("ABCDEFGH")}, "true": 8, "false": 9}


def graded_attempts(session: ExamSession):
    """The attempts the statistics count: the candidate's one exam attempt, submitted and fully marked."""
    return Attempt.objects.filter(session=session, kind=AttemptKind.EXAM, status=AttemptStatus.SUBMITTED,
                                  graded_at__isnull=False)


def marks_fingerprint(session: ExamSession) -> str:
    """Changes whenever a mark is added (every grading, regrade, score entry and manual mark adds marks),
    an attempt changes, attendance changes, a key is corrected or the pass mark moves.

    Marks are counted on their attempts (Attempt.marks_count, kept by Mark itself) and are never deleted,
    so the sum over the session's attempts grows with every new mark: a few thousand attempt rows are
    summed instead of a million marks joined to their responses. A key correction that changes no score
    still changes which option is the key, hence its own count.
    """
    attempts = sorted(
        (row["status"], row["n"], str(row["total"]), row["graded"], row["marks"], row["last"])
        for row in Attempt.objects.filter(session=session).values("status").annotate(
            n=Count("id"), total=Sum("score"), graded=Count("graded_at"), marks=Sum("marks_count"),
            last=Max("id"))
    )
    attendance = sorted(session.candidates.values_list("attendance").annotate(n=Count("id")))
    corrections = KeyCorrection.objects.filter(session=session).aggregate(n=Count("id"), last=Max("id"))
    text = repr((attempts, attendance, corrections["n"], corrections["last"], str(session.pass_mark)))
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


FIELDS = ("attempt", "position", "version", "points", "score", "chosen")


@dataclass
class MarksArrays:
    """Every graded response of a session as parallel arrays (one entry per response)."""

    attempt: np.ndarray
    position: np.ndarray
    version: np.ndarray
    points: np.ndarray
    score: np.ndarray
    chosen: np.ndarray  # the options chosen, as bits (OPTION_BITS)

    def subset(self, keep: np.ndarray) -> MarksArrays:
        return MarksArrays(*(getattr(self, f)[keep] for f in FIELDS))


def _chosen_bits(question_type: str, answer) -> int:
    if question_type not in CHOICE_TYPES or not isinstance(answer, list):
        return 0
    bits = 0
    for key in _chosen_keys(question_type, answer):
        if key in OPTION_BITS:
            bits |= 1 << OPTION_BITS[key]
    return bits


# int4[], int8[] and float8[] by type oid, with their elements' numpy types (big-endian, as sent).
_ARRAY_TYPES = {1007: ">i4", 1016: ">i8", 1022: ">f8"}


def _binary_arrays(sql: str, params: list) -> list[list]:
    """Run a query whose rows hold array_agg columns and return its rows, each array as a numpy array
    (None if it holds a NULL; other columns as psycopg loads them).

    The arrays come in PostgreSQL's binary format and are read in place (a header, then each element as
    a 4-byte length and the value): a million responses then cost about what fetching their bare scores as
    rows does, where building a million Python tuples (or parsing a binary COPY, one message per row) costs
    several times more.
    """
    import psycopg
    from psycopg.adapt import Loader
    from psycopg.pq import Format

    class RawArray(Loader):
        format = Format.BINARY

        def load(self, data):
            return data

    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        for oid in _ARRAY_TYPES:
            cursor.adapters.register_loader(oid, RawArray)
        cursor.execute(sql, params, binary=True)
        rows = []
        for row in cursor.fetchall():
            values = []
            for description, data in zip(cursor.description, row, strict=True):
                value_type = _ARRAY_TYPES.get(description.type_code)
                if value_type is None:
                    values.append(data)
                elif data is None:  # array_agg of no rows
                    values.append(np.zeros(0, dtype=value_type[1:]))
                else:
                    values.append(_array_from_binary(memoryview(data), value_type))
            rows.append(values)
    return rows


def _array_from_binary(data: memoryview, value_type: str) -> np.ndarray | None:
    ndim = int.from_bytes(data[:4], "big")
    if int.from_bytes(data[4:8], "big"):  # the has-NULLs flag
        return None
    header = 12 + 8 * ndim
    elements = np.frombuffer(data[header:], dtype=np.dtype([("length", ">i4"), ("value", value_type)]))
    return elements["value"].astype(value_type[1:])


def _codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(values, return_inverse=True) for integer ids: counted in a table indexed by id when they
    are dense (a session's attempts, versions and positions are), in linear time instead of a sort."""
    if not len(values):
        return values[:0].astype(np.int64), np.zeros(0, dtype=np.int64)
    low = int(values.min())
    span = int(values.max()) - low + 1
    if span > 4 * len(values) + 1024:
        uniques, inverse = np.unique(values, return_inverse=True)
        return uniques, inverse.reshape(-1)
    offset = values - low
    present = np.bincount(offset, minlength=span) > 0
    code = np.cumsum(present) - 1
    return np.flatnonzero(present) + low, code[offset]


def _float_codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(values, return_inverse=True) for points, counted as whole tenths when every value is one
    (as numeric(5,1) points are), sorted otherwise."""
    tenths = np.rint(values * 10)
    if len(values) and np.array_equal(tenths / 10, values) and np.abs(tenths).max() < 2 ** 31:
        codes, inverse = _codes(tenths.astype(np.int64))
        return codes / 10, inverse
    uniques, inverse = np.unique(values, return_inverse=True)
    return uniques, inverse.reshape(-1)


def _packed_marks(params: list, *, halves: bool) -> tuple:
    """MARKS_ARRAYS_SQL's one row: (largest attempt id, largest version id, attempt|version, packed). With
    `halves`, the table's lower and upper halves are read at once, the upper one on a second connection
    importing this transaction's snapshot (both see the very same rows), and the arrays joined in table
    order, which is the one scan's order."""
    if halves:
        try:
            return _packed_marks_in_halves(params)
        except DatabaseError:  # a server that cannot share its snapshot, say: one scan does the same
            logger.warning("statistics read in one scan: the halves failed", exc_info=True)
    [row] = _binary_arrays(MARKS_ARRAYS_SQL, params)
    return tuple(row)


def _packed_marks_in_halves(params: list) -> tuple:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot(),"
                       " pg_relation_size('exams_response') / current_setting('block_size')::int")
        snapshot, blocks = cursor.fetchone()
        middle = f"({blocks // 2},0)"
        with ThreadPoolExecutor(max_workers=1) as pool:
            upper = pool.submit(_upper_half_in_snapshot, snapshot, [*params, middle])
            [lower] = _binary_arrays(MARKS_ARRAYS_SQL + " AND r.ctid < %s::tid", [*params, middle])
            upper = upper.result()
    largest_attempt, largest_version = lower[0], lower[1]
    arrays = [None if a is None or b is None else np.concatenate([a, b])
              for a, b in zip(lower[2:], upper[2:], strict=True)]
    return (largest_attempt, largest_version, *arrays)


def _upper_half_in_snapshot(snapshot: str, params: list) -> list:
    """Runs in its own thread, hence on its own connection, closed when done."""
    if not _SNAPSHOT_ID.fullmatch(snapshot):
        raise ValueError(f"unexpected snapshot id {snapshot!r}")
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")  # noqa: S608 - checked above; no parameters here
            [upper] = _binary_arrays(MARKS_ARRAYS_SQL + " AND r.ctid >= %s::tid", params)
        return upper
    finally:
        connection.close()


def _read_marks(session: ExamSession, *, expected: int = 0) -> MarksArrays:
    """The session's graded responses, unmarked ones as 0. `expected`: about how many (for the read's plan)."""
    params = [session.pk, AttemptKind.EXAM, AttemptStatus.SUBMITTED]
    if connection.vendor == "postgresql":
        # Inside a transaction (a test's, say) there is no snapshot to share with a second connection.
        halves = expected >= MARKS_HALVES_FROM and not connection.in_atomic_block
        largest_attempt, largest_version, attempt_version, packed = _packed_marks(params, halves=halves)
        if (attempt_version is not None and packed is not None and (largest_attempt or 0) < PACKED_ATTEMPT_IDS_BELOW
                and (largest_version or 0) < PACKED_VERSION_IDS_BELOW):
            return MarksArrays(attempt=attempt_version >> 32, position=(packed >> 10) & 0x7FFF,
                               version=attempt_version & 0xFFFFFFFF,
                               points=(((packed >> 25) & 0x3FFFF) - 131072) / 10,
                               score=((packed >> 43) - 131072) / 10, chosen=packed & 0x3FF)
    with connection.cursor() as cursor:
        cursor.execute(MARKS_SQL, params)
        rows = [(a, p, v, pts, s, _chosen_bits(t, json.loads(ans) if isinstance(ans, str) else ans))
                for a, p, v, pts, s, t, ans in cursor.fetchall()]
    table = np.asarray(rows, dtype=float).reshape(-1, 6)
    return MarksArrays(*(table[:, i].astype(float if f in ("points", "score") else np.int64)
                         for i, f in enumerate(FIELDS)))


def _option_counts(marks: MarksArrays, version_index: np.ndarray, n_versions: int, in_top: np.ndarray,
                   in_bottom: np.ndarray) -> dict[str, np.ndarray]:
    """Per version and option bit: how many chose it, overall and in the top and bottom groups; and how
    many of each group saw the version. Responses are counted per (version, set of options chosen) — a
    thousand sets at most, nearly all answers one of a handful — and the sets then split into bits."""
    result = {"top_seen": np.bincount(version_index, weights=in_top, minlength=n_versions),
              "bottom_seen": np.bincount(version_index, weights=in_bottom, minlength=n_versions)}
    combos, combo_index = _codes(marks.chosen)
    cell = version_index * len(combos) + combo_index
    size = n_versions * len(combos)
    bits_of_combo = ((combos[:, None] >> np.arange(10)) & 1).astype(float)  # combos × 10 option bits
    for name, weights in (("chosen", None), ("top", in_top), ("bottom", in_bottom)):
        per_combo = np.bincount(cell, weights=weights, minlength=size).reshape(n_versions, len(combos))
        result[name] = per_combo @ bits_of_combo  # whole numbers: the sums are exact
    return result


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
    # int() of each score / width, clipped into the bins (astype truncates toward zero as int() does)
    counts = np.bincount(np.clip((np.asarray(scores, dtype=float) / width).astype(np.int64), 0, bins - 1),
                         minlength=bins).tolist()
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
        row[0]: row for row in Attempt.objects.filter(session=session, kind=AttemptKind.EXAM).annotate(
            # whether graded, not when: ten thousand timestamps are slow to parse for a yes or no
            is_graded=ExpressionWrapper(Q(graded_at__isnull=False), output_field=BooleanField())).values_list(
            "id", "candidate_id", "status", "score", "is_graded", "paper__question_count")
    }
    attempt_of_candidate = {row[1]: row for row in attempts.values() if row[1]}
    graded = {a_id for a_id, (_i, _c, status, score, is_graded, _n) in attempts.items()
              if status == AttemptStatus.SUBMITTED and is_graded and score is not None}
    step(1)

    marks = _read_marks(session, expected=sum(attempts[a][5] for a in graded))
    attempt_ids, att = _codes(marks.attempt)
    if not graded.issuperset(attempt_ids.tolist()):  # a total still missing: leave that attempt out
        marks = marks.subset(np.isin(marks.attempt, np.fromiter(graded, dtype=np.int64, count=len(graded))))
        attempt_ids, att = _codes(marks.attempt)
    graded = set(attempt_ids.tolist())  # an attempt without responses has nothing to analyse
    step(2)

    ordered_attempts = sorted(graded)
    attempt_index = {a: i for i, a in enumerate(ordered_attempts)}
    n_attempts = len(ordered_attempts)
    totals_by_index = np.asarray([float(attempts[a][3]) for a in ordered_attempts], dtype=float)
    totals = dict(zip(ordered_attempts, totals_by_index.tolist(), strict=True))
    row_sums = np.bincount(att, weights=marks.score, minlength=n_attempts)

    version_array, version_index = _codes(marks.version)
    version_ids = version_array.tolist()
    # Only what the guesses and distractors read (options, key, the question's type): the rest is heavy.
    versions = QuestionVersion.objects.select_related("question").only(
        "id", "question_id", "options", "answer", "question__type").in_bulk(version_ids)
    question_info = {
        row[0]: row for row in QuestionVersion.objects.filter(id__in=version_ids).values_list(
            "id", "question__code", "question__type", "question__knowledge_point__path", "number", "stem")
    }
    steplen = KnowledgePoint.steplen
    roots = {kp.path: kp.name for kp in KnowledgePoint.objects.filter(depth=1)}
    kp_names = dict(KnowledgePoint.objects.filter(
        path__in={info[3] for info in question_info.values()}).values_list("path", "name"))
    rule = session.multi_select_rule
    guesses = {v: _random_guess_score(versions[v], question_info[v][2], rule) for v in version_ids}

    # Slots (positions), as Moodle: every attempt's mark per position, scaled to the position's maximum.
    position_array, pos = _codes(marks.position)
    positions = position_array.tolist()
    # Each position's maximum: the points it carries on most papers.
    point_values, point_index = _float_codes(marks.points)
    per_position = np.bincount(pos * len(point_values) + point_index,
                               minlength=len(positions) * len(point_values)).reshape(len(positions), -1)
    slot_max = [float(point_values[i]) for i in per_position.argmax(axis=1)]
    slot_max_arr = np.asarray(slot_max)
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = np.where(marks.points > 0, marks.score / marks.points * slot_max_arr[pos], 0.0)
    matrix = np.zeros((n_attempts, len(positions)))
    matrix[att, pos] = scaled
    guess_of_response = np.asarray([guesses[v] if guesses[v] is not None else np.nan for v in version_ids])[
        version_index]
    known_guess = ~np.isnan(guess_of_response)
    guess_sum = np.bincount(pos[known_guess], weights=guess_of_response[known_guess], minlength=len(positions))
    guess_n = np.bincount(pos[known_guess], minlength=len(positions))
    slot_guess = [float(guess_sum[i] / guess_n[i]) if guess_n[i] else None for i in range(len(positions))]
    analysis = st.analyse(st.MarksTable(slots=positions, max_marks=slot_max, rows=matrix,
                                        totals=totals_by_index.tolist(), random_guess_scores=slot_guess))
    slot_items = analysis.items

    # Question versions, each over the attempts whose paper held it (rest = that attempt's total less it).
    version_points = np.zeros(len(version_ids))
    version_points[version_index] = marks.points
    question_figures = st.items_figures(
        keys=version_ids, max_marks=version_points.tolist(), guesses=[guesses[v] for v in version_ids],
        group=version_index, marks=marks.score, totals=row_sums[att])
    question_items = dict(zip(version_ids, question_figures, strict=True))
    st.add_weights(question_figures, paper_max_mark=analysis.test.max_mark or 0, slot_items=slot_items)
    # Which positions each version appeared at (one combined integer key, counted: sorting pairs is slow).
    seen_at = np.bincount(version_index * len(positions) + pos, minlength=len(version_ids) * len(positions))
    seen_at = seen_at.reshape(len(version_ids), len(positions)) > 0
    position_lists = np.split(position_array[np.nonzero(seen_at)[1]], np.cumsum(seen_at.sum(axis=1))[:-1])
    per_version_positions = {v: found.tolist() for v, found in zip(version_ids, position_lists, strict=False)}

    # Knowledge-point mastery per squad: points earned over points possible, by top-level knowledge point.
    candidate_squad = {c[0]: c[1] for c in candidates}
    squad_ids = sorted({s for s in candidate_squad.values() if s is not None})
    squad_number = {squad_id: i for i, squad_id in enumerate(squad_ids)}
    squad_of_attempt = np.asarray([squad_number.get(candidate_squad.get(attempts[a][1]), -1)
                                   for a in ordered_attempts], dtype=np.int64)
    kp_paths = sorted({question_info[v][3][:steplen] for v in version_ids})
    kp_number = {path: i for i, path in enumerate(kp_paths)}
    kp_of_version = np.asarray([kp_number[question_info[v][3][:steplen]] for v in version_ids], dtype=np.int64)
    squad_of_response = squad_of_attempt[att] if n_attempts else np.zeros(0, dtype=np.int64)
    known = squad_of_response >= 0
    cell = squad_of_response[known] * max(1, len(kp_paths)) + kp_of_version[version_index][known]
    size = len(squad_ids) * max(1, len(kp_paths))
    earned = np.bincount(cell, weights=marks.score[known], minlength=size)
    possible = np.bincount(cell, weights=marks.points[known], minlength=size)
    mastery = {}
    for i, squad_id in enumerate(squad_ids):
        for j, path in enumerate(kp_paths):
            k = i * len(kp_paths) + j
            if possible[k]:
                mastery[(squad_id, path)] = (float(earned[k]), float(possible[k]))
    step(3)

    # Distractor analysis: option counts per version, overall and in the top and bottom 27 % by total.
    top, bottom = st.extreme_groups(totals)
    choice_versions = [v for v in version_ids if question_info[v][2] in CHOICE_TYPES]
    is_top, is_bottom = np.zeros(n_attempts), np.zeros(n_attempts)
    is_top[[attempt_index[a] for a in top]] = 1.0
    is_bottom[[attempt_index[a] for a in bottom]] = 1.0
    in_top, in_bottom = is_top[att], is_bottom[att]
    option_counts = _option_counts(marks, version_index, len(version_ids), in_top, in_bottom)
    seen_counts = np.bincount(version_index, minlength=len(version_ids))
    distractors = {}
    version_number = {version_id: i for i, version_id in enumerate(version_ids)}
    for version_id in choice_versions:
        version = versions[version_id]
        qtype = question_info[version_id][2]
        if qtype == "true_false":
            option_keys, key = ["true", "false"], ["true" if (version.answer or [None])[0] is True else "false"]
        else:
            option_keys = list(OPTION_KEYS[: len(version.options or [])])
            key = [str(k) for k in version.answer or []]
        i = version_number[version_id]
        distractors[version_id] = st.DistractorAnalysis(
            attempts=int(seen_counts[i]), top_size=int(option_counts["top_seen"][i]),
            bottom_size=int(option_counts["bottom_seen"][i]),
            options=[st.OptionCount(key=k, is_key=k in key, chosen=int(option_counts["chosen"][i, OPTION_BITS[k]]),
                                    top=int(option_counts["top"][i, OPTION_BITS[k]]),
                                    bottom=int(option_counts["bottom"][i, OPTION_BITS[k]]))
                     for k in option_keys])
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
    # The previous figures are replaced, never read: leave their megabyte of JSON in the database.
    stats, _created = SessionStatistics.objects.defer("data").get_or_create(session=session)
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
    stats = SessionStatistics.objects.defer("data").get(pk=stats.pk)
    stats.data = data  # what was just stored (plain JSON types): not read back
    return stats


def question_flags(data: dict) -> dict[int, list[str]]:
    """The bank's review flags for this session's questions (as the bank computes them on its pooled rows)."""
    from question_bank.models import VersionHealth

    ids = [q["version_id"] for q in data.get("questions", [])]
    return dict(VersionHealth.objects.filter(version_id__in=ids, flagged=True).values_list("version_id", "flags"))
