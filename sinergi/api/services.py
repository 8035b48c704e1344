"""Creating and revoking API tokens: one transaction and one audit entry each."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.api.models import ApiToken, hash_key
from sinergi.core import audit
from sinergi.core.actors import Actor, user_of
from sinergi.core.models import AuditAction
from sinergi.core.services import require
from sinergi.core.text import nfc

KEY_PREFIX = "sng_"
# Never copied into an audit entry.
TOKEN_AUDIT_EXCLUDE = ("key_hash", "last_used_at")


def can_manage_token(actor: Actor, token: ApiToken) -> bool:
    """A person manages their own tokens; an administrator may also revoke anyone's."""
    return actor.is_authenticated and (token.user_id == actor.pk or actor.is_admin)


def token_create(*, actor: Actor, name: str) -> tuple[ApiToken, str]:
    """Make a token acting as `actor`; returns it with its key, which is never stored."""
    require(actor.is_authenticated and actor.pk is not None and actor.is_active)
    name = nfc(name or "")
    if not name:
        raise ValidationError({"name": _("Say what the token is for.")})
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken(
            user=user_of(actor), name=name[:100], prefix=key[:8], key_hash=hash_key(key)
        )
        token.full_clean()
        token.save()
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=token,
            after=audit.snapshot(token, TOKEN_AUDIT_EXCLUDE),
        )
    return token, key


def token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    """Stop a token from working, for good; revoking twice changes nothing."""
    require(can_manage_token(actor, token))
    if token.revoked_at is not None:
        return token
    with transaction.atomic():
        before = audit.snapshot(token, TOKEN_AUDIT_EXCLUDE)
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=token,
            before=before,
            after=audit.snapshot(token, TOKEN_AUDIT_EXCLUDE),
            message=_("revoked"),
        )
    return token
