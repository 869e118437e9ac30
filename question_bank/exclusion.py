"""Exclusion groups (互斥题组): questions that test one fact never share a paper.

Three parts, each used by several callers:
- `pick_paper` fills a paper's cells so that no two questions of one group are chosen (assembly);
- `plan_sources` decides whether a plan's cells can be filled at all when each group counts as one
  source, and names the groups that make a blueprint impossible (the blueprint check);
- proposals and the trainer's accept / split / merge / remove services (the admin screen and the importer).

Filling cells without conflicts is a bipartite matching (slots ↔ sources, a source being a group or an
ungrouped question). Augmenting paths repair what a greedy random pick gets wrong, so a paper is found
whenever one exists, and the choice stays deterministic in the PRNG.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from lms.core import audit

from .duplicates import NearDuplicateIndex
from .models import ExclusionGroup, ExclusionGroupMember, ExclusionSeparation, Question, QuestionStatus

PROPOSAL_SIMILARITY = 0.5  # stems this alike usually ask the same fact in other words
_CODE = re.compile(r"^[A-Za-z0-9\u4e00-\u9fff][A-Za-z0-9_\-\u4e00-\u9fff]{0,31}$")


class ExclusionError(ValueError):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def source_of(question_id: int, group_id: int | None):
    """What a paper may take once: the group, or the question itself when it is in none."""
    return ("g", group_id) if group_id is not None else ("q", question_id)


# --- matching ---------------------------------------------------------------------------------------


def _match(slots: list[list], *, capacity=None) -> tuple[list, dict]:
    """Kuhn's augmenting paths. `slots[i]` lists (source, payload) options in preference order.
    Returns the payload chosen per slot (None where none could be) and source → slot."""
    owner: dict = {}
    chosen: list = [None] * len(slots)

    def augment(i, seen):
        # A free source first, in preference order (the common case, and what keeps the pick random);
        # only when there is none, try to move the slot holding one of them elsewhere.
        for source, payload in slots[i]:
            if source not in owner:
                owner[source] = i
                chosen[i] = payload
                return True
        for source, payload in slots[i]:
            if source in seen:
                continue
            seen.add(source)
            if augment(owner[source], seen):
                owner[source] = i
                chosen[i] = payload
                return True
        return False

    for i in range(len(slots)):
        augment(i, set())
    return chosen, owner


def prepare_sources(cells, pool) -> list[list]:
    """Per cell, its pool entries paired with their source; computed once per plan, not per paper."""
    return [[(source_of(e.question_id, e.group), e) for e in pool[cell.key]] for cell in cells]


def pick_paper(cells, pool, rng, *, prepared: list[list] | None = None) -> list[list] | None:
    """For each cell (in order), `cell.count` distinct pool entries with no two from one group.

    Each cell's entries are taken in a random order from `rng`, so the pick is as random as a plain sample
    and depends only on the PRNG. A first try looks at a short random prefix of each cell (cheap: groups
    rarely collide); if that cannot be completed, every entry of every cell is considered. None if impossible.
    """
    prepared = prepared if prepared is not None else prepare_sources(cells, pool)
    for exhaustive in (False, True):
        slots, slot_cells = [], []
        for index, (cell, options) in enumerate(zip(cells, prepared, strict=True)):
            take = len(options) if exhaustive else min(len(options), 2 * cell.count + 2)
            ordered = rng.sample(options, take)
            for _n in range(cell.count):
                slots.append(ordered)
                slot_cells.append(index)
        chosen, _owner = _match(slots)
        if all(c is not None for c in chosen):
            picked: list[list] = [[] for _c in cells]
            for index, entry in zip(slot_cells, chosen, strict=True):
                picked[index].append(entry)
            return picked
    return None


@dataclass
class Demand:
    """Questions a blueprint needs from one set of pool keys (a cell, or a whole section)."""

    label: str
    count: int
    keys: list  # pool keys (type, kp, difficulty) it may draw from


@dataclass
class SourcePlan:
    ok: bool
    # per demand, the pool key of each source chosen (so a fixed cell plan can be derived)
    chosen_keys: list[list] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


def plan_sources(demands: list[Demand], pool, group_names: dict[int, str]) -> SourcePlan:
    """Whether every demand can take its count with each group used once; if not, Hall's witness: the
    demands that compete for too few sources, and the groups among those sources, named."""
    slots, slot_demand = [], []
    for index, demand in enumerate(demands):
        options, seen = [], set()
        for key in demand.keys:
            for entry in pool.get(key, []):
                source = source_of(entry.question_id, entry.group)
                if source not in seen:  # one option per source and demand: the first key it appears under
                    seen.add(source)
                    options.append((source, key))
        for _n in range(demand.count):
            slots.append(options)
            slot_demand.append(index)
    chosen, owner = _match(slots)
    if all(c is not None for c in chosen):
        per_demand: list[list] = [[] for _d in demands]
        for index, key in zip(slot_demand, chosen, strict=True):
            per_demand[index].append(key)
        return SourcePlan(ok=True, chosen_keys=per_demand)
    # Residual search from the unfilled slots: every source they can reach is taken by a slot that can
    # reach no free source either, so these demands need more sources than exist among them.
    reach_slots = {i for i, c in enumerate(chosen) if c is None}
    reach_sources: set = set()
    frontier = list(reach_slots)
    while frontier:
        i = frontier.pop()
        for source, _key in slots[i]:
            if source not in reach_sources:
                reach_sources.add(source)
                j = owner.get(source)
                if j is not None and j not in reach_slots:
                    reach_slots.add(j)
                    frontier.append(j)
    short = sorted({slot_demand[i] for i in reach_slots})
    need = sum(demands[i].count for i in short)
    groups = sorted(group_names[s[1]] for s in reach_sources if s[0] == "g")
    labels = "、".join(demands[i].label for i in short)
    if groups:
        message = _(
            "%(cells)s: needs %(need)d questions but has only %(have)d sources, because a paper may hold only one "
            "question of each exclusion group; the groups involved: %(groups)s."
        ) % {"cells": labels, "need": need, "have": len(reach_sources), "groups": "、".join(groups)}
    else:
        message = _("%(cells)s: needs %(need)d questions, the active bank has %(have)d.") % {
            "cells": labels, "need": need, "have": len(reach_sources)}
    return SourcePlan(ok=False, messages=[message])


def group_names(ids: Iterable[int]) -> dict[int, str]:
    return {pk: f"{code}（{name}）" if name else code
            for pk, code, name in ExclusionGroup.objects.filter(pk__in=set(ids)).values_list("pk", "code", "name")}


def groups_of(question_ids: Iterable[int]) -> dict[int, int]:
    """question id → group id, for the questions that are in a group."""
    ids = list(question_ids)
    found = {}
    for start in range(0, len(ids), 900):
        found.update(ExclusionGroupMember.objects.filter(question_id__in=ids[start : start + 900])
                     .values_list("question_id", "group_id"))
    return found


# --- proposals ----------------------------------------------------------------------------------------


_ARTICLE = re.compile(r"《([^》]+)》|(第[一二三四五六七八九十百零〇\d]+条)")


def articles_of(legal_basis: str) -> set[tuple[str, str]]:
    """(law, article) pairs of a 法条依据 text: "《行政强制法》第十九条、第二十条" → two pairs."""
    found, law = set(), ""
    for match in _ARTICLE.finditer(legal_basis or ""):
        if match.group(1):
            law = match.group(1).replace("中华人民共和国", "")
        elif law:
            found.add((law, match.group(2)))
    return found


@dataclass
class Proposal:
    question_ids: list[int]
    codes: list[str]
    reasons: list[str]
    existing_groups: list[str]  # codes of groups some of these questions are already in

    @property
    def key(self) -> str:
        return "-".join(str(i) for i in self.question_ids)


def _components(pairs: dict[tuple[int, int], set[str]]) -> list[tuple[list[int], set[str]]]:
    parent: dict[int, int] = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent[find(a)] = find(b)
    members: dict[int, list[int]] = defaultdict(list)
    for x in list(parent):
        members[find(x)].append(x)
    result = []
    for root, ids in members.items():
        ids.sort()
        reasons = set().union(*(r for (a, b), r in pairs.items() if find(a) == root))
        result.append((ids, reasons))
    result.sort(key=lambda row: row[0])
    return result


def propose_groups() -> list[Proposal]:
    """Clusters of questions that probably test one fact and are not yet in one group: near-duplicate stems,
    the same legal-basis article within the same knowledge point, or one question's key in another's stem.
    Pairs a trainer has split are left out."""
    from .item_checks import Item, giveaways

    rows = list(Question.objects.exclude(status=QuestionStatus.RETIRED).order_by("code").values_list(
        "pk", "code", "type", "stem", "options", "answer", "knowledge_point_id", "legal_basis"))
    group = groups_of(r[0] for r in rows)
    group_codes = dict(ExclusionGroup.objects.values_list("pk", "code"))
    separated = set(ExclusionSeparation.objects.values_list("first_id", "second_id"))
    codes = {r[0]: r[1] for r in rows}
    pairs: dict[tuple[int, int], set[str]] = defaultdict(set)

    def add(a, b, reason):
        a, b = min(a, b), max(a, b)
        if a == b or (a, b) in separated or (group.get(a) is not None and group.get(a) == group.get(b)):
            return
        pairs[(a, b)].add(reason)

    index = NearDuplicateIndex(threshold=PROPOSAL_SIMILARITY)
    for pk, _code, _t, stem, *_rest in rows:
        match = index.find(stem)
        if match:
            add(pk, match[0], _("similar stems"))
        index.add(pk, stem, pk)
    by_article: dict[tuple, list[int]] = defaultdict(list)
    for pk, _code, _t, _s, _o, _a, kp_id, basis in rows:
        for article in articles_of(basis):
            by_article[(kp_id, article)].append(pk)
    for (_kp, (law, article)), ids in by_article.items():
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                add(a, b, _("same article (%(law)s %(article)s) and knowledge point") % {"law": law, "article": article})
    by_code = {r[1]: r[0] for r in rows}
    items = [Item(code=r[1], type=r[2], stem=r[3], options=tuple(r[4] or ()),
                  answer=tuple(tuple(a) if isinstance(a, list) else a for a in (r[5] or [])),
                  group=group_codes.get(group.get(r[0]), "")) for r in rows]
    for target, findings in giveaways(items).items():
        for finding in findings:
            add(by_code[target], by_code[finding.other], _("one's key in the other's stem"))
    proposals = []
    for ids, reasons in _components(pairs):
        existing = sorted({group_codes[group[i]] for i in ids if group.get(i) is not None})
        proposals.append(Proposal(ids, [codes[i] for i in ids], sorted(reasons), existing))
    return proposals


# --- the trainer's decisions ----------------------------------------------------------------------------


def _clean_code(code: str) -> str:
    code = (code or "").strip()
    if not _CODE.match(code):
        raise ExclusionError(_("A group code is 1 to 32 letters, digits, Chinese characters, “-” or “_”."))
    return code


def next_group_code() -> str:
    numbers = [int(c[2:]) for c in ExclusionGroup.objects.filter(code__regex=r"^HC\d+$").values_list("code", flat=True)]
    return f"HC{max(numbers, default=0) + 1:04d}"


def _move_into(group: ExclusionGroup, questions: list[Question]) -> list[ExclusionGroup]:
    """Put questions into `group`; returns the groups they left (deleted when left with fewer than two)."""
    left = list(ExclusionGroup.objects.filter(members__question__in=questions).exclude(pk=group.pk).distinct())
    ExclusionGroupMember.objects.filter(question__in=questions).exclude(group=group).delete()
    have = set(group.members.values_list("question_id", flat=True))
    ExclusionGroupMember.objects.bulk_create(
        [ExclusionGroupMember(group=group, question=q) for q in questions if q.pk not in have])
    for old in left:
        if old.members.count() < 2:
            old.delete()
    return left


@transaction.atomic
def create_group(*, questions: list[Question], name: str = "", code: str = "", actor=None) -> ExclusionGroup:
    """A new group of at least two questions (taken out of any group they were in)."""
    questions = list({q.pk: q for q in questions}.values())
    if len(questions) < 2:
        raise ExclusionError(_("A group needs at least two questions."))
    code = _clean_code(code) if code else next_group_code()
    if ExclusionGroup.objects.filter(code=code).exists():
        raise ExclusionError(_("Group code %(code)s is taken.") % {"code": code})
    group = ExclusionGroup.objects.create(code=code, name=name.strip()[:200],
                                          created_by=actor if getattr(actor, "is_authenticated", False) else None)
    _move_into(group, questions)
    audit.record(actor=actor, action="question.group_create", obj=group, summary=f"{code}: {len(questions)}",
                 questions=sorted(q.code for q in questions))
    return group


@transaction.atomic
def accept_proposal(*, questions: list[Question], name: str = "", actor=None) -> ExclusionGroup:
    """A proposal becomes a group: the one existing group among them grows, or a new group is made."""
    existing = list(ExclusionGroup.objects.filter(members__question__in=questions).distinct())
    if len(existing) == 1:
        group = existing[0]
        _move_into(group, questions)
        if name.strip() and not group.name:
            group.name = name.strip()[:200]
            group.save(update_fields=["name"])
        audit.record(actor=actor, action="question.group_extend", obj=group, summary=group.code,
                     questions=sorted(q.code for q in questions))
        return group
    group = create_group(questions=questions, name=name, actor=actor)
    if len(existing) > 1:
        for old in existing:
            if old.pk != group.pk:
                _move_into(group, [m.question for m in old.members.select_related("question")])
    return group


@transaction.atomic
def merge_groups(*, groups: list[ExclusionGroup], actor=None) -> ExclusionGroup:
    """All members into the first group; the others disappear."""
    groups = sorted({g.pk: g for g in groups}.values(), key=lambda g: g.code)
    if len(groups) < 2:
        raise ExclusionError(_("Choose at least two groups to merge."))
    target, others = groups[0], groups[1:]
    moved = [m.question for g in others for m in g.members.select_related("question")]
    _move_into(target, moved)
    audit.record(actor=actor, action="question.group_merge", obj=target, summary=target.code,
                 merged=[g.code for g in others])
    return target


@transaction.atomic
def split_group(*, group: ExclusionGroup, questions: list[Question], actor=None) -> ExclusionGroup | None:
    """Take `questions` out of `group` as a fact of their own: a new group if two or more, otherwise the one
    question leaves. Each pair across the cut is remembered as separate, so it is not proposed again."""
    members = {m.question_id: m.question for m in group.members.select_related("question")}
    chosen = [q for q in questions if q.pk in members]
    if not chosen or len(chosen) == len(members):
        raise ExclusionError(_("Choose some, but not all, questions of the group to split off."))
    rest = [q for pk, q in members.items() if pk not in {c.pk for c in chosen}]
    separate_questions(first=chosen, second=rest, actor=actor)
    new_group = None
    if len(chosen) >= 2:
        new_group = ExclusionGroup.objects.create(code=next_group_code(), name="",
                                                  created_by=actor if getattr(actor, "is_authenticated", False) else None)
        _move_into(new_group, chosen)
    else:
        ExclusionGroupMember.objects.filter(group=group, question__in=chosen).delete()
    if group.members.count() < 2:
        group.delete()
    audit.record(actor=actor, action="question.group_split", obj=None, summary=group.code,
                 split_off=sorted(q.code for q in chosen), new_group=new_group.code if new_group else "")
    return new_group


def separate_questions(*, first: list[Question], second: list[Question], actor=None) -> None:
    """Remember that these questions test different facts (a rejected proposal, a split)."""
    pairs = {(min(a.pk, b.pk), max(a.pk, b.pk)) for a in first for b in second if a.pk != b.pk}
    have = set(ExclusionSeparation.objects.values_list("first_id", "second_id"))
    user = actor if getattr(actor, "is_authenticated", False) else None
    ExclusionSeparation.objects.bulk_create(
        [ExclusionSeparation(first_id=a, second_id=b, created_by=user) for a, b in sorted(pairs - have)])


@transaction.atomic
def reject_proposal(*, questions: list[Question], actor=None) -> None:
    """The questions of a proposal test different facts: never propose them together again."""
    separate_questions(first=questions, second=questions, actor=actor)
    audit.record(actor=actor, action="question.group_reject", summary="、".join(q.code for q in questions),
                 questions=sorted(q.code for q in questions))


def set_memberships(*, assignments: dict[int, str | None], actor=None) -> None:
    """Questions (by id) into the groups named by code (created when new), or out of any group (None).
    The importer's write step; groups left with fewer than two members are removed."""
    codes = {c for c in assignments.values() if c}
    groups = {g.code: g for g in ExclusionGroup.objects.filter(code__in=codes)}
    user = actor if getattr(actor, "is_authenticated", False) else None
    for code in sorted(codes - set(groups)):
        groups[code] = ExclusionGroup.objects.create(code=code, created_by=user)
    current = groups_of(assignments)
    ExclusionGroupMember.objects.filter(
        question_id__in=[q for q, c in assignments.items()
                         if current.get(q) is not None and (c is None or groups[c].pk != current.get(q))]
    ).delete()
    ExclusionGroupMember.objects.bulk_create([
        ExclusionGroupMember(group=groups[c], question_id=q) for q, c in assignments.items()
        if c and current.get(q) != groups[c].pk
    ])
    touched = set(current.values()) | {g.pk for g in groups.values()}
    for group in ExclusionGroup.objects.filter(pk__in=touched):
        if group.members.count() < 2 and group.code not in codes:
            group.delete()
