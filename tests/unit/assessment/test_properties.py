"""Property tests of the scoring rules (pure, no database): totals and bounds for any scheme and any figures;
and a scheme whose weights do not add up to 100 never passes the checks that publication runs."""

from decimal import Decimal

from django.db import transaction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.assessment.scoring import Figure, IndicatorSpec, UnitResult, assemble
from lms.assessment.validation import Row, check_rows

KINDS = ["exam", "study", "roster", "entered", "deduction"]
tenths = st.integers(min_value=0, max_value=400).map(lambda n: Decimal(n) / 10)


def split(total: Decimal, parts: int, cuts: list[int]) -> list[Decimal]:
    """Split `total` (tenths) into `parts` non-negative tenths from sorted cut points."""
    units = int(total * 10)
    marks = sorted(c % (units + 1) for c in cuts[: parts - 1])
    edges = [0, *marks, units]
    return [Decimal(edges[i + 1] - edges[i]) / 10 for i in range(parts)]


@st.composite
def schemes(draw):
    """A random tree: top-level leaves and groups (with leaf children), whose points add up to 100."""
    top_count = draw(st.integers(min_value=1, max_value=6))
    top_points = split(Decimal("100"), top_count, draw(st.lists(st.integers(0, 1000), min_size=5, max_size=5)))
    specs = []
    for t, points in enumerate(top_points):
        if draw(st.booleans()):
            specs.append(IndicatorSpec(code=f"G{t}", name=f"组{t}", kind="group", points=points))
            kids = draw(st.integers(min_value=1, max_value=3))
            for k, kid_points in enumerate(split(points, kids, draw(st.lists(st.integers(0, 1000), min_size=2,
                                                                              max_size=2)))):
                specs.append(leaf(draw, f"G{t}L{k}", kid_points, parent=f"G{t}"))
        else:
            specs.append(leaf(draw, f"L{t}", points))
    return specs


def leaf(draw, code, points, parent=""):
    kind = draw(st.sampled_from(KINDS))
    spec = IndicatorSpec(code=code, name=code, kind=kind, points=points, parent_code=parent)
    if kind == "deduction":
        spec.per_item = draw(tenths.filter(lambda v: v > 0))
        spec.minimum = -draw(st.integers(min_value=0, max_value=100).map(lambda n: Decimal(n) / 10))
    return spec


figures_for = st.fixed_dictionaries({
    "ratio": st.one_of(st.none(), st.decimals(min_value=0, max_value=1, places=4)),
    "count": st.integers(min_value=0, max_value=50),
    "status": st.sampled_from(["ok", "missing", "waived", "no_data"]),
})


@settings(max_examples=150, deadline=None)
@given(specs=schemes(), data=st.data(), squad_count=st.integers(min_value=1, max_value=5),
       rule=st.sampled_from(["mean", "headcount"]))
def test_every_total_is_the_sum_of_its_indicator_scores_each_within_bounds(specs, data, squad_count, rule):
    squads = [UnitResult(unit_id=i, code=f"Q{i}", name=f"中队{i}", kind="squad",
                         headcount=data.draw(st.integers(min_value=0, max_value=40)))
              for i in range(1, squad_count + 1)]
    figures = {}
    for squad in squads:
        for spec in specs:
            if spec.kind == "group":
                continue
            raw = data.draw(figures_for)
            figures[(spec.code, squad.unit_id)] = Figure(ratio=raw["ratio"], count=Decimal(raw["count"]),
                                                         status=raw["status"])
    street = UnitResult(unit_id=100, code="S", name="街道", kind="street")
    result = assemble(year=2026, title="t", street_rule=rule, street_rule_label="", specs=specs, squads=squads,
                      figures=figures, streets=[(street, [s.unit_id for s in squads])], levels=[])
    leaves = [s for s in specs if s.kind != "group"]
    top = [s for s in specs if not s.parent_code]
    for unit in result.squads + result.streets:
        assert unit.total == sum(unit.cells[s.code].score for s in top)
        assert unit.total == sum(unit.cells[s.code].score for s in leaves)
        for spec in leaves:
            cell = unit.cells[spec.code]
            assert spec.minimum <= cell.score <= spec.points, (spec, cell)
    ranks = [u.rank for u in result.squads]
    assert ranks == sorted(ranks) and ranks[0] == 1


@settings(max_examples=150, deadline=None)
@given(points=st.lists(tenths, min_size=1, max_size=8))
def test_weights_that_do_not_add_up_to_100_never_pass(points):
    rows = [Row(number=n, code=f"L{n}", name=f"指标{n}", parent_code="", kind="entered", points=p)
            for n, p in enumerate(points, start=1)]
    errors = check_rows(rows)
    if sum(points) == 100:
        assert errors == []
    else:
        assert any("必须等于 100 分" in e for e in errors)


# --- The same property through the database: compute_year on random exam scores, entries and deductions ---

scores = st.lists(st.one_of(st.just("absent"), st.integers(min_value=0, max_value=100)), min_size=0, max_size=4)


@pytest.mark.django_db
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(exam_points=st.integers(min_value=0, max_value=60), a=scores, b=scores,
       case=st.tuples(st.integers(0, 100), st.integers(0, 100)), fees=st.tuples(st.integers(0, 9), st.integers(0, 9)),
       rule=st.sampled_from(["zero", "excluded"]), measure=st.sampled_from(["mean", "pass_rate", "participation"]))
def test_computed_years_keep_totals_and_bounds(exam_points, a, b, case, fees, rule, measure):
    from lms.assessment.models import Indicator
    from lms.assessment.services.compute import compute_year
    from lms.assessment.services.entries import enter_score
    from lms.roster.models import Position

    from .factories import district, exam, graded_session, scheme

    with transaction.atomic():
        units = district({"S1": {"A": {Position.LEGAL_OFFICER: 1}, "B": {Position.SQUAD_LEADER: 2}}})
        graded_session(year=2026, code="E", results={"A": a, "B": b})
        case_points = 90 - exam_points
        s = scheme(2026, [exam(exam_points, measure, rule),
                          {"code": "CASE", "name": "案卷评查", "kind": "entered", "points": case_points},
                          {"code": "FEE", "name": "保管费", "kind": "deduction", "points": 10,
                           "deduction_per_item": 3, "floor": -5}])
        for code, share, fee in (("A", case[0], fees[0]), ("B", case[1], fees[1])):
            enter_score(indicator=Indicator.objects.get(scheme=s, code="CASE"), unit=units[code],
                        value=(Decimal(case_points) * share / 100).quantize(Decimal("0.01")))
            enter_score(indicator=Indicator.objects.get(scheme=s, code="FEE"), unit=units[code], value=fee)
        result = compute_year(s)
        for unit in result.squads + result.streets:
            assert unit.total == sum(unit.cells[spec.code].score for spec in result.top_level)
            for spec in result.indicators:
                assert spec.minimum <= unit.cells[spec.code].score <= spec.points
        transaction.set_rollback(True)
