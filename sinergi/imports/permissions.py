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


def require_owner(actor: Actor, batch: ImportBatch) -> None:
    """Acting on a batch: its uploader, a coordinator of their body, or an administrator."""
    require(can_import(actor) and can_see_batch(actor, batch))
