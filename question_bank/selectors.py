"""Read-side queries of the question bank: keyword search (search.py), knowledge-point subtrees, coverage."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from .models import KnowledgePoint, Question, QuestionStatus, QuestionType
from .search import search_questions  # noqa: F401 - the listing and the benchmark search through here

DIFFICULTIES = (1, 2, 3, 4, 5)


def in_subtree(queryset: QuerySet, knowledge_point: KnowledgePoint) -> QuerySet:
    """Questions attached to the knowledge point or anything below it."""
    return queryset.filter(knowledge_point__path__startswith=knowledge_point.path)


def knowledge_point_choices() -> list[tuple[int, str]]:
    """(id, indented name) in tree order, for select boxes."""
    return [(kp.pk, f"{'　' * (kp.depth - 1)}{kp.name}") for kp in KnowledgePoint.objects.order_by("path")]


@dataclass
class CoverageRow:
    knowledge_point: KnowledgePoint
    depth: int
    cells: dict = field(default_factory=dict)  # (type, difficulty) → active questions in the subtree
    totals: dict = field(default_factory=dict)  # type → active questions in the subtree

    @property
    def total(self) -> int:
        return sum(self.totals.values())

    def row_cells(self):
        """[(type, [count per difficulty], total)] in the column order of the matrix."""
        return [
            (value, [self.cells.get((value, d), 0) for d in DIFFICULTIES], self.totals.get(value, 0))
            for value in QuestionType.values
        ]


def coverage_matrix() -> list[CoverageRow]:
    """Active questions per knowledge point (its whole subtree) × type × difficulty, in tree order.

    One grouped query; subtree totals are rolled up along materialised paths in Python.
    """
    kps = list(KnowledgePoint.objects.order_by("path"))
    by_path = {kp.path: kp for kp in kps}
    rows = {kp.path: CoverageRow(knowledge_point=kp, depth=kp.depth) for kp in kps}
    direct = (
        Question.objects.filter(status=QuestionStatus.ACTIVE)
        .values("knowledge_point__path", "type", "difficulty")
        .annotate(n=Count("id"))
    )
    steplen = KnowledgePoint.steplen
    rolled: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    for entry in direct:
        path = entry["knowledge_point__path"]
        for end in range(steplen, len(path) + 1, steplen):
            rolled[path[:end]][(entry["type"], entry["difficulty"])] += entry["n"]
    for path, cells in rolled.items():
        if path in by_path:
            row = rows[path]
            row.cells = dict(cells)
            for (value, _difficulty), n in cells.items():
                row.totals[value] = row.totals.get(value, 0) + n
    return [rows[kp.path] for kp in kps]
