"""Writes to units and users: permission, validation, one transaction, one audit entry."""

from __future__ import annotations

from typing import Any

from axes.utils import reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sinergi.accounts.models import Unit, User
from sinergi.accounts.permissions import can_manage_accounts, can_set_password, can_set_preferences
from sinergi.core import audit
from sinergi.core.models import AuditAction
from sinergi.core.services import assign, require, save_audited

UNIT_FIELDS = ("parent", "code", "name", "short_name", "kind", "is_active")
USER_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "unit",
    "role",
    "position",
    "language",
    "is_active",
    "is_demo",
)


def _set_body(unit: Unit) -> None:
    unit.body_id = unit.parent.body_id if unit.parent is not None else unit.pk


def unit_create(*, actor: User, data: dict[str, Any]) -> Unit:
    """Create a unit; its body is its parent's body, or itself at the top of a tree."""
    require(can_manage_accounts(actor))
    with transaction.atomic():
        unit = assign(Unit(), data, UNIT_FIELDS)
        unit.full_clean()
        unit.save()
        _set_body(unit)
        unit.save(update_fields=["body"])
        audit.record(actor=actor, action=AuditAction.CREATE, obj=unit, after=audit.snapshot(unit))
    return unit


def unit_update(*, actor: User, unit: Unit, data: dict[str, Any]) -> Unit:
    """Change a unit; moving it moves its whole subtree to the new body."""
    require(can_manage_accounts(actor))
    with transaction.atomic():
        before = audit.snapshot(unit)
        assign(unit, data, UNIT_FIELDS)
        if unit.parent_id and unit.parent_id in unit.descendant_ids():
            raise ValidationError({"parent": _("A unit cannot be placed under itself.")})
        _set_body(unit)
        save_audited(unit, actor=actor, before=before)
        Unit.objects.filter(pk__in=unit.descendant_ids() - {unit.pk}).update(body_id=unit.body_id)
    return unit


def user_create(*, actor: User, data: dict[str, Any], password: str | None = None) -> User:
    """Create a user; with no password the account cannot sign in until one is set."""
    require(can_manage_accounts(actor))
    with transaction.atomic():
        user = assign(User(), data, USER_FIELDS)
        if password:
            validate_password(password, user)
            user.set_password(password)
        else:
            user.set_unusable_password()
        return save_audited(user, actor=actor, before=None, exclude_from_audit=["last_login"])


def user_update(*, actor: User, user: User, data: dict[str, Any]) -> User:
    require(can_manage_accounts(actor))
    if user.pk == actor.pk and data.get("is_active") is False:
        raise ValidationError({"is_active": _("You cannot deactivate your own account.")})
    with transaction.atomic():
        before = audit.snapshot(user, exclude=["last_login"])
        assign(user, data, USER_FIELDS)
        return save_audited(user, actor=actor, before=before, exclude_from_audit=["last_login"])


def user_set_password(*, actor: User, user: User, password: str) -> User:
    """Set a password: one's own, or anyone's by an administrator. The value is never audited."""
    require(can_set_password(actor, user))
    validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit.record(actor=actor, action=AuditAction.PASSWORD, obj=user)
    # A new password is how an administrator unlocks an account locked by failed sign-ins.
    reset(username=user.get_username())
    return user


def user_set_language(*, actor: User, language: str) -> User:
    """Remember the signed-in user's interface language."""
    require(can_set_preferences(actor))
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Unknown language.")})
    if actor.language == language:
        return actor
    with transaction.atomic():
        before = {"language": actor.language}
        actor.language = language
        actor.save(update_fields=["language"])
        audit.record(
            actor=actor,
            action=AuditAction.PREFERENCE,
            obj=actor,
            before=before,
            after={"language": language},
        )
    return actor
