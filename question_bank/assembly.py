"""Paper assembly: from a blueprint to a fixed cell plan, and from the plan to reproducible papers.

A *cell* is (question type × knowledge point × difficulty) with a number of questions. `plan_blueprint`
allocates every section's count over cells once, against the active bank, honouring the quotas by knowledge
point and by difficulty (a small max-flow problem); every paper of an exam then fills exactly these cells,
so no candidate gets an easier paper by chance. `assemble_paper` picks the questions of each cell with a
PRNG seeded from SHA-256 of (seed, key): the same seed and key always give the same paper.
"""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict, deque
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from functools import cached_property
from itertools import permutations
from typing import NamedTuple

from django.utils.translation import gettext as _

from .models import Blueprint, KnowledgePoint, Question, QuestionStatus, QuestionType, QuestionUse

DIFFICULTIES = (1, 2, 3, 4, 5)
OPTION_TYPES = {QuestionType.SINGLE, QuestionType.MULTIPLE}
INFINITE = 10**9
MAX_LISTED_OPTIONS = 6
OPTION_ORDERS = {n: list(permutations(range(n))) for n in range(2, MAX_LISTED_OPTIONS + 1)}
IDENTITY_ORDERS = {n: tuple(range(n)) for n in range(0, MAX_LISTED_OPTIONS + 1)}


@dataclass(frozen=True)
class Cell:
    section: int  # index of the section in the blueprint
    question_type: str
    knowledge_point_id: int
    difficulty: int
    count: int
    points: Decimal

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.question_type, self.knowledge_point_id, self.difficulty)


@dataclass(frozen=True)
class PoolEntry:
    question_id: int
    version_id: int
    option_count: int
    group: int | None = None  # exclusion group: a paper holds at most one question of it (exclusion.py)


class AssembledItem(NamedTuple):  # a tuple: hundreds of thousands are made when a large exam is issued
    position: int
    section: int
    question_id: int
    version_id: int
    points: Decimal
    option_order: tuple[int, ...]
    cell: tuple[str, int, int]


@dataclass
class SectionPlan:
    index: int
    question_type: str
    label: str
    count: int
    points: Decimal
    # (knowledge point id, name) rows × difficulty columns: active questions available
    availability: list[tuple[int, str, dict[int, int]]] = field(default_factory=list)


@dataclass
class BlueprintCheck:
    issues: list[str]
    cells: list[Cell]
    sections: list[SectionPlan]
    total_points: Decimal
    question_count: int
    # The issues that only say the active bank lacks questions (the rest are mistakes in the blueprint).
    shortfalls: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues

    @property
    def blueprint_errors(self) -> list[str]:
        return [issue for issue in self.issues if issue not in self.shortfalls]


class BlueprintInfeasible(ValueError):
    def __init__(self, issues: list[str]):
        self.issues = issues
        super().__init__("; ".join(issues))


# --- quotas -------------------------------------------------------------------------------------


def _resolve_quota(rows: list, total: int, *, label: str, issues: list[str]) -> list[int] | None:
    """Counts per quota row. All rows of one kind (counts summing to the section count, or shares summing
    to 100 %); shares become counts by largest remainder, ties to the earlier row."""
    if not rows:
        return None
    counts = [r.count for r in rows]
    shares = [r.share for r in rows]
    if any((c is None) == (s is None) for c, s in zip(counts, shares, strict=True)):
        issues.append(_("%(label)s: give each quota either a count or a share, not both or neither.") % {"label": label})
        return None
    if all(c is not None for c in counts):
        if sum(counts) != total:
            issues.append(
                _("%(label)s: quota counts add up to %(sum)d but the section has %(total)d questions.")
                % {"label": label, "sum": sum(counts), "total": total}
            )
            return None
        return counts
    if any(c is not None for c in counts):
        issues.append(_("%(label)s: do not mix counts and shares in one set of quotas.") % {"label": label})
        return None
    if sum(shares) != Decimal("100"):
        issues.append(
            _("%(label)s: shares add up to %(sum)s %% instead of 100 %%.") % {"label": label, "sum": sum(shares)}
        )
        return None
    exact = [Decimal(total) * s / Decimal(100) for s in shares]
    floors = [int(e.to_integral_value(rounding=ROUND_FLOOR)) for e in exact]
    remainder = total - sum(floors)
    by_fraction = sorted(range(len(rows)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in by_fraction[:remainder]:
        floors[i] += 1
    return floors


# --- max flow (Edmonds–Karp on a tiny bipartite graph, deterministic order) --------------------


class _Flow:
    def __init__(self):
        self.cap: dict[tuple, int] = defaultdict(int)
        self.adj: dict = defaultdict(list)

    def edge(self, u, v, c):
        if (u, v) not in self.cap and (v, u) not in self.cap:
            self.adj[u].append(v)
            self.adj[v].append(u)
        self.cap[(u, v)] += c

    def set_cap(self, u, v, c):
        self.cap[(u, v)] = c

    def run(self, s, t, limit):
        flow = 0
        while flow < limit:
            parent = {s: None}
            queue = deque([s])
            while queue and t not in parent:
                u = queue.popleft()
                for v in self.adj[u]:
                    if v not in parent and self.cap[(u, v)] > 0:
                        parent[v] = u
                        queue.append(v)
            if t not in parent:
                break
            path, v = [], t
            while parent[v] is not None:
                path.append((parent[v], v))
                v = parent[v]
            push = min([self.cap[e] for e in path] + [limit - flow])
            for u, v in path:
                self.cap[(u, v)] -= push
                self.cap[(v, u)] += push
            flow += push
        return flow


def _allocate(count, kp_keys, kp_quota, diff_quota, avail):
    """Flow source → knowledge point → difficulty → sink; returns {(kp, d): n} and the amount placed.

    A free dimension (no quotas) is first capped in proportion to availability, so the plan spreads over
    the bank instead of filling the first knowledge point; the caps are then lifted for whatever is left.
    """
    graph = _Flow()
    total_avail = sum(sum(avail[k].values()) for k in kp_keys) or 1
    diff_avail = {d: sum(avail[k].get(d, 0) for k in kp_keys) for d in DIFFICULTIES}

    def proportional(n):
        return -(-count * n // total_avail)  # ceil

    for k in kp_keys:
        cap = kp_quota[k] if kp_quota is not None else proportional(sum(avail[k].values()))
        graph.edge("s", ("k", k), cap)
        for d in DIFFICULTIES:
            if avail[k].get(d) and (diff_quota is None or diff_quota.get(d)):
                graph.edge(("k", k), ("d", d), avail[k][d])
    for d in DIFFICULTIES:
        cap = diff_quota.get(d, 0) if diff_quota is not None else proportional(diff_avail[d])
        graph.edge(("d", d), "t", cap)
    placed = graph.run("s", "t", count)
    if placed < count and (kp_quota is None or diff_quota is None):
        if kp_quota is None:
            for k in kp_keys:
                graph.cap[("s", ("k", k))] += INFINITE
        if diff_quota is None:
            for d in DIFFICULTIES:
                graph.cap[(("d", d), "t")] += INFINITE
        placed += graph.run("s", "t", count - placed)
    allocation = {}
    for k in kp_keys:
        for d in DIFFICULTIES:
            used = graph.cap.get((("d", d), ("k", k)), 0)  # reverse residual = flow through the edge
            if used:
                allocation[(k, d)] = used
    return allocation, placed


# --- the bank -----------------------------------------------------------------------------------


def _active_questions(question_types, *, exams_only: bool = False, practice: bool = False):
    questions = Question.objects.filter(status=QuestionStatus.ACTIVE, type__in=question_types,
                                        current_version__isnull=False)
    if exams_only:  # the blueprint draws no question an officer could have practised with its key
        questions = questions.filter(use=QuestionUse.EXAMS_ONLY)
    if practice:  # a mock exam shows its keys afterwards: never a question kept for exams
        questions = questions.exclude(use=QuestionUse.EXAMS_ONLY)
    return (
        questions
        .order_by("id")
        .values_list("id", "type", "knowledge_point_id", "knowledge_point__path", "difficulty",
                     "current_version_id", "current_version__options")
    )


def _group_of(kp_path: str, own_kp: int, quota_paths: list[tuple[str, int]] | None) -> int | None:
    if quota_paths is None:
        return own_kp
    for path, kp_id in quota_paths:
        if kp_path.startswith(path):
            return kp_id
    return None


def _section_inputs(blueprint: Blueprint, inputs=None):
    """The blueprint's sections and quotas; `inputs` (sections, knowledge quotas, difficulty quotas) checks
    rows not saved yet, as the editor does before saving."""
    if inputs is None:
        inputs = (blueprint.sections.all(), blueprint.knowledge_quotas.select_related("knowledge_point").all(),
                  blueprint.difficulty_quotas.all())
    sections = list(inputs[0])
    kp_quotas = defaultdict(list)
    for quota in inputs[1]:
        kp_quotas[quota.question_type].append(quota)
    diff_quotas = defaultdict(list)
    for quota in inputs[2]:
        diff_quotas[quota.question_type].append(quota)
    return sections, kp_quotas, diff_quotas


def _load(blueprint: Blueprint, inputs=None, *, practice: bool = False):
    """Everything planning and assembly need, in a handful of queries (`practice`: for a mock exam)."""
    sections, kp_quotas, diff_quotas = _section_inputs(blueprint, inputs)
    quota_paths = {
        t: [(q.knowledge_point.path, q.knowledge_point_id) for q in rows] for t, rows in kp_quotas.items()
    }
    pool: dict[tuple[str, int, int], list[PoolEntry]] = defaultdict(list)
    exclusion = exclusion_groups()
    for qid, qtype, kp_id, kp_path, difficulty, version_id, options in _active_questions(
        {s.question_type for s in sections}, exams_only=blueprint.exams_only_questions, practice=practice
    ):
        group = _group_of(kp_path, kp_id, quota_paths.get(qtype))
        if group is None:
            continue
        option_count = len(options) if qtype in OPTION_TYPES and isinstance(options, list) else 0
        pool[(qtype, group, difficulty)].append(PoolEntry(qid, version_id, option_count, exclusion.get(qid)))
    return sections, kp_quotas, diff_quotas, pool


def check_blueprint(blueprint: Blueprint, *, inputs=None, practice: bool = False) -> BlueprintCheck:
    """Validate a blueprint against the active bank; every shortfall is named by its cell. `inputs`: see
    `_section_inputs`; `practice`: against the questions a mock exam may use (never an exams-only one)."""
    sections, kp_quotas, diff_quotas, pool = _load(blueprint, inputs, practice=practice)
    issues: list[str] = []
    shortfalls: list[str] = []
    cells: list[Cell] = []
    specs: list[SectionSpec] = []
    plans: list[SectionPlan] = []
    type_labels = dict(QuestionType.choices)
    kp_names = dict(KnowledgePoint.objects.values_list("id", "name"))
    seen_types = set()
    if not sections:
        issues.append(_("The blueprint has no sections."))
    for index, section in enumerate(sections):
        qtype = section.question_type
        label = str(type_labels.get(qtype, qtype))
        if qtype in seen_types:
            issues.append(_("%(type)s appears in two sections; use one section per question type.") % {"type": label})
            continue
        seen_types.add(qtype)
        avail: dict[int, dict[int, int]] = defaultdict(dict)
        for (t, k, d), entries in pool.items():
            if t == qtype:
                avail[k][d] = len(entries)
        kp_rows = kp_quotas.get(qtype, [])
        paths = [q.knowledge_point.path for q in kp_rows]
        overlapping = [
            q for q, p in zip(kp_rows, paths, strict=True)
            if any(o != p and p.startswith(o) for o in paths) or paths.count(p) > 1
        ]
        if overlapping:
            issues.append(
                _("%(type)s: knowledge-point quotas overlap (%(names)s); a quota covers its whole subtree.")
                % {"type": label, "names": "、".join(q.knowledge_point.name for q in overlapping)}
            )
            continue
        kp_counts = _resolve_quota(kp_rows, section.count, label=_("%(type)s, knowledge-point quotas") % {"type": label},
                                   issues=issues)
        diff_rows = diff_quotas.get(qtype, [])
        diff_counts = _resolve_quota(diff_rows, section.count, label=_("%(type)s, difficulty quotas") % {"type": label},
                                     issues=issues)
        if (kp_rows and kp_counts is None) or (diff_rows and diff_counts is None):
            continue
        kp_quota = None
        if kp_counts is not None:
            kp_quota = defaultdict(int)
            for q, n in zip(kp_rows, kp_counts, strict=True):
                kp_quota[q.knowledge_point_id] += n
        diff_quota = None
        if diff_counts is not None:
            diff_quota = defaultdict(int)
            for q, n in zip(diff_rows, diff_counts, strict=True):
                diff_quota[q.difficulty] += n
        kp_keys = sorted(kp_quota) if kp_quota is not None else sorted(avail)
        plans.append(SectionPlan(
            index=index, question_type=qtype, label=section.title or label, count=section.count, points=section.points,
            availability=[(k, kp_names.get(k, "?"), dict(avail.get(k, {}))) for k in kp_keys],
        ))
        allocation, placed = _allocate(section.count, kp_keys, kp_quota, diff_quota, avail)
        if placed < section.count:
            found = _shortfalls(label, section.count, kp_quota, diff_quota, avail, kp_names)
            issues.extend(found)
            shortfalls.extend(found)
            continue
        for (k, d), n in sorted(allocation.items()):
            cells.append(Cell(index, qtype, k, d, n, section.points))
        specs.append(SectionSpec(index, qtype, section.title or label, section.count, section.points,
                                 kp_quota, diff_quota))
    if not issues and any(e.group is not None for entries in pool.values() for e in entries):
        cells, group_issues = _respect_exclusion_groups(cells, specs, pool, kp_names)
        issues.extend(group_issues)
    total = sum((s.count * s.points for s in sections), Decimal("0"))
    return BlueprintCheck(issues, cells if not issues else [], plans, total, sum(s.count for s in sections),
                          shortfalls)


@dataclass
class SectionSpec:
    index: int
    question_type: str
    label: str
    count: int
    points: Decimal
    kp_quota: dict | None
    diff_quota: dict | None


def exclusion_groups() -> dict[int, int]:
    """question id → exclusion group id (only grouped questions)."""
    from .models import ExclusionGroupMember

    return dict(ExclusionGroupMember.objects.values_list("question_id", "group_id"))


def _respect_exclusion_groups(cells, specs, pool, kp_names) -> tuple[list[Cell], list[str]]:
    """A group is one source. Keep the spread plan when its cells can be filled that way; otherwise re-plan
    each section (per quota row, or as a whole) so that its groups fit; if that fails, name the groups."""
    from .exclusion import Demand, group_names, plan_sources

    def cell_label(c: Cell) -> str:
        return _("%(type)s · %(kp)s · difficulty %(d)d") % {
            "type": QuestionType(c.question_type).label, "kp": kp_names.get(c.knowledge_point_id, "?"),
            "d": c.difficulty}

    names = group_names(e.group for entries in pool.values() for e in entries if e.group is not None)
    if plan_sources([Demand(cell_label(c), c.count, [c.key]) for c in cells], pool, names).ok:
        return cells, []
    demands, fixed = [], []
    for spec in specs:
        keys = sorted(k for k in pool if k[0] == spec.question_type)
        if spec.kp_quota is not None and spec.diff_quota is not None:
            # both quotas fix the cells; keep the section's allocation as it is
            own = [c for c in cells if c.section == spec.index]
            fixed += own
            demands += [(spec, Demand(cell_label(c), c.count, [c.key])) for c in own]
        elif spec.kp_quota is not None:
            demands += [(spec, Demand(f"{spec.label} · {kp_names.get(k, '?')}", n, [x for x in keys if x[1] == k]))
                        for k, n in sorted(spec.kp_quota.items()) if n]
        elif spec.diff_quota is not None:
            demands += [(spec, Demand(_("%(type)s · difficulty %(d)d") % {"type": spec.label, "d": d}, n,
                                      [x for x in keys if x[2] == d]))
                        for d, n in sorted(spec.diff_quota.items()) if n]
        else:
            demands.append((spec, Demand(spec.label, spec.count, keys)))
    result = plan_sources([d for _s, d in demands], pool, names)
    if not result.ok:
        return [], result.messages
    counts: dict[tuple, int] = defaultdict(int)
    for (spec, _d), keys in zip(demands, result.chosen_keys, strict=True):
        for key in keys:
            counts[(spec.index, spec.points, key)] += 1
    planned = [Cell(index, t, k, d, n, points) for (index, points, (t, k, d)), n in sorted(counts.items())]
    return planned, []


def _shortfalls(label, count, kp_quota, diff_quota, avail, kp_names) -> list[str]:
    found = []
    allowed = set(DIFFICULTIES) if diff_quota is None else {d for d, n in diff_quota.items() if n}
    in_scope = set(kp_quota) if kp_quota is not None else set(avail)
    for k, need in sorted((kp_quota or {}).items()):
        have = sum(n for d, n in avail.get(k, {}).items() if d in allowed)
        if have < need:
            found.append(
                _("%(type)s · %(kp)s: needs %(need)d, the active bank has %(have)d.")
                % {"type": label, "kp": kp_names.get(k, "?"), "need": need, "have": have}
            )
    for d, need in sorted((diff_quota or {}).items()):
        have = sum(avail.get(k, {}).get(d, 0) for k in in_scope)
        if have < need:
            found.append(
                _("%(type)s · difficulty %(d)d: needs %(need)d, the active bank has %(have)d.")
                % {"type": label, "d": d, "need": need, "have": have}
            )
    total = sum(n for k in in_scope for d, n in avail.get(k, {}).items() if d in allowed)
    if total < count:
        found.append(
            _("%(type)s: needs %(need)d questions, the active bank has %(have)d.")
            % {"type": label, "need": count, "have": total}
        )
    if not found:
        found.append(
            _("%(type)s: the knowledge-point and difficulty quotas cannot be met together by the active bank; "
              "see the availability table.") % {"type": label}
        )
    return found


# --- assembly -----------------------------------------------------------------------------------


@dataclass
class AssemblyPlan:
    cells: list[Cell]
    pool: dict[tuple[str, int, int], list[PoolEntry]]

    @property
    def question_count(self) -> int:
        return sum(c.count for c in self.cells)

    @cached_property
    def sources(self) -> list[list]:
        """Per cell, (source, entry) pairs for conflict-free picking (exclusion.py), built once per plan."""
        from .exclusion import prepare_sources

        return prepare_sources(self.cells, self.pool)

    @cached_property
    def has_groups(self) -> bool:
        return any(e.group is not None for entries in self.pool.values() for e in entries)


def plan_blueprint(blueprint: Blueprint, *, practice: bool = False) -> AssemblyPlan:
    """The cell plan and the candidate questions of each cell; raises BlueprintInfeasible with every issue.
    `practice`: for a mock exam, whose keys are shown afterwards, so exams-only questions are left out."""
    check = check_blueprint(blueprint, practice=practice)
    if not check.ok:
        raise BlueprintInfeasible(check.issues)
    _sections, _kp, _diff, pool = _load(blueprint, practice=practice)
    return AssemblyPlan(cells=check.cells, pool={c.key: pool[c.key] for c in check.cells})


def paper_rng(seed: str, key: str) -> random.Random:
    digest = hashlib.sha256(f"{seed}|{key}".encode()).digest()
    return random.Random(int.from_bytes(digest, "big"))


def assemble_paper(*, plan: AssemblyPlan, seed: str, key: str, shuffle_options: bool = True) -> list[AssembledItem]:
    """One paper: each cell filled with `count` distinct questions, sections in blueprint order, questions
    shuffled within their section, options permuted. Deterministic in (plan, seed, key)."""
    rng = paper_rng(seed, key)
    randrange = rng.randrange
    by_section: dict[int, list[tuple[Cell, PoolEntry]]] = defaultdict(list)
    if plan.has_groups:
        from .exclusion import pick_paper

        picked = pick_paper(plan.cells, plan.pool, rng, prepared=plan.sources)
        if picked is None:
            raise BlueprintInfeasible([_("The exclusion groups leave too few questions for this plan.")])
        for cell, entries in zip(plan.cells, picked, strict=True):
            by_section[cell.section].extend((cell, entry) for entry in entries)
    else:
        for cell in plan.cells:
            for entry in rng.sample(plan.pool[cell.key], cell.count):
                by_section[cell.section].append((cell, entry))
    items = []
    position = 0
    for section in sorted(by_section):
        chosen = by_section[section]
        rng.shuffle(chosen)
        for cell, entry in chosen:
            position += 1
            n = entry.option_count
            if shuffle_options and 1 < n <= MAX_LISTED_OPTIONS:
                # one uniform draw among all n! orders: the same distribution as a shuffle, a fraction of the cost
                orders = OPTION_ORDERS[n]
                order = orders[randrange(len(orders))]
            elif shuffle_options and n > 1:
                shuffled = list(range(n))
                rng.shuffle(shuffled)
                order = tuple(shuffled)
            else:
                order = IDENTITY_ORDERS.get(n) or tuple(range(n))
            items.append(AssembledItem(position, section, entry.question_id, entry.version_id, cell.points,
                                       order, cell.key))
    return items


def cells_as_json(cells: list[Cell]) -> list[list]:
    return [[c.section, c.question_type, c.knowledge_point_id, c.difficulty, c.count, str(c.points)] for c in cells]


def plan_from_json(blueprint: Blueprint, data: list[list]) -> AssemblyPlan:
    """The plan an exam fixed when it issued its first papers, with today's pool for each of its cells."""
    cells = [Cell(s, t, k, d, n, Decimal(p)) for s, t, k, d, n, p in data]
    _sections, _kp, _diff, pool = _load(blueprint)
    short = [c for c in cells if len(pool.get(c.key, [])) < c.count]
    if short:
        kp_names = dict(KnowledgePoint.objects.values_list("id", "name"))
        raise BlueprintInfeasible([
            _("%(type)s · %(kp)s · difficulty %(d)d: needs %(need)d, the active bank has %(have)d.")
            % {"type": QuestionType(c.question_type).label, "kp": kp_names.get(c.knowledge_point_id, "?"),
               "d": c.difficulty, "need": c.count, "have": len(pool.get(c.key, []))}
            for c in short
        ])
    plan = AssemblyPlan(cells=cells, pool={c.key: pool[c.key] for c in cells})
    if plan.has_groups:
        # Groups confirmed after the plan was fixed may leave a cell without enough distinct sources.
        from .exclusion import Demand, group_names, plan_sources

        kp_names = dict(KnowledgePoint.objects.values_list("id", "name"))
        demands = [Demand(_("%(type)s · %(kp)s · difficulty %(d)d") % {
            "type": QuestionType(c.question_type).label, "kp": kp_names.get(c.knowledge_point_id, "?"),
            "d": c.difficulty}, c.count, [c.key]) for c in cells]
        names = group_names(e.group for entries in plan.pool.values() for e in entries if e.group is not None)
        result = plan_sources(demands, plan.pool, names)
        if not result.ok:
            raise BlueprintInfeasible(result.messages)
    return plan


def practice_exposure(blueprint: Blueprint) -> tuple[int, int]:
    """(questions the blueprint can draw, how many of them officers can practise and so have seen keyed)."""
    _sections, _kp, _diff, pool = _load(blueprint)
    ids = {entry.question_id for entries in pool.values() for entry in entries}
    practisable = set(
        Question.objects.filter(status=QuestionStatus.ACTIVE, use=QuestionUse.PRACTICE_AND_EXAMS)
        .values_list("pk", flat=True)
    )
    return len(ids), len(ids & practisable)
