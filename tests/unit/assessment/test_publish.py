"""Publishing: what blocks it, the frozen snapshot, republishing with a reason, regraded sessions."""

from decimal import Decimal

from django.core.exceptions import ValidationError

import pytest

from lms.assessment.models import Indicator, Publication
from lms.assessment.services.entries import enter_score, waive_score
from lms.assessment.services.publish import drift, publish_year
from lms.assessment.services.schemes import AssessmentError
from lms.core.models import AuditEntry
from lms.exams.models import Attempt
from lms.roster.models import Position

from .factories import district, entered, exam, graded_session, scheme

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    return district({"S1": {"A": {Position.LEGAL_OFFICER: 1}, "B": {Position.LEGAL_OFFICER: 1}}})


def ready_scheme(year, units, actor, *, session_scores=None):
    graded_session(year=year, code=f"E{year}", results=session_scores or {"A": [80, 70], "B": [60, "absent"]})
    s = scheme(year, [exam(30), entered(70)])
    case = Indicator.objects.get(scheme=s, code="CASE")
    for code in ("A", "B"):
        enter_score(indicator=case, unit=units[code], value=50, actor=actor)
    return s


def test_a_missing_entered_score_blocks_publication_until_entered(units, assessor):
    s = ready_scheme(2026, units, assessor)
    Indicator.objects.get(scheme=s, code="CASE").entered_scores.filter(unit=units["B"]).delete()
    with pytest.raises(AssessmentError) as refused:
        publish_year(scheme=s, actor=assessor)
    assert any("B中队" in m and "尚未录入" in m for m in refused.value.messages)
    assert not Publication.objects.exists()
    enter_score(indicator=Indicator.objects.get(scheme=s, code="CASE"), unit=units["B"], value=40, actor=assessor)
    assert publish_year(scheme=s, actor=assessor).version == 1


def test_a_missing_score_waived_with_a_reason_lets_the_year_publish(units, assessor):
    s = ready_scheme(2026, units, assessor)
    case = Indicator.objects.get(scheme=s, code="CASE")
    case.entered_scores.filter(unit=units["B"]).delete()
    with pytest.raises(AssessmentError, match="须填写原因"):
        waive_score(indicator=case, unit=units["B"], reason="  ", actor=assessor)
    waive_score(indicator=case, unit=units["B"], reason="中队年中组建，无案卷", actor=assessor)
    publication = publish_year(scheme=s, actor=assessor)
    b = next(u for u in publication.data["squads"] if u["code"] == "B")
    assert b["cells"]["CASE"]["status"] == "waived"
    assert "中队年中组建" in b["cells"]["CASE"]["detail"]


def test_weights_that_do_not_add_up_to_100_cannot_be_published(units, assessor):
    s = ready_scheme(2026, units, assessor)
    Indicator.objects.filter(scheme=s, code="EXAM").update(points=Decimal("25"))
    with pytest.raises(AssessmentError) as refused:
        publish_year(scheme=s, actor=assessor)
    assert "一级指标分值合计为 95 分，必须等于 100 分（相差 5 分）。" in refused.value.messages
    assert not Publication.objects.exists()


def test_an_exam_indicator_with_no_graded_session_cannot_be_published(units, assessor):
    s = scheme(2025, [exam(30), entered(70)])
    for code in ("A", "B"):
        enter_score(indicator=Indicator.objects.get(scheme=s, code="CASE"), unit=units[code], value=10, actor=assessor)
    graded_session(year=2025, code="OPEN25", results={"A": [90]}, status="open")
    with pytest.raises(AssessmentError) as refused:
        publish_year(scheme=s, actor=assessor)
    assert "指标“法律知识当场考试”（EXAM）：2025 年没有已阅卷的考试场次，无法计算。" in refused.value.messages
    assert not Publication.objects.exists()


def test_publication_freezes_the_results_and_is_immutable(units, assessor):
    s = ready_scheme(2026, units, assessor)
    publication = publish_year(scheme=s, actor=assessor)
    assert publication.published_by == assessor and len(publication.digest) == 64
    assert AuditEntry.objects.filter(action="assessment.publish").count() == 1
    publication.data = {}
    with pytest.raises(ValidationError):
        publication.save()
    with pytest.raises(ValidationError):
        Publication.objects.get().delete()


def test_republishing_needs_a_reason_and_keeps_the_previous_version(units, assessor):
    s = ready_scheme(2026, units, assessor)
    first = publish_year(scheme=s, actor=assessor)
    with pytest.raises(AssessmentError, match="重新发布须填写原因"):
        publish_year(scheme=s, actor=assessor)
    enter_score(indicator=Indicator.objects.get(scheme=s, code="CASE"), unit=units["A"], value=60, actor=assessor)
    second = publish_year(scheme=s, actor=assessor, reason="A中队案卷评查复核后更正")
    first.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert first.superseded_at is not None and second.superseded_at is None
    a_first = next(u for u in first.data["squads"] if u["code"] == "A")
    a_second = next(u for u in second.data["squads"] if u["code"] == "A")
    assert (a_first["cells"]["CASE"]["score"], a_second["cells"]["CASE"]["score"]) == ("50.00", "60.00")
    assert second.reason == "A中队案卷评查复核后更正"


def test_a_regraded_session_changes_only_the_unpublished_year_and_says_which_published_year_would_change(
        units, assessor, client):
    published = ready_scheme(2025, units, assessor)
    publication = publish_year(scheme=published, actor=assessor)
    open_year = ready_scheme(2026, units, assessor)
    from lms.assessment.services.compute import compute_year

    before_2026 = compute_year(open_year).unit(units["A"].pk).total
    # Both sessions are regraded: A's 70 becomes 90.
    for year in (2025, 2026):
        attempt = Attempt.objects.get(session__code=f"E{year}", candidate__squad=units["A"], score=Decimal("70"))
        Attempt.objects.filter(pk=attempt.pk).update(score=Decimal("90"))
    # The unpublished year follows the new marks: (0.8 + 0.9) / 2 × 30 = 25.50 instead of 22.50.
    assert compute_year(open_year).unit(units["A"].pk).cells["EXAM"].score == Decimal("25.50")
    assert compute_year(open_year).unit(units["A"].pk).total == before_2026 + 3
    # The published year keeps its figures …
    publication.refresh_from_db()
    a = next(u for u in publication.data["squads"] if u["code"] == "A")
    assert a["cells"]["EXAM"]["score"] == "22.50"
    # … and the screens say that it would have changed.
    found = drift(publication)
    assert found.year == 2025 and ("A中队", "72.50", "75.50") in found.units
    client.force_login(assessor)
    page = client.get("/admin/assessment/").content.decode()
    assert 'data-drift="2025"' in page and "A中队：72.50 → 75.50" in page
    assert 'data-drift="2026"' not in page


def test_grading_can_ask_which_published_years_a_session_fed(units, assessor):
    from lms.assessment.selectors import published_years_using_session
    from lms.exams.models import ExamSession

    s = ready_scheme(2025, units, assessor)
    session = ExamSession.objects.get(code="E2025")
    assert published_years_using_session(session) == []
    publication = publish_year(scheme=s, actor=assessor)
    assert published_years_using_session(session) == [publication]
    other = graded_session(year=2025, code="OTHER", results={"A": [50]})
    indicator = Indicator.objects.get(scheme=s, code="EXAM")
    indicator.sessions.set([session])
    indicator.save()
    assert published_years_using_session(other) == []
