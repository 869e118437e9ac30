"""Test and item statistics of an exam, computed as Moodle's quiz statistics report computes them.

Pure arithmetic on numbers (numpy for the per-response work): no Django, no database. The loaders (lms.exams.services.item_analysis for a
session, `read_marks_csv` here for a Moodle-style marks file) turn their source into a `MarksTable`, and
`analyse` returns the figures. The formulas follow Moodle's public documentation of its quiz statistics
(https://docs.moodle.org/dev/Quiz_statistics_calculations) so that our numbers can be checked against
Moodle's own test data set (tests/unit/exams/test_statistics_moodle.py):

- test: mean and median of the attempt totals; standard deviation with n − 1; skewness and kurtosis from
  the k-statistics k2, k3, k4; coefficient of internal consistency (Cronbach's α, in %) from the sum of the
  item mark variances and k2; error ratio = 100·√(1 − CIC/100); standard error = error ratio × SD / 100;
- item: facility = mean mark / maximum mark; SD of the marks (n − 1); discrimination index = the
  correlation (in %) of the item's mark with the rest of the test (the total less this item);
  discriminative efficiency = that covariance as a share (in %) of the largest covariance the two mark
  distributions could have (both sorted the same way); effective weight = √cov(item, total) as a share
  of the sum of those roots over the items (blank for an item whose covariance with the total is negative);
  intended weight = maximum mark as a share of the paper's maximum.

A figure that cannot be computed is None, and `missing` says why with a code (see REASONS), so screens can
say "needs at least two attempts" where Moodle shows a blank.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, fields

import numpy as np

# Why a figure is missing. Screens translate these codes (lms.exams.reports.text).
NEEDS_1_ATTEMPT = "needs_1_attempt"
NEEDS_2_ATTEMPTS = "needs_2_attempts"
NEEDS_3_ATTEMPTS = "needs_3_attempts"
NEEDS_4_ATTEMPTS = "needs_4_attempts"
NEEDS_2_ITEMS = "needs_2_items"
NO_SPREAD = "no_spread"  # every attempt has the same total: no variance to divide by
ITEM_NO_SPREAD = "item_no_spread"  # everyone got the same mark on the item (or on the rest of the test)
NEGATIVE_COVARIANCE = "negative_covariance"
NO_MAX_MARK = "no_max_mark"

TEST_FIGURES = ("attempts", "mean", "median", "sd", "skewness", "kurtosis", "cic", "error_ratio", "standard_error")


def _plain_dict(figures) -> dict:
    """dataclasses.asdict for a flat figures dataclass (numbers, text and the `missing` dict): a report
    holds a thousand of them, and asdict's recursive deep copy was a tenth of the report's time."""
    names = _FIELD_NAMES.get(type(figures)) or _FIELD_NAMES.setdefault(type(figures), [f.name for f in fields(figures)])
    data = {name: getattr(figures, name) for name in names}
    data["missing"] = dict(figures.missing)
    return data


_FIELD_NAMES: dict[type, list[str]] = {}


@dataclass
class TestFigures:
    attempts: int
    mean: float | None = None
    median: float | None = None
    sd: float | None = None
    skewness: float | None = None
    kurtosis: float | None = None
    cic: float | None = None
    error_ratio: float | None = None
    standard_error: float | None = None
    max_mark: float | None = None
    missing: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return _plain_dict(self)


@dataclass
class ItemFigures:
    slot: int | str
    max_mark: float
    attempts: int = 0
    mean: float | None = None
    facility: float | None = None
    sd: float | None = None
    random_guess_score: float | None = None
    intended_weight: float | None = None
    effective_weight: float | None = None
    discrimination_index: float | None = None
    discriminative_efficiency: float | None = None
    mark_variance: float | None = None
    covariance_with_rest: float | None = None
    covariance_with_total: float | None = None
    missing: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return _plain_dict(self)


@dataclass
class ItemMarks:
    """One item's marks: `marks[i]` was earned in the attempt whose total is `totals[i]`."""

    slot: int | str
    max_mark: float
    marks: list[float]
    totals: list[float]
    random_guess_score: float | None = None


@dataclass
class MarksTable:
    """Every attempt's mark per slot (attempts × slots) and each attempt's total.

    `totals` are the attempt totals used for the test figures (Moodle uses the attempt's stored sum of
    grades there); the item figures use the sum of the row's marks, as Moodle's question calculator does.
    """

    slots: list[int | str]
    max_marks: list[float]
    rows: list[list[float]]
    totals: list[float]
    random_guess_scores: list[float | None] | None = None

    @property
    def attempts(self) -> int:
        return len(self.rows)


@dataclass
class Analysis:
    test: TestFigures
    items: list[ItemFigures]

    def as_dict(self) -> dict:
        return {**{name: getattr(self.test, name) for name in TEST_FIGURES}, "max_mark": self.test.max_mark,
                "missing": self.test.missing, "items": [item.as_dict() for item in self.items]}


# --- Test figures --------------------------------------------------------------------------------------


def median(values: Sequence[float]) -> float | None:
    ordered = sorted(values)
    n = len(ordered)
    if not n:
        return None
    middle = n // 2
    return ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def test_figures(totals: Sequence[float], *, sum_of_item_variances: float | None, items: int,
                 max_mark: float | None = None) -> TestFigures:
    """The figures of the attempt totals; `sum_of_item_variances` and `items` feed the CIC."""
    s = len(totals)
    figures = TestFigures(attempts=s, max_mark=max_mark)
    missing = figures.missing
    if s == 0:
        for name in TEST_FIGURES[1:]:
            missing[name] = NEEDS_1_ATTEMPT
        return figures
    mean = math.fsum(totals) / s
    figures.mean = mean
    figures.median = median(totals)
    if s < 2:
        for name in ("sd", "skewness", "kurtosis", "cic", "error_ratio", "standard_error"):
            missing[name] = NEEDS_2_ATTEMPTS
        return figures
    deviations = [t - mean for t in totals]
    power2 = math.fsum(d * d for d in deviations)
    power3 = math.fsum(d * d * d for d in deviations)
    power4 = math.fsum(d * d * d * d for d in deviations)
    figures.sd = math.sqrt(power2 / (s - 1))
    if s < 3:
        for name in ("skewness", "kurtosis", "cic", "error_ratio", "standard_error"):
            missing[name] = NEEDS_3_ATTEMPTS
        return figures
    m2, m3, m4 = power2 / s, power3 / s, power4 / s
    k2 = s * m2 / (s - 1)
    k3 = s * s * m3 / ((s - 1) * (s - 2))
    if k2 == 0:
        for name in ("skewness", "kurtosis", "cic", "error_ratio", "standard_error"):
            missing[name] = NO_SPREAD
        return figures
    figures.skewness = k3 / k2 ** 1.5
    if s > 3:
        k4 = s * s * ((s + 1) * m4 - 3 * (s - 1) * m2 * m2) / ((s - 1) * (s - 2) * (s - 3))
        figures.kurtosis = k4 / (k2 * k2)
    else:
        missing["kurtosis"] = NEEDS_4_ATTEMPTS
    if items > 1 and sum_of_item_variances is not None:
        figures.cic = (100 * items / (items - 1)) * (1 - sum_of_item_variances / k2)
        # A negative CIC (Moodle's own test set has one) gives an error ratio above 100 %; that is the figure.
        figures.error_ratio = 100 * math.sqrt(max(0.0, 1 - figures.cic / 100))
        figures.standard_error = figures.error_ratio * figures.sd / 100
    else:
        for name in ("cic", "error_ratio", "standard_error"):
            missing[name] = NEEDS_2_ITEMS
    return figures


# --- Item figures --------------------------------------------------------------------------------------


def item_figures(item: ItemMarks) -> ItemFigures:
    """One item's figures against the totals of the attempts it appeared in (effective weight comes later)."""
    return items_figures(keys=[item.slot], max_marks=[item.max_mark], guesses=[item.random_guess_score],
                         group=np.zeros(len(item.marks), dtype=np.int64),
                         marks=np.asarray(item.marks, dtype=float), totals=np.asarray(item.totals, dtype=float))[0]


def _sort_within(group: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Indices ordering by group, then by value: one float key (group × span + value) sorts faster than
    np.lexsort, and is exact since groups and values are small."""
    if not len(values):
        return np.zeros(0, dtype=np.int64)
    low = values.min()
    span = float(values.max() - low) + 1.0
    # Any order of equal values will do: they pair the same numbers, so no stable (slower) sort is needed.
    return np.argsort(group * span + (values - low))


@dataclass
class _ItemSums:
    """Per item (arrays indexed like the keys): attempts, mean mark, and the n − 1 variances and
    covariances the figures are made of; covariance_max pairs both columns sorted."""

    counts: np.ndarray
    mean: np.ndarray
    mark_variance: np.ndarray
    rest_variance: np.ndarray
    covariance: np.ndarray
    covariance_total: np.ndarray
    covariance_max: np.ndarray


def _grouped_sums(group: np.ndarray, marks: np.ndarray, totals: np.ndarray, n_items: int) -> _ItemSums:
    """Response i earned marks[i] on item group[i] in an attempt whose total is totals[i]. Every sum
    runs over an item's responses in their order (np.bincount adds one after the other)."""
    counts = np.bincount(group, minlength=n_items).astype(float)
    safe = np.where(counts > 0, counts, 1)
    rest = totals - marks
    mean = np.bincount(group, weights=marks, minlength=n_items) / safe
    rest_mean = np.bincount(group, weights=rest, minlength=n_items) / safe
    total_mean = np.bincount(group, weights=totals, minlength=n_items) / safe
    d_marks = marks - mean[group]
    d_rest = rest - rest_mean[group]
    d_totals = totals - total_mean[group]
    denominator = np.where(counts > 1, counts - 1, 1)
    # Sorted by item, then by value: both orders share the items' segments, so position k pairs the k-th
    # smallest mark with the k-th smallest rest score of the same item.
    by_mark = _sort_within(group, marks)
    by_rest = _sort_within(group, rest)
    return _ItemSums(
        counts=counts, mean=mean,
        mark_variance=np.bincount(group, weights=d_marks * d_marks, minlength=n_items) / denominator,
        rest_variance=np.bincount(group, weights=d_rest * d_rest, minlength=n_items) / denominator,
        covariance=np.bincount(group, weights=d_marks * d_rest, minlength=n_items) / denominator,
        covariance_total=np.bincount(group, weights=d_marks * d_totals, minlength=n_items) / denominator,
        covariance_max=np.bincount(group[by_mark], weights=d_marks[by_mark] * d_rest[by_rest],
                                   minlength=n_items) / denominator,
    )


def _matrix_sums(matrix: np.ndarray, totals: np.ndarray) -> _ItemSums:
    """The same sums when every attempt has a mark on every item (attempts × items, attempt i's total
    totals[i]): column operations instead of gathering by item, and each column sorted on its own.

    Each column is summed one row after the other, as _grouped_sums does, so both give the very same
    numbers (tests/unit/exams/test_psychometrics_sums.py): numpy sums a C-ordered matrix of several
    columns down its rows that way, but a single column is one contiguous run it adds pairwise, which
    rounds differently, so that one is summed cumulatively."""
    n_attempts, n_items = matrix.shape
    if not n_attempts:
        return _grouped_sums(np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0), n_items)

    def down(values: np.ndarray) -> np.ndarray:
        return values.sum(axis=0) if n_items > 1 else np.cumsum(values, axis=0)[-1]

    counts = np.full(n_items, float(n_attempts))
    rest = totals[:, None] - matrix
    mean = down(matrix) / counts
    rest_mean = down(rest) / counts
    total_mean = np.cumsum(totals)[-1] / counts
    d_marks = matrix - mean
    d_rest = rest - rest_mean
    d_totals = totals[:, None] - total_mean
    denominator = np.where(counts > 1, counts - 1, 1)
    return _ItemSums(
        counts=counts, mean=mean,
        mark_variance=down(d_marks * d_marks) / denominator,
        rest_variance=down(d_rest * d_rest) / denominator,
        covariance=down(d_marks * d_rest) / denominator,
        covariance_total=down(d_marks * d_totals) / denominator,
        # A deviation keeps its mark's order within a column: sort the deviations themselves.
        covariance_max=down(np.sort(d_marks, axis=0) * np.sort(d_rest, axis=0)) / denominator,
    )


def items_figures(*, keys: Sequence, max_marks: Sequence[float], guesses: Sequence[float | None],
                  group: np.ndarray, marks: np.ndarray, totals: np.ndarray) -> list[ItemFigures]:
    """The figures of many items at once. Response i earned `marks[i]` on item `group[i]` (an index into
    `keys`) in an attempt whose total is `totals[i]`. Vectorised over all responses (a session can hold a
    million), but the same arithmetic as one item at a time: means, n − 1 variances and covariances per
    item, and the largest possible covariance from both columns sorted within each item."""
    return _figures(keys, max_marks, guesses, _grouped_sums(group, marks, totals, len(keys)))


def _figures(keys: Sequence, max_marks: Sequence[float], guesses: Sequence[float | None],
             sums: _ItemSums) -> list[ItemFigures]:
    counts, mean, mark_variance, rest_variance = sums.counts, sums.mean, sums.mark_variance, sums.rest_variance
    covariance, covariance_total, covariance_max = sums.covariance, sums.covariance_total, sums.covariance_max
    result = []
    for index, key in enumerate(keys):
        s = int(counts[index])
        figures = ItemFigures(slot=key, max_mark=float(max_marks[index]), attempts=s,
                              random_guess_score=guesses[index])
        missing = figures.missing
        result.append(figures)
        if s == 0:
            for name in ("facility", "sd", "discrimination_index", "discriminative_efficiency", "effective_weight"):
                missing[name] = NEEDS_1_ATTEMPT
            continue
        figures.mean = float(mean[index])
        if figures.max_mark:
            figures.facility = figures.mean / figures.max_mark
        else:
            missing["facility"] = NO_MAX_MARK
        if s < 2:
            for name in ("sd", "discrimination_index", "discriminative_efficiency", "effective_weight"):
                missing[name] = NEEDS_2_ATTEMPTS
            continue
        variance = float(mark_variance[index])
        figures.mark_variance = variance
        figures.sd = math.sqrt(variance)
        figures.covariance_with_rest = float(covariance[index])
        figures.covariance_with_total = float(covariance_total[index])
        product = variance * float(rest_variance[index])
        # Rounding can leave 1e-17 where every mark was equal: treat a spread that small as none.
        if product > 1e-24:
            figures.discrimination_index = 100 * figures.covariance_with_rest / math.sqrt(product)
        else:
            missing["discrimination_index"] = ITEM_NO_SPREAD
        if abs(covariance_max[index]) > 1e-12:
            figures.discriminative_efficiency = 100 * figures.covariance_with_rest / float(covariance_max[index])
        else:
            missing["discriminative_efficiency"] = ITEM_NO_SPREAD
    return result


def add_weights(items: list[ItemFigures], *, paper_max_mark: float, slot_items: list[ItemFigures] | None = None,
                ) -> None:
    """Intended and effective weights. The effective weights' denominator is the sum of √cov(item, total)
    over `slot_items` (the paper's positions; by default the items themselves), as in Moodle."""
    basis = items if slot_items is None else slot_items
    root_sum = math.fsum(math.sqrt(i.covariance_with_total) for i in basis
                         if i.covariance_with_total is not None and i.covariance_with_total >= 0)
    for item in items:
        if paper_max_mark:
            item.intended_weight = 100 * item.max_mark / paper_max_mark
        if item.covariance_with_total is None:
            item.missing.setdefault("effective_weight", NEEDS_2_ATTEMPTS)
        elif item.covariance_with_total < 0:
            item.missing["effective_weight"] = NEGATIVE_COVARIANCE
        elif root_sum:
            item.effective_weight = 100 * math.sqrt(item.covariance_with_total) / root_sum
        else:
            item.missing["effective_weight"] = NO_SPREAD


def analyse(table: MarksTable) -> Analysis:
    """Test figures and one ItemFigures per slot, as Moodle's report shows them."""
    matrix = np.asarray(table.rows, dtype=float).reshape(len(table.rows), len(table.slots))
    sums = matrix.sum(axis=1)
    n_slots = matrix.shape[1]
    items = _figures(table.slots, table.max_marks, table.random_guess_scores or [None] * n_slots,
                     _matrix_sums(matrix, sums))
    paper_max = math.fsum(table.max_marks)
    add_weights(items, paper_max_mark=paper_max)
    variances = [i.mark_variance for i in items]
    sum_of_variances = math.fsum(variances) if table.attempts > 1 else None
    test = test_figures(table.totals, sum_of_item_variances=sum_of_variances, items=len(items),
                        max_mark=paper_max)
    return Analysis(test=test, items=items)


# --- Distractor analysis ---------------------------------------------------------------------------------

GROUP_SHARE = 0.27  # Kelley's upper and lower 27 %


def extreme_groups(totals: dict[int, float], *, share: float = GROUP_SHARE) -> tuple[set[int], set[int]]:
    """The attempts in the top and bottom `share` by total (at least one each once there are two attempts).

    Ties at a boundary are broken by attempt id so the groups are reproducible.
    """
    n = len(totals)
    if n < 2:
        return set(), set()
    size = max(1, round(share * n))
    if all(isinstance(key, int) for key in totals):  # attempt ids: numpy ranks ten thousand at once
        ids = np.fromiter(totals, dtype=np.int64, count=n)
        values = np.fromiter(totals.values(), dtype=float, count=n)
        return (set(ids[np.lexsort((ids, -values))[:size]].tolist()),
                set(ids[np.lexsort((ids, values))[:size]].tolist()))
    ranked = sorted(totals, key=lambda key: (-totals[key], key))
    top = set(ranked[:size])
    bottom = set(sorted(totals, key=lambda key: (totals[key], key))[:size])
    return top, bottom


@dataclass
class OptionCount:
    key: str
    is_key: bool
    chosen: int = 0
    top: int = 0
    bottom: int = 0


@dataclass
class DistractorAnalysis:
    """How often each option was chosen: overall, by the top group and by the bottom group."""

    attempts: int
    top_size: int
    bottom_size: int
    options: list[OptionCount]

    @property
    def unused_distractors(self) -> list[str]:
        return [o.key for o in self.options if not o.is_key and o.chosen == 0] if self.attempts else []

    @property
    def attractive_distractors(self) -> list[str]:
        """Wrong options the strong candidates chose more often than the weak ones."""
        found = []
        for o in self.options:
            if o.is_key or not self.top_size or not self.bottom_size:
                continue
            if o.top / self.top_size > o.bottom / self.bottom_size:
                found.append(o.key)
        return found

    def as_dict(self) -> dict:
        return {"attempts": self.attempts, "top_size": self.top_size, "bottom_size": self.bottom_size,
                "options": [{"key": o.key, "is_key": o.is_key, "chosen": o.chosen, "top": o.top, "bottom": o.bottom}
                            for o in self.options],
                "unused_distractors": self.unused_distractors,
                "attractive_distractors": self.attractive_distractors}


def distractor_analysis(*, option_keys: Sequence[str], answer_keys: Sequence[str],
                        choices: dict[int, Sequence[str]], top: set[int], bottom: set[int]) -> DistractorAnalysis:
    """`choices` maps attempt id → the option keys that attempt chose (empty when unanswered)."""
    counts = {key: OptionCount(key=key, is_key=key in answer_keys) for key in option_keys}
    for attempt_id, chosen in choices.items():
        for key in chosen:
            count = counts.get(key)
            if count is None:
                continue
            count.chosen += 1
            if attempt_id in top:
                count.top += 1
            if attempt_id in bottom:
                count.bottom += 1
    seen = set(choices)
    return DistractorAnalysis(attempts=len(choices), top_size=len(top & seen), bottom_size=len(bottom & seen),
                              options=list(counts.values()))


# --- Moodle-style marks CSV ----------------------------------------------------------------------------


class MarksFileError(ValueError):
    """A marks file was refused; `problems` lists (row, column, code, value) for every problem found.

    Rows are numbered as a spreadsheet shows them (the header is row 1). Codes: see CSV_PROBLEMS.
    """

    def __init__(self, problems: list[tuple[int | None, str, str, str]]):
        super().__init__("; ".join(f"row {r} column {c}: {code} {v!r}" for r, c, code, v in problems))
        self.problems = problems


CSV_EMPTY = "empty"
CSV_NO_ATTEMPT_COLUMN = "no_attempt_column"
CSV_NO_SLOT_COLUMNS = "no_slot_columns"
CSV_SLOT_GAP = "slot_gap"
CSV_UNKNOWN_COLUMN = "unknown_column"
CSV_DUPLICATE_COLUMN = "duplicate_column"
CSV_NOT_A_NUMBER = "not_a_number"
CSV_MISSING_VALUE = "missing_value"
CSV_NEGATIVE = "negative"
CSV_ABOVE_MAX = "above_max"
CSV_SUM_MISMATCH = "sum_mismatch"
CSV_WRONG_WIDTH = "wrong_width"
CSV_MAX_MARKS_COUNT = "max_marks_count"
SUM_TOLERANCE = 0.005  # totals are often typed with fewer decimals than the marks


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read_marks_csv(text: str, *, max_marks: Sequence[float] | None = None, max_mark: float = 1.0) -> MarksTable:
    """Parse `quizattempt,slots.1.mark,…,slots.N.mark[,summarks]`, one row per attempt.

    Every problem is collected before refusing, so one run names them all. Without a `summarks` column the
    totals are the sums of the marks.
    """
    problems: list[tuple[int | None, str, str, str]] = []
    reader = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    while reader and not any(cell.strip() for cell in reader[-1]):
        reader.pop()
    if not reader:
        raise MarksFileError([(None, "", CSV_EMPTY, "")])
    header = [cell.strip() for cell in reader[0]]
    slot_columns: dict[int, int] = {}
    attempt_column = summarks_column = None
    for index, name in enumerate(header):
        if name == "quizattempt":
            attempt_column = index
        elif name == "summarks":
            summarks_column = index
        elif name.startswith("slots.") and name.endswith(".mark") and name[6:-5].isdigit():
            number = int(name[6:-5])
            if number in slot_columns:
                problems.append((1, name, CSV_DUPLICATE_COLUMN, name))
            slot_columns[number] = index
        else:
            problems.append((1, name, CSV_UNKNOWN_COLUMN, name))
    if attempt_column is None:
        problems.append((1, "quizattempt", CSV_NO_ATTEMPT_COLUMN, ""))
    if not slot_columns:
        problems.append((1, "slots.1.mark", CSV_NO_SLOT_COLUMNS, ""))
    slots = sorted(slot_columns)
    for expected, number in enumerate(slots, start=1):
        if number != expected:
            problems.append((1, f"slots.{expected}.mark", CSV_SLOT_GAP, ""))
            break
    if max_marks is not None and len(max_marks) != len(slots):
        problems.append((None, "--max-marks", CSV_MAX_MARKS_COUNT, str(len(max_marks))))
    if problems:
        raise MarksFileError(problems)
    maxima = [float(m) for m in max_marks] if max_marks is not None else [float(max_mark)] * len(slots)
    rows, totals = [], []
    for row_number, cells in enumerate(reader[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue  # a blank line in the middle is not an attempt
        if len(cells) != len(header):
            problems.append((row_number, "", CSV_WRONG_WIDTH, str(len(cells))))
            continue
        marks, row_ok = [], True
        for slot, maximum in zip(slots, maxima, strict=True):
            column = header[slot_columns[slot]]
            raw = cells[slot_columns[slot]].strip()
            value = _number(raw)
            if raw == "":
                problems.append((row_number, column, CSV_MISSING_VALUE, raw))
                row_ok = False
            elif value is None:
                problems.append((row_number, column, CSV_NOT_A_NUMBER, raw))
                row_ok = False
            elif value < 0:
                problems.append((row_number, column, CSV_NEGATIVE, raw))
                row_ok = False
            elif value > maximum + 1e-9:
                problems.append((row_number, column, CSV_ABOVE_MAX, raw))
                row_ok = False
            marks.append(value)
        total = math.fsum(m for m in marks if m is not None) if row_ok else None
        if summarks_column is not None:
            raw = cells[summarks_column].strip()
            value = _number(raw)
            if value is None:
                problems.append((row_number, "summarks", CSV_MISSING_VALUE if raw == "" else CSV_NOT_A_NUMBER, raw))
                row_ok = False
            elif total is not None and abs(value - total) > SUM_TOLERANCE:
                problems.append((row_number, "summarks", CSV_SUM_MISMATCH, raw))
                row_ok = False
            else:
                total = value
        if row_ok:
            rows.append(marks)
            totals.append(total)
    if problems:
        raise MarksFileError(problems)
    return MarksTable(slots=slots, max_marks=maxima, rows=rows, totals=totals)
