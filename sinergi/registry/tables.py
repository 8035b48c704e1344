from __future__ import annotations

import django_tables2 as tables
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from django_tables2.data import TableQuerysetData

from sinergi.registry.models import Enterprise


class PageRowsData(TableQuerysetData):
    """Table data that filters, orders, counts and slices a lean queryset (ids only), then loads
    the full rows of just the page with `load(ids)` (a dict by id): joins and per-row
    annotations then cost 25 rows, not every row that matches before the sort."""

    def __init__(self, data, load):
        super().__init__(data)
        self.load = load

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return super().__getitem__(key)
        queryset = self.data
        if queryset.query.order_by and "pk" not in queryset.query.order_by:
            # Ties (same zone, same flag) in a stable order, so pages neither repeat nor skip.
            queryset = queryset.order_by(*queryset.query.order_by, "pk")
        ids = list(queryset.values_list("pk", flat=True)[key])
        found = self.load(ids)
        return [found[pk] for pk in ids if pk in found]


class OrganisationFlagColumn(tables.BooleanColumn):
    """Whether the enterprise has an active organisation of one type (annotated `has_<code>`)."""

    def __init__(self, org_type, **kwargs):
        self.org_type = org_type
        super().__init__(
            accessor=org_type.flag,
            verbose_name=org_type.name,
            yesno="✔,–",
            attrs={"td": {"class": "flag"}, "th": {"class": "flag"}},
            **kwargs,
        )


class EnterpriseTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name=_("Name"), attrs={"td": {"class": "name"}})
    tax_id = tables.Column(verbose_name=_("Tax id"))
    zone = tables.Column(verbose_name=_("Zone"), order_by=("zone__name",), default="—")
    ownership = tables.Column(verbose_name=_("Ownership"))
    status = tables.Column(verbose_name=_("Status"))
    workers = tables.Column(
        accessor="latest_figure__workers",
        verbose_name=_("Workers"),
        default="—",
        attrs={"td": {"class": "num"}, "th": {"class": "num"}},
    )

    class Meta:
        model = Enterprise
        fields = ("name", "tax_id", "zone", "ownership", "status", "workers")
        order_by = ("name",)
        # The view reads `per_page` itself, within limits; the table must not read it unbounded.
        per_page_field = "table_per_page"

    def __init__(self, data, *args, org_types=(), **kwargs):
        extra = [(f"has_{t.code}", OrganisationFlagColumn(t, orderable=True)) for t in org_types]
        super().__init__(data, *args, extra_columns=extra, **kwargs)

    def order_workers(self, queryset, is_descending):
        # Enterprises without figures last either way, on every database (PostgreSQL would put
        # them first when sorting by the largest workforce).
        workers = F("latest_figure__workers")
        order = workers.desc(nulls_last=True) if is_descending else workers.asc(nulls_last=True)
        return queryset.order_by(order, "pk"), True

    def render_zone(self, value):
        return value.short_name or value.name

    def render_workers(self, value):
        from django.utils.formats import number_format

        return number_format(value, force_grouping=True)
