"""Building blocks for the domain services: validate, save and audit in one step."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from sinergi.core import audit
from sinergi.core.actors import Actor
from sinergi.core.models import AuditAction
from sinergi.core.text import nfc

M = TypeVar("M", bound=models.Model)


def require(allowed: bool, message: str = "") -> None:
    """Raise PermissionDenied unless `allowed`."""
    if not allowed:
        raise PermissionDenied(message)


def normalise_text(data: Mapping[str, Any]) -> dict[str, Any]:
    """Every string value NFC-normalised (lists of strings too), so stored text compares."""
    clean: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, str):
            clean[key] = nfc(value)
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            clean[key] = [nfc(v) for v in value if nfc(v)]
        else:
            clean[key] = value
    return clean


def assign(obj: M, data: Mapping[str, Any], allowed: Iterable[str]) -> M:
    """Copy the allowed keys of `data` onto `obj`; reject unknown keys loudly."""
    allowed = set(allowed)
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError(f"Unknown fields: {', '.join(sorted(unknown))}")
    for key, value in normalise_text(data).items():
        setattr(obj, key, value)
    return obj


def save_audited(
    obj: M,
    *,
    actor: Actor,
    before: dict[str, Any] | None,
    message: str = "",
    exclude_from_audit: Iterable[str] = (),
    action: str | None = None,
) -> M:
    """Validate, save and audit `obj`; `before` is None for a new object. Call inside atomic()."""
    obj.full_clean()
    obj.save()
    after = audit.snapshot(obj, exclude_from_audit)
    if before is not None and before == after:
        return obj
    audit.record(
        actor=actor,
        action=action or (AuditAction.CREATE if before is None else AuditAction.UPDATE),
        obj=obj,
        before=before,
        after=after,
        message=message,
    )
    return obj


class SystemActor:
    """The actor of writes made by the system itself (presets, demo data, scheduled jobs).

    It holds every right; its audit entries have no user, which the log shows as "system"."""

    pk = None
    id = None
    unit_id = None
    unit = None
    is_authenticated = True
    is_active = True
    is_admin = True
    is_coordinator = False
    is_editor = False

    def __str__(self) -> str:
        return "system"


SYSTEM = SystemActor()
