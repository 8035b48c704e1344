"""Filters of the gap list and the violations list (shared by the pages and their exports)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from sinergi.core.filtersets import LeanFilterSet
from sinergi.core.text import search_key
from sinergi.insight.models import Gap, GapStatus, QualityRule, Violation
from sinergi.registry.choices import Ownership
from sinergi.registry.filtersets import (
    FastCheckboxes,
    FastSelect,
    workforce_band,
    workforce_band_choices,
)
from sinergi.registry.models import OrganisationType, Zone
from sinergi.registry.version import registry_version


class _ZoneAndSearch(LeanFilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    # A model choice: its options are read once, when the select is drawn, as (id, name) pairs
    # (a list of choices would be copied and normalised with every form, hundreds of zones).
    zone = django_filters.ModelChoiceFilter(
        queryset=Zone.objects.order_by("name"),
        method="filter_zone",
        label=_("Zone"),
        empty_label=_("All"),
        widget=FastSelect(label_field="name", version=registry_version),
    )

    def filter_search(self, queryset, name, value):
        for word in search_key(value).split():
            queryset = queryset.filter(enterprise__search_text__contains=word)
        return queryset

    def filter_zone(self, queryset, name, value):
        # Ids, not model instances: a national tree has hundreds of zones.
        return queryset.filter(zone_id__in=value.descendant_ids())


class GapFilterSet(_ZoneAndSearch):
    type = django_filters.ModelChoiceFilter(
        queryset=OrganisationType.objects.all(),
        to_field_name="code",
        label=_("Organisation type"),
        empty_label=_("All"),
        widget=FastSelect,
    )
    status = django_filters.ChoiceFilter(
        choices=GapStatus.choices, label=_("Group"), empty_label=_("All"), widget=FastSelect
    )
    ownership = django_filters.MultipleChoiceFilter(
        choices=Ownership.choices,
        label=_("Ownership"),
        widget=FastCheckboxes,
        # One row's own column: no join can repeat a row, so no DISTINCT (at national scale
        # a DISTINCT over every column made the list's count several times slower).
        distinct=False,
    )
    workforce = django_filters.ChoiceFilter(
        choices=workforce_band_choices,
        method="filter_workforce",
        label=_("Workers"),
        empty_label=_("All"),
        widget=FastSelect,
    )
    min_members = django_filters.NumberFilter(
        field_name="members", lookup_expr="gte", label=_("At least this many members")
    )

    class Meta:
        model = Gap
        fields = ["type", "status", "q", "zone", "ownership", "workforce", "min_members"]

    def filter_workforce(self, queryset, name, value: str):
        low, high = workforce_band(value)
        queryset = queryset.filter(workers__gte=low)
        return queryset.filter(workers__lte=high) if high is not None else queryset


class ViolationFilterSet(_ZoneAndSearch):
    rule = django_filters.ModelChoiceFilter(
        queryset=QualityRule.objects.filter(active=True),
        label=_("Rule"),
        empty_label=_("All"),
        widget=FastSelect,
    )

    class Meta:
        model = Violation
        fields = ["rule", "q", "zone"]
