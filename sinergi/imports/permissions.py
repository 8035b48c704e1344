"""Who may import, and act on a batch."""

from __future__ import annotations

from sinergi.core.actors import Actor
from sinergi.core.services import require
from sinergi.imports.models import ImportBatch
from sinergi.registry import permissions as registry_permissions


def can_import(actor: Actor) -> bool:
    """Whoever may change the registry of some zone may import into it (row by row checked)."""
    return registry_permissions.can_edit_enterprises_in(actor, None)


def can_see_batch(actor: Actor, batch: ImportBatch) -> bool:
    return ImportBatch.objects.visible_to(actor).filter(pk=batch.pk).exists()


def can_act_on_batch(actor: Actor, batch: ImportBatch) -> bool:
    """Acting on a batch: its uploader, a coordinator of their body, or an administrator (a
    partner body's coordinators read it but do not act on it)."""
    return (
        can_import(actor) and ImportBatch.objects.actionable_by(actor).filter(pk=batch.pk).exists()
    )


def require_owner(actor: Actor, batch: ImportBatch) -> None:
    require(can_act_on_batch(actor, batch))
