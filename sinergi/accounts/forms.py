from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import Unit, User


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("The user name or password is not correct."),
        "inactive": _("This account is inactive."),
    }


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["parent", "code", "name", "short_name", "kind", "is_active"]


class UserForm(forms.ModelForm):
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text=_(
            "Leave empty to keep the current password (a new account without one cannot sign in)."
        ),
    )

    class Meta:
        model = User
        fields = [
            "username",
            "first_name",
            "last_name",
            "email",
            "unit",
            "role",
            "position",
            "language",
            "is_active",
        ]
