"""The arithmetic of the assessment, free of the database: scoring one indicator, totals, streets, ranks, stars.

Everything here works on plain values (specs, figures), so the what-if preview, publication and the
property tests all run the very same rules. Scores are rounded to 0.01 per indicator and totals are sums
of the rounded figures, so a unit's total always equals the sum of its breakdown.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0")
ONE = Decimal("1")

KIND_GROUP = "group"
KIND_DEDUCTION = "deduction"

# Figure statuses
OK = "ok"
MISSING = "missing"  # an entered score nobody entered: blocks publication
WAIVED = "waived"  # an entered score waived with a reason: counts as 0
NO_DATA = "no_data"  # nothing to compute from (no candidates, nobody on the plan): counts as 0


def q(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class IndicatorSpec:
    code: str
    name: str
    kind: str
    points: Decimal
    parent_code: str = ""
    minimum: Decimal = ZERO
    per_item: Decimal | None = None
    star_aspect: str = ""
    star_aspect_label: str = ""
    description: str = ""
    formula: str = ""  # how the figure is made, in words, for the breakdown
    depth: int = 0

    @property
    def is_group(self) -> bool:
        return self.kind == KIND_GROUP


@dataclass
class Figure:
    """What one unit got on one leaf indicator, before scaling to points."""

    ratio: Decimal | None = None  # share of the points earned, in [0, 1]
    count: Decimal | None = None  # deductions: number of items
    status: str = OK
    source: str = ""
    detail: str = ""


@dataclass
class Cell:
    score: Decimal
    points: Decimal
    minimum: Decimal
    status: str = OK
    source: str = ""
    detail: str = ""


@dataclass
class UnitResult:
    unit_id: int
    code: str
    name: str
    kind: str  # "squad" or "street"
    parent_name: str = ""
    headcount: int = 0
    cells: dict[str, Cell] = field(default_factory=dict)
    total: Decimal = ZERO
    rank: int = 0
    stars: int | None = None
    star_lacks: list[str] = field(default_factory=list)
    missing: int = 0


@dataclass
class Issue:
    message: str
    blocking: bool = True
    indicator: str = ""
    unit: str = ""


@dataclass
class YearResult:
    year: int
    title: str
    street_rule: str
    indicators: list[IndicatorSpec]
    squads: list[UnitResult]
    streets: list[UnitResult]
    issues: list[Issue] = field(default_factory=list)
    star_levels: list[tuple[int, Decimal, Decimal]] = field(default_factory=list)
    computed_at: str = ""

    @property
    def top_level(self) -> list[IndicatorSpec]:
        return [spec for spec in self.indicators if not spec.parent_code]

    @property
    def blocking_issues(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.blocking]

    def unit(self, unit_id: int) -> UnitResult | None:
        return next((u for u in self.squads + self.streets if u.unit_id == unit_id), None)

    # --- JSON (the frozen copy of a publication) ---

    def to_dict(self) -> dict:
        def plain(value):
            if isinstance(value, Decimal):
                return str(value)
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, list | tuple):
                return [plain(v) for v in value]
            return value

        return plain(asdict(self))

    @classmethod
    def from_dict(cls, data: dict) -> YearResult:
        def spec(d):
            d = dict(d)
            for key in ("points", "minimum"):
                d[key] = Decimal(d[key])
            d["per_item"] = Decimal(d["per_item"]) if d.get("per_item") is not None else None
            return IndicatorSpec(**d)

        def unit(d):
            d = dict(d)
            d["cells"] = {
                code: Cell(**{**c, "score": Decimal(c["score"]), "points": Decimal(c["points"]),
                              "minimum": Decimal(c["minimum"])})
                for code, c in d["cells"].items()
            }
            d["total"] = Decimal(d["total"])
            return UnitResult(**d)

        return cls(
            year=data["year"], title=data["title"], street_rule=data["street_rule"],
            indicators=[spec(s) for s in data["indicators"]],
            squads=[unit(u) for u in data["squads"]], streets=[unit(u) for u in data["streets"]],
            issues=[Issue(**i) for i in data.get("issues", [])],
            star_levels=[(int(n), Decimal(t), Decimal(m)) for n, t, m in data.get("star_levels", [])],
            computed_at=data.get("computed_at", ""),
        )


def leaf_score(*, spec: IndicatorSpec, figure: Figure) -> Decimal:
    """The points one figure earns on one leaf indicator, within [spec.minimum, spec.points]."""
    if spec.kind == KIND_DEDUCTION:
        count = figure.count or ZERO
        per_item = spec.per_item or ZERO
        return q(max(spec.minimum, min(spec.points, spec.points - per_item * count)))
    if figure.ratio is None:
        return q(ZERO)
    ratio = min(ONE, max(ZERO, figure.ratio))
    return q(spec.points * ratio)


def children_of(specs: list[IndicatorSpec]) -> dict[str, list[IndicatorSpec]]:
    children: dict[str, list[IndicatorSpec]] = {}
    for spec in specs:
        children.setdefault(spec.parent_code, []).append(spec)
    return children


def fill_groups(specs: list[IndicatorSpec], cells: dict[str, Cell]) -> Decimal:
    """Give every group the sum of its children (deepest first) and return the total of the top level."""
    children = children_of(specs)

    def group_cell(spec: IndicatorSpec) -> Cell:
        if spec.code in cells:
            return cells[spec.code]
        kids = [group_cell(child) if child.is_group else cells[child.code] for child in children.get(spec.code, [])]
        cell = Cell(score=sum((k.score for k in kids), ZERO), points=spec.points,
                    minimum=sum((k.minimum for k in kids), ZERO),
                    status=MISSING if any(k.status == MISSING for k in kids) else OK)
        cells[spec.code] = cell
        return cell

    for spec in specs:
        if spec.is_group:
            group_cell(spec)
    return sum((cells[spec.code].score for spec in children.get("", [])), ZERO)


def score_squad(*, specs: list[IndicatorSpec], figures: dict[str, Figure]) -> tuple[dict[str, Cell], Decimal]:
    cells: dict[str, Cell] = {}
    for spec in specs:
        if spec.is_group:
            continue
        figure = figures.get(spec.code) or Figure(status=NO_DATA)
        cells[spec.code] = Cell(score=leaf_score(spec=spec, figure=figure), points=spec.points,
                                minimum=spec.minimum, status=figure.status, source=figure.source,
                                detail=figure.detail)
    total = fill_groups(specs, cells)
    return cells, total


def aggregate_street(*, specs: list[IndicatorSpec], squads: list[UnitResult], rule: str,
                     rule_label: str) -> tuple[dict[str, Cell], Decimal]:
    """A street office's cells: the mean (or headcount-weighted mean) of its squads' leaf scores."""
    weights = [Decimal(s.headcount) for s in squads] if rule == "headcount" else [ONE] * len(squads)
    if not squads or sum(weights) == 0:
        weights = [ONE] * len(squads)
    weight_sum = sum(weights, ZERO)
    cells: dict[str, Cell] = {}
    names = "、".join(s.name for s in squads)
    for spec in specs:
        if spec.is_group:
            continue
        if not squads:
            cells[spec.code] = Cell(score=q(ZERO), points=spec.points, minimum=spec.minimum, status=NO_DATA,
                                    source=rule_label, detail="")
            continue
        value = sum((s.cells[spec.code].score * w for s, w in zip(squads, weights, strict=True)), ZERO) / weight_sum
        status = MISSING if any(s.cells[spec.code].status == MISSING for s in squads) else OK
        cells[spec.code] = Cell(score=q(value), points=spec.points, minimum=spec.minimum, status=status,
                                source=rule_label, detail=names)
    total = fill_groups(specs, cells)
    return cells, total


def rank(units: list[UnitResult]) -> list[UnitResult]:
    """Competition ranking: equal totals share a rank, the next rank skips (1, 2, 2, 4)."""
    ordered = sorted(units, key=lambda u: (-u.total, u.code))
    previous_total, previous_rank = None, 0
    for position, unit in enumerate(ordered, start=1):
        unit.rank = previous_rank if unit.total == previous_total else position
        previous_total, previous_rank = unit.total, unit.rank
    return ordered


def star_rating(*, specs: list[IndicatorSpec], cells: dict[str, Cell],
                levels: list[tuple[int, Decimal, Decimal]]) -> tuple[int | None, list[str]]:
    """Stars from the four aspects' scores, and what the squad lacks for the next star (in Chinese)."""
    aspects = [spec for spec in specs if spec.star_aspect]
    points = sum((spec.points for spec in aspects), ZERO)
    if not aspects or points == 0:
        return None, []
    scores = {spec.code: cells[spec.code].score for spec in aspects}
    share = sum(scores.values(), ZERO) / points * 100

    def meets(total_share: Decimal, minimum: Decimal) -> bool:
        return share >= total_share and all(
            spec.points == 0 or scores[spec.code] / spec.points * 100 >= minimum for spec in aspects
        )

    stars = 0
    for number, total_share, minimum in levels:
        if meets(total_share, minimum):
            stars = number
    lacks: list[str] = []
    following = next((level for level in levels if level[0] == stars + 1), None)
    if following:
        number, total_share, minimum = following
        needed = q(total_share / 100 * points - sum(scores.values(), ZERO))
        if needed > 0:
            lacks.append(f"四个方面合计还差 {needed} 分（需达到 {total_share}%）")
        for spec in aspects:
            gap = q(minimum / 100 * spec.points - scores[spec.code])
            if gap > 0:
                lacks.append(f"“{spec.name}”还差 {gap} 分（需不低于 {minimum}%）")
    return stars, lacks


def assemble(*, year: int, title: str, street_rule: str, street_rule_label: str, specs: list[IndicatorSpec],
             squads: list[UnitResult], figures: dict[tuple[str, int], Figure],
             streets: list[tuple[UnitResult, list[int]]], levels: list[tuple[int, Decimal, Decimal]],
             issues: list[Issue] | None = None) -> YearResult:
    """Score every squad from its figures, then every street from its squads; rank both; rate squads."""
    by_id = {}
    by_unit: dict[int, dict[str, Figure]] = {}
    for (code, unit_id), figure in figures.items():
        by_unit.setdefault(unit_id, {})[code] = figure
    for squad in squads:
        squad.cells, squad.total = score_squad(specs=specs, figures=by_unit.get(squad.unit_id, {}))
        squad.missing = sum(1 for spec in specs if not spec.is_group and squad.cells[spec.code].status == MISSING)
        squad.stars, squad.star_lacks = star_rating(specs=specs, cells=squad.cells, levels=levels)
        by_id[squad.unit_id] = squad
    street_units = []
    for street, squad_ids in streets:
        members = [by_id[i] for i in squad_ids if i in by_id]
        street.cells, street.total = aggregate_street(specs=specs, squads=members, rule=street_rule,
                                                      rule_label=street_rule_label)
        street.headcount = sum(m.headcount for m in members)
        street.missing = sum(m.missing for m in members)
        street_units.append(street)
    return YearResult(year=year, title=title, street_rule=street_rule, indicators=specs,
                      squads=rank(squads), streets=rank(street_units), issues=list(issues or []),
                      star_levels=levels)
