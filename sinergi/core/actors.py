"""Who writes: the type of every service's `actor`."""

from __future__ import annotations

from typing import Any, Protocol


class Actor(Protocol):
    """A signed-in user (`accounts.User`) or `core.services.SYSTEM`: what the permission rules
    and the audit trail read of whoever acts. Read-only, so both a model and a plain object
    with class attributes fit."""

    @property
    def pk(self) -> Any: ...

    @property
    def unit_id(self) -> int | None: ...

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def is_active(self) -> bool: ...

    @property
    def is_admin(self) -> bool: ...

    @property
    def is_coordinator(self) -> bool: ...

    @property
    def is_editor(self) -> bool: ...


def user_of(actor: Actor) -> Any:
    """The actor as the user a row records (`created_by`, `actor`): None for SYSTEM, which has
    no row. Typed loosely because core does not know the user model (accounts sits above it)."""
    return actor if getattr(actor, "pk", None) else None
