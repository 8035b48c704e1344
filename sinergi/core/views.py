"""Shared views: service forms, object history, error pages, health. (The overview is insight's,
the change log and the language switch are accounts'; `sinergi/urls.py` keeps their names in the
`core` namespace.)"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.generic import FormView

from sinergi.core import concurrency
from sinergi.core.forms import add_service_errors, label_empty_choices


class StaleEdit(Exception):
    def __init__(self, changes: list[dict[str, str]]):
        super().__init__(changes)
        self.changes = changes


class ServiceFormView(FormView):
    """A form page whose write is one service call; the service's errors land at the fields.

    A form editing a stored object (a model form with an instance) carries the version it
    started from (core/concurrency.py): a save made after someone else changed the same fields
    is refused with what they changed, and the person's input stays in the form, so saving
    again applies it over theirs."""

    success_message = ""

    def perform(self, form):  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    # A form that creates its object when none is stored yet (a unit's report for a period)
    # names the object's model: opened with nothing stored, it is refused like a stale edit when
    # someone else created the object before it was saved.
    creates_model: type | None = None
    # False when the form edits "the newest" of a kind (an enterprise's newest figures) rather
    # than one row: another row that became the newest is compared by its values.
    version_follows_row = True

    def edited_object(self, form):
        """The stored object this form edits, if any."""
        instance = getattr(form, "instance", None)
        return instance if instance is not None and instance.pk else None

    def get_form(self, form_class=None):
        form = label_empty_choices(super().get_form(form_class))
        edited = self.edited_object(form)
        version = None
        if edited is not None:
            self.edited = type(edited)._default_manager.get(pk=edited.pk)
            version = concurrency.edit_version(self.edited, form)
        elif self.creates_model is not None:
            version = concurrency.nothing_version(self.creates_model)
        if version is not None:
            form.fields[concurrency.VERSION_FIELD] = forms.CharField(
                widget=forms.HiddenInput, required=False, initial=version
            )
        return form

    def form_valid(self, form):
        token = form.cleaned_data.pop(concurrency.VERSION_FIELD, None)
        edited = getattr(self, "edited", None)
        try:
            with transaction.atomic():
                if edited is not None and token:
                    concurrency.lock(edited)
                    changes = concurrency.stale_changes(
                        token, edited, form, same_row=self.version_follows_row
                    )
                    if changes:
                        raise StaleEdit(changes)
                self.object = self.perform(form)
        except StaleEdit as stale:
            # Keep the person's input; the next save starts from the version now stored.
            form.data = form.data.copy()
            form.data[form.add_prefix(concurrency.VERSION_FIELD)] = concurrency.edit_version(
                edited, form
            )
            what = "; ".join(
                _("%(field)s: “%(before)s” → “%(now)s”") % change for change in stale.changes
            )
            form.add_error(
                None,
                _(
                    "Someone else saved this while you were editing it. What they changed: "
                    "%(changes)s. Your input is still in the form below: save again to apply "
                    "it over their changes, or reload the page to start from the saved version."
                )
                % {"changes": what},
            )
            return self.form_invalid(form)
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
