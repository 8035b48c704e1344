"""When the registry last moved: what caches of counts and lists are keyed by."""

from __future__ import annotations

from django.db.models import Max
from django.utils import timezone

from sinergi.core.models import AuditEntry
from sinergi.registry.models import Figure, Organisation


def registry_version() -> str:
    """Cheap to ask (three index look-ups): changes whenever the registry may have changed."""
    top = [
        model.objects.aggregate(top=Max("id"))["top"] or 0
        for model in (AuditEntry, Figure, Organisation)
    ]
    return f"{timezone.localdate().isoformat()}:{top[0]}:{top[1]}:{top[2]}"
