"""Roster read queries shared by the admin screens and other apps."""

from __future__ import annotations

from django.db.models import Count, Q

from .models import OrgUnit, PersonStatus, Position


def squads_missing_key_roles():
    """Active squads without an on-duty legal officer (法制员) or squad leader (中队长), with both flags."""
    on_duty = Q(people__status=PersonStatus.ON_DUTY)
    squads = (
        OrgUnit.objects.filter(kind=OrgUnit.Kind.SQUAD, is_active=True)
        .select_related("parent")
        .annotate(
            leaders=Count("people", filter=on_duty & Q(people__position=Position.SQUAD_LEADER)),
            legal_officers=Count("people", filter=on_duty & Q(people__position=Position.LEGAL_OFFICER)),
            on_duty_count=Count("people", filter=on_duty),
        )
        .filter(Q(leaders=0) | Q(legal_officers=0))
        .order_by("code")
    )
    return list(squads)
