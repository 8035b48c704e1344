"""The pages where a signed-in person lists, makes and revokes their API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.api import services
from sinergi.api.forms import TokenForm
from sinergi.api.models import ApiToken
from sinergi.core.forms import add_service_errors


def token_list(request):
    """The person's tokens, and the form to make another."""
    return _render_list(request, TokenForm())


def _render_list(request, form, key: str = "", status: int = 200):
    tokens = ApiToken.objects.filter(user=request.user)
    context = {"tokens": tokens, "form": form, "key": key}
    return render(request, "api/token_list.html", context, status=status)


@require_POST
def token_create(request):
    """Make a token; its key is shown in this answer only and never again."""
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            _token, key = services.token_create(actor=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Token created. Copy the key now: it is not shown again."))
            response = _render_list(request, TokenForm(), key=key, status=201)
            # The key must not linger in a cache or the browser's history.
            response["Cache-Control"] = "no-store"
            return response
    return _render_list(request, form, status=400)


@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=pk)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token is revoked."))
    return redirect("api:token_list")
