"""One filterset per list, shared by the page and (later) the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import Unit
from sinergi.core.forms import DateInput
from sinergi.core.text import search_key
from sinergi.programs.choices import (
    ActivityKind,
    Priority,
    ProgramStatus,
    ReportStatus,
    TaskStatus,
)
from sinergi.programs.models import Activity, Program, ProgressReport, Task


def _programs(request):
    return Program.objects.visible_to(request.user) if request else Program.objects.none()


def _units(request):
    return (
        Unit.objects.filter(Q(led_tasks__isnull=False) | Q(supported_tasks__isnull=False))
        .distinct()
        .order_by("body_id", "parent_id", "name")
    )


class _Words:
    """Every typed word must appear in one of the fields, accents and case ignored."""

    fields: tuple[str, ...] = ()

    def filter_words(self, queryset, name, value):
        words = search_key(value).split()
        if not words:
            return queryset
        keys = {
            pk: search_key(*texts)
            # Without the list's prefetches: they do not apply to plain values, and iterating
            # a queryset that has them needs a chunk size.
            for pk, *texts in queryset.prefetch_related(None)
            .values_list("pk", *self.fields)
            .iterator(chunk_size=2000)
        }
        return queryset.filter(
            pk__in=[pk for pk, key in keys.items() if all(w in key for w in words)]
        )


class ProgramFilterSet(_Words, django_filters.FilterSet):
    fields = ("title", "code", "basis_number")

    q = django_filters.CharFilter(method="filter_words", label=_("Search"))
    status = django_filters.ChoiceFilter(
        choices=ProgramStatus.choices, label=_("Status"), empty_label=_("All")
    )

    class Meta:
        model = Program
        fields = ["q", "status"]


class TaskFilterSet(_Words, django_filters.FilterSet):
    fields = ("title", "description")

    q = django_filters.CharFilter(method="filter_words", label=_("Search"))
    program = django_filters.ModelChoiceFilter(
        field_name="area__program", queryset=_programs, label=_("Program"), empty_label=_("All")
    )
    unit = django_filters.ModelChoiceFilter(
        queryset=_units,
        method="filter_unit",
        label=_("Unit leads or supports"),
        empty_label=_("All"),
    )
    status = django_filters.MultipleChoiceFilter(
        choices=TaskStatus.choices,
        label=_("Status"),
        widget=forms.CheckboxSelectMultiple,
        # One row's own column: no join can repeat a row, so no DISTINCT (at national scale
        # a DISTINCT over every column made the list's count several times slower).
        distinct=False,
    )
    priority = django_filters.ChoiceFilter(
        choices=Priority.choices, label=_("Priority"), empty_label=_("All")
    )

    class Meta:
        model = Task
        fields = ["q", "program", "unit", "status", "priority"]

    def filter_unit(self, queryset, name, unit):
        return queryset.involving(unit.pk) if unit else queryset


class ActivityFilterSet(_Words, django_filters.FilterSet):
    fields = ("title", "topic", "place")

    q = django_filters.CharFilter(method="filter_words", label=_("Search"))
    program = django_filters.ModelChoiceFilter(
        queryset=_programs, label=_("Program"), empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(
        choices=ActivityKind.choices, label=_("Kind"), empty_label=_("All")
    )
    organiser = django_filters.ModelChoiceFilter(
        field_name="organisers", queryset=_units, label=_("Organising unit"), empty_label=_("All")
    )
    date_from = django_filters.DateFilter(
        field_name="held_on", lookup_expr="gte", label=_("From"), widget=DateInput()
    )
    date_to = django_filters.DateFilter(
        field_name="held_on", lookup_expr="lte", label=_("To"), widget=DateInput()
    )

    class Meta:
        model = Activity
        fields = ["q", "program", "kind", "organiser", "date_from", "date_to"]


class ProgressReportFilterSet(django_filters.FilterSet):
    program = django_filters.ModelChoiceFilter(
        field_name="task__area__program",
        queryset=_programs,
        label=_("Program"),
        empty_label=_("All"),
    )
    status = django_filters.ChoiceFilter(
        choices=ReportStatus.choices, label=_("Sign-off"), empty_label=_("All")
    )
    unit = django_filters.ModelChoiceFilter(queryset=_units, label=_("Unit"), empty_label=_("All"))
    period_from = django_filters.DateFilter(
        field_name="period__ends_on",
        lookup_expr="gte",
        label=_("Periods ending from"),
        widget=DateInput(),
    )
    period_to = django_filters.DateFilter(
        field_name="period__ends_on",
        lookup_expr="lte",
        label=_("Periods ending by"),
        widget=DateInput(),
    )

    class Meta:
        model = ProgressReport
        fields = ["program", "status", "unit", "period_from", "period_to"]
