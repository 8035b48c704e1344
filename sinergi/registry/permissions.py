"""Who may change the registry: each rule as a predicate (services, pages, the API and the import
use these) and, for lists, as a queryset (`Zone.objects.editable_by(actor)`, the zones whose
registry the actor keeps)."""

from __future__ import annotations

from sinergi.core.actors import Actor
from sinergi.registry.models import Enterprise, Organisation, Zone


def can_manage_zones(actor: Actor) -> bool:
    """Zones and organisation types are configuration: administrators only."""
    return actor.is_authenticated and actor.is_admin


def can_edit_enterprises_in(actor: Actor, zone: Zone | None) -> bool:
    """Administrators anywhere; a coordinator in zones their body manages; an editor in zones
    their own unit manages. An enterprise without a zone is editable by administrators and by
    coordinators and editors who manage any zone (they are the ones who place it)."""
    if not actor.is_authenticated:
        return False
    if actor.is_admin:
        return True
    editable = Zone.objects.editable_by(actor)
    if zone is None:
        return editable.exists()
    return editable.filter(pk=zone.pk).exists()


def can_edit_enterprise(actor: Actor, enterprise: Enterprise) -> bool:
    return can_edit_enterprises_in(actor, enterprise.zone)


def can_edit_officers(actor: Actor, organisation: Organisation) -> bool:
    return can_edit_enterprise(actor, organisation.enterprise)
