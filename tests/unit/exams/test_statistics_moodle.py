"""Our statistics against Moodle's own expected values for its test data set results00.csv.

The expected values are those Moodle's quiz-statistics tests pin for this file (the test figures in its
steps walk-through test, the item figures in its fixture qstats00.csv), compared at the precision Moodle's
tests use: test figures to a relative 1.5e-5; item covariance, discrimination index, discriminative
efficiency and effective weight to a relative 1e-5; the other item figures to a relative 1e-6.
"""

import json
import os
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

import pytest

from lms.exams.psychometrics import analyse, read_marks_csv
from tests.conftest import missing_service

# shared/ sits beside the checkout (CI's clone) or beside the worktrees' folder (developers' machines).
_CANDIDATES = [Path(os.environ["SHARED_DIR"])] if os.environ.get("SHARED_DIR") else []
_CANDIDATES += [Path(settings.BASE_DIR).parent / "shared", Path(settings.BASE_DIR).parent.parent / "shared"]
RESULTS00 = next((p / "interop/moodle/results00.csv" for p in _CANDIDATES
                  if (p / "interop/moodle/results00.csv").exists()), _CANDIDATES[-1] / "interop/moodle/results00.csv")

TEST_EXPECTED = {
    "median": 4.5,
    "mean": 4.617333332,
    "attempts": 25,
    "sd": 0.8117265554,
    "skewness": -0.092502502,
    "kurtosis": -0.7073968557,
    "cic": -87.2230935542,
    "error_ratio": 136.8294900795,
    "standard_error": 1.1106813066,
}

# slot: facility, sd, effective weight, covariance (with the rest), mark variance, discrimination index,
# discriminative efficiency
ITEMS_EXPECTED = {
    1: (0.704, 0.4513682901, 21.2922742344, -0.022555556, 0.2037333333, -7.0650767526, -9.4550536967),
    2: (0.48, 0.5099019514, 18.8979800309, -0.1172777785, 0.26, -28.8982125772, -36.7834118938),
    3: (0.973333332, 0.13333334, 4.443012573, -0.0098888894, 0.0177777796, -9.1230674268, -21.6545012165),
    4: (0.68, 0.4760952286, 18.9347251357, -0.0833888893, 0.2266666667, -22.6306444113, -31.4411395613),
    5: (0.52, 0.3055050463, 11.1450138688, -0.0436944444, 0.0933333333, -17.6997047674, -21.1794802584),
    6: (0.64, 0.4898979486, 9.8081339177, -0.2015555547, 0.24, -45.3785178421, -56.9365974439),
    7: (0.62, 0.331662479, 15.4788602394, -0.0142499998, 0.11, -5.6543166602, -6.5043742058),
}


@pytest.fixture(scope="module")
def csv_text():
    if not RESULTS00.exists():
        missing_service("Moodle's data set results00.csv is not in shared/interop/moodle (set SHARED_DIR)")
    return RESULTS00.read_text()


def close(actual, expected, relative):
    return actual == pytest.approx(expected, rel=relative, abs=0)


def test_test_figures_equal_moodles(csv_text):
    test = analyse(read_marks_csv(csv_text)).test
    for name, expected in TEST_EXPECTED.items():
        assert close(getattr(test, name), expected, 1.5e-5), name


@pytest.mark.parametrize("slot", sorted(ITEMS_EXPECTED))
def test_item_figures_equal_moodles(csv_text, slot):
    item = analyse(read_marks_csv(csv_text)).items[slot - 1]
    facility, sd, effective_weight, covariance, variance, di, de = ITEMS_EXPECTED[slot]
    assert item.slot == slot
    assert close(item.facility, facility, 1e-6)
    assert close(item.sd, sd, 1e-6)
    assert close(item.mark_variance, variance, 1e-6)
    assert close(item.covariance_with_rest, covariance, 1e-5)
    assert close(item.effective_weight, effective_weight, 1e-5)
    assert close(item.discrimination_index, di, 1e-5)
    assert close(item.discriminative_efficiency, de, 1e-5)


def test_command_json_has_moodles_values(csv_text, capsys):
    call_command("item_statistics", "--marks-csv", str(RESULTS00), "--json")
    data = json.loads(capsys.readouterr().out)
    for name, expected in TEST_EXPECTED.items():
        assert close(data[name], expected, 1.5e-5), name
    assert [item["slot"] for item in data["items"]] == list(range(1, 8))
    for item in data["items"]:
        facility, sd, _ew, _cov, _var, di, de = ITEMS_EXPECTED[item["slot"]]
        assert close(item["facility"], facility, 1e-6)
        assert close(item["sd"], sd, 1e-6)
        assert close(item["discrimination_index"], di, 1e-5)
        assert close(item["discriminative_efficiency"], de, 1e-5)
