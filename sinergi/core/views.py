"""Shared views: overview, change log, object history, language, error pages, health."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from sinergi.core import concurrency
from sinergi.core.filtersets import AuditEntryFilterSet
from sinergi.core.forms import add_service_errors, label_empty_choices
from sinergi.core.models import AuditEntry
from sinergi.core.tables import AuditEntryTable


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

    def edited_object(self, form):
        """The stored object this form edits, if any."""
        instance = getattr(form, "instance", None)
        return instance if instance is not None and instance.pk else None

    def get_form(self, form_class=None):
        form = label_empty_choices(super().get_form(form_class))
        edited = self.edited_object(form)
        if edited is not None:
            self.edited = type(edited)._default_manager.get(pk=edited.pk)
            form.fields[concurrency.VERSION_FIELD] = forms.CharField(
                widget=forms.HiddenInput,
                required=False,
                initial=concurrency.edit_version(self.edited, form),
            )
        return form

    def form_valid(self, form):
        token = form.cleaned_data.pop(concurrency.VERSION_FIELD, None)
        edited = getattr(self, "edited", None)
        try:
            with transaction.atomic():
                if edited is not None and token:
                    concurrency.lock(edited)
                    changes = concurrency.stale_changes(token, edited, form)
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


def home(request):
    """The role dashboard (insight): coverage, gaps, indicators and overdue tasks."""
    from sinergi.insight.views import dashboard

    return dashboard(request)


class AuditEntryListView(SingleTableMixin, FilterView):
    """The change log: every write the user may see, filterable by user, unit, type and date."""

    template_name = "core/auditentry_list.html"
    filterset_class = AuditEntryFilterSet
    table_class = AuditEntryTable
    paginate_by = 50

    def get_queryset(self):
        return AuditEntry.objects.visible_to(self.request.user).select_related(
            "actor", "actor_unit", "content_type"
        )

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["request"] = self.request
        return kwargs


def object_history(request, obj, entries, template_name="core/object_history.html", **context):
    """Render the audit entries of one object (and whatever the caller adds to `entries`)."""
    page = entries.select_related("actor", "actor_unit", "content_type")[:500]
    return render(request, template_name, {"object": obj, "entries": page, **context})


@login_not_required
@require_POST
def set_language(request):
    """Switch the interface language; remembered on the account when signed in."""
    from sinergi.accounts.services import user_set_language

    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if not check_for_language(language):
        messages.error(request, _("Unknown language."))
        return response
    if request.user.is_authenticated:
        user_set_language(actor=request.user, language=language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


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
