"""Recording audited actions. Services call `record` inside their own transaction."""

from django.db import models

from .models import AuditEntry


def record(*, actor, action: str, obj: models.Model | None = None, summary: str = "", **data) -> AuditEntry:
    """Write one audit entry; `data` must be JSON-serialisable (ids, codes, counts, reasons)."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=summary[:500],
        data=data,
    )
