"""The slot analysis (a full attempts × items matrix, column by column) and the question-version analysis
(responses grouped by item) reach the same sums by two routes: they must agree to the last bit."""

from dataclasses import fields

import numpy as np
import pytest

from lms.exams.psychometrics import _grouped_sums, _matrix_sums


@pytest.mark.parametrize(("attempts", "items"), [(0, 3), (1, 3), (2, 1), (25, 1), (40, 4), (1000, 7), (3000, 100)])
@pytest.mark.parametrize("marks", ["whole and half points", "any fraction"])
def test_matrix_and_grouped_sums_agree_to_the_last_bit(attempts, items, marks):
    rng = np.random.default_rng(attempts * 1000 + items)
    if marks == "whole and half points":  # many ties, as real marks have
        matrix = rng.integers(0, 5, size=(attempts, items)) * 0.5
    else:
        matrix = rng.random((attempts, items)) * 3.7
    totals = matrix.sum(axis=1)
    by_column = _matrix_sums(matrix, totals)
    grouped = _grouped_sums(np.tile(np.arange(items), attempts), matrix.ravel(), np.repeat(totals, items), items)
    for field in fields(by_column):
        assert np.array_equal(getattr(by_column, field.name), getattr(grouped, field.name)), field.name
