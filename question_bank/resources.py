"""django-import-export resource for the question spreadsheet: the one definition of its columns.

Export (and the template) go through `QuestionResource.export()`; the importer reads the same columns
(`imports/rows.py` parses each cell) and writes in bulk, because the library's row-by-row save is far too
slow for a 20,000-question bank (see bench/question_import.py).
"""

from __future__ import annotations

from decimal import Decimal

from import_export import fields, resources

from .grading import OPTION_KEYS
from .imports import rows as cols
from .models import ExclusionGroupMember, KnowledgePoint, Question


def knowledge_point_paths() -> dict[int, str]:
    """Every knowledge point's path of names ("行政强制法/行政强制措施"), by id, in one query."""
    by_path = {}
    paths = {}
    for kp in KnowledgePoint.objects.order_by("path").only("id", "path", "name", "depth"):
        parent = by_path.get(kp.path[: -KnowledgePoint.steplen])
        by_path[kp.path] = f"{parent}{cols.KP_SEPARATOR}{kp.name}" if parent else kp.name
        paths[kp.id] = by_path[kp.path]
    return paths


def exclusion_group_codes() -> dict[int, str]:
    """question id → its exclusion group's code, in one query."""
    return dict(ExclusionGroupMember.objects.values_list("question_id", "group__code"))


def format_points(value: Decimal) -> int | float:
    """Whole points as integers (2, not 2.0) so the sheet reads naturally; halves as 1.5."""
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


class QuestionResource(resources.Resource):
    code = fields.Field(attribute="code", column_name=cols.CODE)
    type = fields.Field(column_name=cols.TYPE)
    stem = fields.Field(attribute="stem", column_name=cols.STEM)
    answer = fields.Field(column_name=cols.ANSWER)
    explanation = fields.Field(attribute="explanation", column_name=cols.EXPLANATION)
    difficulty = fields.Field(column_name=cols.DIFFICULTY)
    knowledge_point = fields.Field(column_name=cols.KNOWLEDGE_POINT)
    legal_basis = fields.Field(attribute="legal_basis", column_name=cols.LEGAL_BASIS)
    points = fields.Field(column_name=cols.POINTS)
    reference_answer = fields.Field(attribute="reference_answer", column_name=cols.REFERENCE)
    marking_points = fields.Field(column_name=cols.MARKING)
    status = fields.Field(column_name=cols.STATUS)
    use = fields.Field(column_name=cols.USE)
    exclusion_group = fields.Field(column_name=cols.EXCLUSION)

    class Meta:
        model = Question
        export_order = (
            "code", "type", "stem", *(f"option_{key.lower()}" for key in OPTION_KEYS), "answer", "explanation",
            "difficulty", "knowledge_point", "legal_basis", "points", "reference_answer", "marking_points", "status",
            "use", "exclusion_group",
        )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._kp_paths: dict[int, str] | None = None
        self._groups: dict[int, str] | None = None
        for index, key in enumerate(OPTION_KEYS):
            field = fields.Field(column_name=cols.OPTION_COLUMNS[index])
            field.dehydrate_method = (lambda i: lambda question: question.options[i] if i < len(question.options) else "")(index)
            self.fields[f"option_{key.lower()}"] = field

    def get_queryset(self):
        return Question.objects.order_by("code")

    def before_export(self, queryset, **kwargs):
        self._kp_paths = knowledge_point_paths()
        self._groups = exclusion_group_codes()

    def dehydrate_type(self, question):
        return cols.TYPE_EXPORT[question.type]

    def dehydrate_answer(self, question):
        return cols.format_answer(question.type, question.answer)

    def dehydrate_difficulty(self, question):
        return int(question.difficulty)

    def dehydrate_knowledge_point(self, question):
        if self._kp_paths is None:
            self._kp_paths = knowledge_point_paths()
        return self._kp_paths.get(question.knowledge_point_id, "")

    def dehydrate_points(self, question):
        return format_points(question.points)

    def dehydrate_marking_points(self, question):
        return "\n".join(question.marking_points or [])

    def dehydrate_status(self, question):
        return cols.STATUS_EXPORT[question.status]

    def dehydrate_use(self, question):
        return cols.USE_EXPORT[question.use]

    def dehydrate_exclusion_group(self, question):
        if self._groups is None:
            self._groups = exclusion_group_codes()
        return self._groups.get(question.pk, "")
