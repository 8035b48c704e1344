"""Who may import, and read or act on a batch: each rule as a predicate (the services and the
pages check these) and, for lists, as a queryset (the batches a person reads: the pages and the
API)."""

from __future__ import annotations

from typing import cast

from django.apps import apps
from django.db.models import QuerySet

from sinergi.accounts.models import User
from sinergi.core.actors import Actor
from sinergi.core.services import require
from sinergi.imports.models import ImportBatch
from sinergi.registry import permissions as registry_permissions

# --- Predicates -------------------------------------------------------------------------------


def can_import(actor: Actor) -> bool:
    """Whoever may change the registry of some zone may import into it (row by row checked)."""
    return registry_permissions.can_edit_enterprises_in(actor, None)


def can_see_batch(actor: Actor, batch: ImportBatch) -> bool:
    return batches_visible_to(actor).filter(pk=batch.pk).exists()


def can_act_on_batch(actor: Actor, batch: ImportBatch) -> bool:
    """Acting on a batch: its uploader, a coordinator of their body, or an administrator (a
    partner body's coordinators read it but do not act on it)."""
    return can_import(actor) and batches_actionable_by(actor).filter(pk=batch.pk).exists()


def require_owner(actor: Actor, batch: ImportBatch) -> None:
    require(can_act_on_batch(actor, batch))


# --- Querysets --------------------------------------------------------------------------------


def batches_visible_to(actor: Actor) -> QuerySet[ImportBatch]:
    """Who may read a batch: administrators every batch; coordinators their body's and those
    of the bodies it runs a coordination program with (the partner body's imports feed the
    same registry); others their own."""
    if actor.is_admin:
        return ImportBatch.objects.all()
    user = cast(User, actor)  # anyone but an administrator is a signed-in user
    if user.is_coordinator:
        bodies = partner_body_ids(user.body_id)
        return ImportBatch.objects.filter(created_by__unit__body_id__in=bodies)
    return ImportBatch.objects.filter(created_by=user)


def batches_actionable_by(actor: Actor) -> QuerySet[ImportBatch]:
    """Who may act on a batch (check again, import, undo): its uploader, a coordinator of the
    uploader's body, or an administrator."""
    if actor.is_admin:
        return ImportBatch.objects.all()
    user = cast(User, actor)  # anyone but an administrator is a signed-in user
    if user.is_coordinator:
        return ImportBatch.objects.filter(created_by__unit__body_id=user.body_id)
    return ImportBatch.objects.filter(created_by=user)


def partner_body_ids(body_id: int | None) -> set[int | None]:
    """The body itself and every body that is a party to a program with it.

    Partnership is the program's relation, which sits above the imports: the table is looked up
    through the app registry rather than imported, so the imports do not depend on the programs'
    code (only on their table being installed, as it always is)."""
    parties = apps.get_model("programs", "Program").parties.through.objects
    programs = parties.filter(unit__body_id=body_id).values("program_id")
    partners = parties.filter(program_id__in=programs).values_list("unit__body_id", flat=True)
    return {body_id, *(pk for pk in partners if pk is not None)}
