"""Sinergi's own password rules, beside Django's (settings.AUTH_PASSWORD_VALIDATORS)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class NotTheCurrentPasswordValidator:
    """A new password must differ from the one the account has now."""

    def validate(self, password: str, user: Any = None) -> None:
        if (
            user is not None
            and getattr(user, "pk", None)
            and user.has_usable_password()
            and user.check_password(password)
        ):
            raise ValidationError(
                _("The new password must differ from the current one."),
                code="password_unchanged",
            )

    def get_help_text(self) -> str:
        return _("Your new password must differ from the current one.")
