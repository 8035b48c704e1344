from __future__ import annotations

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import Unit, User
from sinergi.accounts.permissions import units_visible_to, users_visible_to
from sinergi.core.forms import DateInput
from sinergi.core.models import AuditEntry

# The object types that appear in the change log (app labels of Sinergi's own apps).
AUDITED_APPS = ("accounts", "registry", "programs", "reviews", "imports")


def _users(request):
    return users_visible_to(request.user) if request else User.objects.none()


def _units(request):
    return units_visible_to(request.user) if request else Unit.objects.none()


class AuditEntryFilterSet(django_filters.FilterSet):
    actor = django_filters.ModelChoiceFilter(label=_("User"), queryset=_users, empty_label=_("All"))
    actor_unit = django_filters.ModelChoiceFilter(
        label=_("Unit"), queryset=_units, empty_label=_("All")
    )
    content_type = django_filters.ModelChoiceFilter(
        label=_("Object type"),
        queryset=ContentType.objects.filter(app_label__in=AUDITED_APPS).order_by("model"),
        empty_label=_("All"),
    )
    date_from = django_filters.DateFilter(
        field_name="at", lookup_expr="date__gte", label=_("From"), widget=DateInput()
    )
    date_to = django_filters.DateFilter(
        field_name="at", lookup_expr="date__lte", label=_("To"), widget=DateInput()
    )

    class Meta:
        model = AuditEntry
        fields = ["actor", "actor_unit", "content_type", "date_from", "date_to"]
