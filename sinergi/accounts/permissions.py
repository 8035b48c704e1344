"""Who may read and change units and users: each rule as a predicate (the services and the pages
check these) and, for lists, as a queryset (the units and users a person may see: the pages, the
change log's filters and the API read them here)."""

from __future__ import annotations

from django.db.models import QuerySet

from sinergi.accounts.models import Unit, User
from sinergi.core.actors import Actor

# --- Predicates -------------------------------------------------------------------------------


def can_manage_accounts(actor: Actor) -> bool:
    """Creating and changing units and users: administrators only."""
    return actor.is_authenticated and actor.is_admin


def can_read_accounts(actor: Actor) -> bool:
    """The user and unit pages: administrators, and coordinators for their own body's."""
    return actor.is_authenticated and (actor.is_admin or actor.is_coordinator)


def can_set_password(actor: Actor, user: User) -> bool:
    """One's own password, or anyone's by an administrator."""
    return actor.pk == user.pk or can_manage_accounts(actor)


def can_set_preferences(actor: Actor) -> bool:
    """One's own preferences (the interface language): whoever is signed in."""
    return actor.is_authenticated


# --- Querysets --------------------------------------------------------------------------------


def units_visible_to(user: User) -> QuerySet[Unit]:
    """Administrators see every unit; anyone else the units of their own body."""
    if user.is_admin:
        return Unit.objects.all()
    return Unit.objects.filter(body_id=user.body_id)


def users_visible_to(user: User) -> QuerySet[User]:
    """Administrators see every user; anyone else the users of their own body's units."""
    if user.is_admin:
        return User.objects.all()
    return User.objects.filter(unit__body_id=user.body_id)
