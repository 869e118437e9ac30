"""Admin forms: a question is edited as a trainer thinks of it (options A–H, an answer in any common
spelling) and saved through the services, so versions, validation and audit are the same as for imports."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm

from .duplicates import find_exact_duplicate, find_near_duplicate
from .grading import OPTION_KEYS
from .imports import rows as cols
from .models import KnowledgePoint, Question
from .selectors import knowledge_point_choices
from .services.questions import create_question, update_question
from .services.validation import validate_content

OPTION_FIELDS = [f"option_{key.lower()}" for key in OPTION_KEYS]
# Form field → the spreadsheet column whose parser it reuses.
FORM_COLUMNS = {
    "type": cols.TYPE, "stem": cols.STEM, "answer_text": cols.ANSWER, "explanation": cols.EXPLANATION,
    "difficulty": cols.DIFFICULTY, "legal_basis": cols.LEGAL_BASIS, "points": cols.POINTS,
    "reference_answer": cols.REFERENCE, "marking_points_text": cols.MARKING,
    **dict(zip(OPTION_FIELDS, cols.OPTION_COLUMNS, strict=True)),
}
COLUMN_FIELDS = {column: name for name, column in FORM_COLUMNS.items()}
EXACT_DUPLICATE_MESSAGE = _(
    "This question already exists as %(code)s: the same type, stem and options (ignoring spaces, full-width "
    "characters and the order of the options). Edit %(code)s instead."
)
CONTENT_FIELD_FORM = {"options": "option_a", "answer": "answer_text", "marking_points": "marking_points_text"}


class KnowledgePointChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(queryset=KnowledgePoint.objects.order_by("path"), **kwargs)

    def label_from_instance(self, obj):
        return f"{'　' * (obj.depth - 1)}{obj.name}（{obj.code}）"


class QuestionForm(WagtailAdminModelForm):
    knowledge_point = KnowledgePointChoiceField(label=_("Knowledge point"))
    answer_text = forms.CharField(
        label=_("Answer"), required=False,
        help_text=_("Single/multiple: letters such as B or ABD. True/false: 正确 or 错误. Fill-in: accepted "
                    "answers of a blank separated by | or ;, blanks separated by #. Short answer: leave empty."),
    )
    marking_points_text = forms.CharField(
        label=_("Marking points"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line (short answer / case questions)."),
    )

    option_a = forms.CharField(label=_("Option A"), required=False)
    option_b = forms.CharField(label=_("Option B"), required=False)
    option_c = forms.CharField(label=_("Option C"), required=False)
    option_d = forms.CharField(label=_("Option D"), required=False)
    option_e = forms.CharField(label=_("Option E"), required=False)
    option_f = forms.CharField(label=_("Option F"), required=False)
    option_g = forms.CharField(label=_("Option G"), required=False)
    option_h = forms.CharField(label=_("Option H"), required=False)

    class Meta:
        model = Question
        fields = ["code", "type", "knowledge_point", "stem", "explanation", "difficulty", "legal_basis", "points",
                  "reference_answer", "use"]
        widgets = {"stem": forms.Textarea(attrs={"rows": 3}), "explanation": forms.Textarea(attrs={"rows": 2}),
                   "reference_answer": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.for_user = for_user
        self.near_duplicate = None
        self.fields["code"].required = False
        # Forms that leave it out keep the question's use (new questions: practice and exams).
        self.fields["use"].required = False
        self.fields["code"].help_text = _("Leave empty to number automatically (Q000123). The code never changes.")
        instance = self.instance
        if instance.pk:
            self.fields["code"].disabled = True
            for index, name in enumerate(OPTION_FIELDS):
                self.initial[name] = instance.options[index] if index < len(instance.options) else ""
            self.initial["answer_text"] = cols.format_answer(instance.type, instance.answer)
            self.initial["marking_points_text"] = "\n".join(instance.marking_points or [])

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        cells = {column: str(data.get(name) or "") for name, column in FORM_COLUMNS.items()}
        cells[cols.TYPE] = cols.TYPE_EXPORT.get(data.get("type"), "")
        cells[cols.KNOWLEDGE_POINT] = data["knowledge_point"].code
        item = cols.row_from_cells(cells)
        for column, message, _value in item.errors:
            self.add_error(COLUMN_FIELDS.get(column), message)
        if item.errors:
            return data
        for field_name, message in validate_content(
            question_type=item.type, stem=item.stem, options=item.options, answer=item.answer,
            reference_answer=item.reference_answer, marking_points=item.marking_points,
            difficulty=item.difficulty, points=item.points,
        ):
            self.add_error(CONTENT_FIELD_FORM.get(field_name, field_name if field_name in self.fields else None), message)
        self.parsed = item
        if not self.errors:
            existing = find_exact_duplicate(item.type, item.stem, item.options, exclude_pk=self.instance.pk)
            if existing:
                self.add_error("stem", EXACT_DUPLICATE_MESSAGE % {"code": existing})
                return data
            self.near_duplicate = find_near_duplicate(item.stem, exclude_pk=self.instance.pk)
        return data

    def save(self, commit=True):
        item = self.parsed
        content = {**item.content(), "knowledge_point": self.cleaned_data["knowledge_point"]}
        if self.cleaned_data.get("use"):
            content["use"] = self.cleaned_data["use"]
        try:
            if self.instance.pk:
                self.instance = update_question(question=self.instance, actor=self.for_user,
                                                question_type=item.type, **content)
            else:
                self.instance = create_question(code=self.cleaned_data.get("code") or "", question_type=item.type,
                                                actor=self.for_user, **content)
        except ValidationError as exc:
            # A race (code taken meanwhile, question used meanwhile) surfaces as a normal form error.
            raise ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from exc
        return self.instance


class KnowledgePointForm(WagtailAdminModelForm):
    parent = forms.ModelChoiceField(
        label=_("Parent"), queryset=KnowledgePoint.objects.none(), required=False,
        help_text=_("Empty for a top-level knowledge point (a law or an area of work)."),
    )

    class Meta:
        model = KnowledgePoint
        fields = ["code", "name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = KnowledgePoint.objects.order_by("path")
        if self.instance.pk:
            parents = parents.exclude(path__startswith=self.instance.path)
            self.fields["parent"].disabled = True
            self.fields["parent"].help_text = _("The parent of an existing knowledge point cannot be changed here.")
            parent = self.instance.get_parent()
            self.initial["parent"] = parent.pk if parent else None
        self.fields["parent"].queryset = parents
        self.fields["parent"].label_from_instance = lambda kp: f"{'　' * (kp.depth - 1)}{kp.name}（{kp.code}）"

    def save(self, commit=True):
        if self.instance.pk:
            return super().save(commit=commit)
        parent = self.cleaned_data.get("parent")
        values = {"code": self.cleaned_data["code"], "name": self.cleaned_data["name"]}
        self.instance = parent.add_child(**values) if parent else KnowledgePoint.add_root(**values)
        return self.instance


def knowledge_point_select_choices():
    return [("", "---------"), *knowledge_point_choices()]
