"""Forms of the assessment screens. The scheme form checks the whole indicator tree before anything is saved."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm

from .validation import Row, check_rows


class SchemeForm(WagtailAdminModelForm):
    """Refuses a scheme whose points do not add up (top level = 100, each group = its indicators)."""

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("indicators") if hasattr(self, "formsets") else None
        if formset is None or not formset.is_valid():
            return cleaned
        rows = []
        forms_in_order = sorted(
            (f for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")),
            key=lambda f: f.cleaned_data.get("ORDER") or 0,
        )
        for number, form in enumerate(forms_in_order, start=1):
            data = form.cleaned_data
            plan = data.get("study_plan")
            rows.append(Row(
                number=number, code=data.get("code", ""), name=data.get("name", ""),
                parent_code=data.get("parent_code", ""), kind=data.get("kind", ""), points=data.get("points"),
                exam_measure=data.get("exam_measure", ""), absent_rule=data.get("absent_rule", ""),
                study_plan_id=plan.pk if plan else None, study_measure=data.get("study_measure", ""),
                roster_check=data.get("roster_check", ""), deduction_per_item=data.get("deduction_per_item"),
                floor=data.get("floor"), star_aspect=data.get("star_aspect", ""),
            ))
            year = cleaned.get("year")
            sessions = data.get("sessions") or []
            for session in sessions:
                if year and session.year != year:
                    self.add_error(None, f"第{number}行指标“{data.get('name')}”：考试场次 {session.code} 属于 "
                                         f"{session.year} 年，不是 {year} 年。")
            if plan and year and plan.year != year:
                self.add_error(None, f"第{number}行指标“{data.get('name')}”：学习计划《{plan.title}》属于 "
                                     f"{plan.year} 年，不是 {year} 年。")
        for message in check_rows(rows):
            self.add_error(None, message)
        return cleaned


class CopySchemeForm(forms.Form):
    year = forms.IntegerField(label=_("New year"), min_value=2000, max_value=2100)


class PublishForm(forms.Form):
    reason = forms.CharField(label=_("Reason for republishing"), max_length=300, required=False,
                             widget=forms.TextInput(attrs={"size": 60}))


class EnterScoreForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"))
    unit = forms.ChoiceField(label=_("Squad"))
    value = forms.DecimalField(label=_("Score or number of items"), required=False, min_value=Decimal("0"),
                               max_digits=6, decimal_places=2)
    note = forms.CharField(label=_("Note / evidence"), max_length=500, required=False)
    waive_reason = forms.CharField(label=_("Or waive, because"), max_length=300, required=False)

    def __init__(self, *args, indicators=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [(i.pk, f"{i.name}（{i.code}）") for i in indicators]
        self.fields["unit"].choices = [(u.pk, f"{u.parent.name if u.parent_id else ''} / {u.name}") for u in units]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("value") is None and not (cleaned.get("waive_reason") or "").strip():
            raise forms.ValidationError(_("Enter a score, or a reason for waiving it."))
        return cleaned


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Workbook (.xlsx)"))
