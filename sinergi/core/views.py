"""Shared views: service forms, object history, error pages, health. (The overview is insight's,
the change log and the language switch are accounts'; `sinergi/urls.py` keeps their names in the
`core` namespace.)"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.generic import FormView

from sinergi.core.forms import add_service_errors, label_empty_choices


class ServiceFormView(FormView):
    """A form page whose write is one service call; the service's errors land at the fields."""

    success_message = ""

    def get_form(self, form_class=None):
        return label_empty_choices(super().get_form(form_class))

    def perform(self, form):  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.object = self.perform(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()


def object_history(request, obj, entries, template_name="core/object_history.html", **context):
    """Render the audit entries of one object (and whatever the caller adds to `entries`)."""
    page = entries.select_related("actor", "actor_unit", "content_type")[:500]
    return render(request, template_name, {"object": obj, "entries": page, **context})


@login_not_required
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


@login_not_required
def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)
