"""A list of roster position codes stored as JSON and edited as checkboxes (works on every database)."""

from django import forms
from django.db import models

from lms.roster.models import Position


class PositionsField(models.JSONField):
    """Position codes from `lms.roster.models.Position`; an empty list means every position."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        kwargs.pop("widget", None)
        return forms.MultipleChoiceField(
            choices=Position.choices,
            required=not self.blank,
            widget=forms.CheckboxSelectMultiple,
            label=self.verbose_name,
            help_text=self.help_text,
        )

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        unknown = set(value or []) - set(Position.values)
        if unknown:
            from django.core.exceptions import ValidationError

            raise ValidationError(f"unknown position codes: {sorted(unknown)}")


def position_labels(codes) -> list[str]:
    labels = dict(Position.choices)
    return [str(labels.get(code, code)) for code in codes or []]
