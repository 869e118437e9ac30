"""Item health pools a version's figures over every exam it appeared in, and flags by the pooled figures."""

import pytest

from question_bank.models import QuestionVersion, VersionHealth
from question_bank.services.item_health import MIN_ATTEMPTS, record_exam_statistics
from tests.unit.exams.factories import build_bank

pytestmark = pytest.mark.django_db


def _options(a, b, c, d, top=(0, 0, 0, 0), bottom=(0, 0, 0, 0), sizes=(3, 3)):
    return {"top_size": sizes[0], "bottom_size": sizes[1], "options": [
        {"key": k, "is_key": k == "B", "chosen": n, "top": t, "bottom": u}
        for k, n, t, u in zip("ABCD", (a, b, c, d), top, bottom, strict=True)]}


@pytest.fixture
def version():
    build_bank({("single", "K1", 3): 1})
    return QuestionVersion.objects.get()


def row(version, attempts, facility, di, distractors):
    return {"version_id": version.pk, "attempts": attempts, "facility": facility, "sd": 0.5,
            "discrimination_index": di, "discriminative_efficiency": di, "distractors": distractors}


def test_figures_are_pooled_over_exams_weighted_by_attempts(version):
    record_exam_statistics(source_key="exams.session:1", source_label="一月考试", taken_on=None,
                           rows=[row(version, 6, 0.5, 40.0, _options(1, 3, 1, 1))])
    health = VersionHealth.objects.get(version=version)
    assert health.attempts == 6 and health.flags == []  # below MIN_ATTEMPTS: no verdict yet
    record_exam_statistics(source_key="exams.session:2", source_label="二月考试", taken_on=None,
                           rows=[row(version, 14, 1.0, None, _options(0, 14, 0, 0))])
    health = VersionHealth.objects.get(version=version)
    assert health.exams == 2 and health.attempts == 20 >= MIN_ATTEMPTS
    assert health.facility == pytest.approx((6 * 0.5 + 14 * 1.0) / 20)  # 0.85: not too easy
    assert health.discrimination_index == pytest.approx(40.0)  # only the exam that had a figure counts
    assert health.flags == []  # every wrong option was chosen in the first exam


def test_pooled_flags_name_each_reason(version):
    record_exam_statistics(source_key="exams.session:3", source_label="三月考试", taken_on=None, rows=[
        row(version, 12, 0.97, 5.0, _options(2, 10, 0, 0, top=(2, 1, 0, 0), bottom=(0, 3, 0, 0)))])
    health = VersionHealth.objects.get(version=version)
    assert health.flags == ["too_easy", "low_discrimination", "unused_distractor", "attractive_distractor"]
    assert health.flagged


def test_recomputing_an_exam_replaces_its_figures(version):
    for _ in range(2):
        record_exam_statistics(source_key="exams.session:4", source_label="四月考试", taken_on=None,
                               rows=[row(version, 12, 0.6, 30.0, _options(3, 6, 2, 1))])
    health = VersionHealth.objects.get(version=version)
    assert (health.exams, health.attempts) == (1, 12)
