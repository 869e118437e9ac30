"""The import benchmark runs end to end on a tiny bank (figures are not asserted: that is the bench's job)."""

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[3] / "bench" / "question_import.py"


@pytest.mark.django_db
def test_bench_smoke():
    spec = importlib.util.spec_from_file_location("question_import_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    figures = module.run(questions=40, baseline_rows=10, searches=5)
    assert figures["questions"] == 40 and figures["search_p95_ms"] >= 0
    assert figures["baseline_library_default_rows_per_s"] > 0
