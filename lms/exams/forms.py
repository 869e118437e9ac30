"""Forms of the exam admin screens. The session form shows the JSON position lists as checkboxes."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm

from lms.roster.models import OrgUnit, Position
from question_bank.models import Blueprint


class ExamSessionForm(WagtailAdminModelForm):
    # Plain choices instead of Wagtail's choosers: a bureau has a handful of blueprints and units.
    blueprint = forms.ModelChoiceField(label=_("Blueprint"), queryset=Blueprint.objects.order_by("name"))
    target_units = forms.ModelMultipleChoiceField(
        label=_("Target units"), required=False, widget=forms.CheckboxSelectMultiple,
        queryset=OrgUnit.objects.filter(is_active=True).order_by("code"),
        help_text=_("The whole district, or chosen streets or squads; empty means every squad."),
    )
    mandatory_positions = forms.MultipleChoiceField(
        label=_("Positions that must sit"), choices=Position.choices, widget=forms.CheckboxSelectMultiple, required=False,
    )
    sampled_positions = forms.MultipleChoiceField(
        label=_("Positions sampled"), choices=Position.choices, widget=forms.CheckboxSelectMultiple, required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The lists live in JSON fields; show them (or the defaults of a new session) as ticked boxes.
        for name in ("mandatory_positions", "sampled_positions"):
            self.initial[name] = list(getattr(self.instance, name) or [])

    def clean(self):
        cleaned = super().clean()
        both = set(cleaned.get("mandatory_positions") or []) & set(cleaned.get("sampled_positions") or [])
        if both:
            self.add_error("sampled_positions", _("A position cannot be both mandatory and sampled."))
        return cleaned


class BlueprintForm(WagtailAdminModelForm):
    """The blueprint editor checks what it is about to save with the check page's own rules and words:
    mistakes in the blueprint (quotas that do not add up to their section, counts mixed with shares,
    overlapping quotas, a type in two sections) are refused; questions the active bank lacks are not
    (the bank may grow before the exam), and the view names them as a warning after saving."""

    def clean(self):
        from question_bank.assembly import check_blueprint

        cleaned = super().clean()
        self.bank_shortfalls: list[str] = []
        if cleaned.get("open_for_practice") and cleaned.get("exams_only_questions"):
            # A mock exam shows its keys afterwards; a blueprint kept for exams must never be practised.
            self.add_error("open_for_practice", _("A blueprint that draws only exams-only questions cannot be "
                                                  "open for practice: mock exams show their keys afterwards."))
        if self.errors or not all(formset.is_valid() for formset in self.formsets.values()):
            return cleaned
        inputs = tuple(
            [form.instance for form in self.formsets[name].forms
             if form.has_changed() or form.instance.pk
             if not (form.cleaned_data or {}).get("DELETE")]
            for name in ("sections", "knowledge_quotas", "difficulty_quotas")
        )
        check = check_blueprint(self.instance, inputs=inputs)
        if check.blueprint_errors:
            raise ValidationError([ValidationError(issue) for issue in check.blueprint_errors])
        self.bank_shortfalls = check.shortfalls
        return cleaned


class DrawForm(forms.Form):
    seed = forms.CharField(
        label=_("Seed typed by a witness"), required=False, max_length=64,
        help_text=_("Leave empty to use a secure random seed."),
    )
    witness = forms.CharField(label=_("Witness"), required=False, max_length=100)
    reason = forms.CharField(label=_("Reason for drawing again"), required=False, max_length=300)


class ExcuseForm(forms.Form):
    candidate = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), max_length=300)
    approved_by = forms.CharField(label=_("Approved by"), max_length=100)


class AddCandidateForm(forms.Form):
    id_number = forms.CharField(label=_("ID-card number"), max_length=18)
    reason = forms.CharField(label=_("Reason"), max_length=300)
