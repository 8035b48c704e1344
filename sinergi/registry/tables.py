from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from sinergi.registry.models import Enterprise


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

    def render_zone(self, value):
        return value.short_name or value.name

    def render_workers(self, value):
        from django.utils.formats import number_format

        return number_format(value, force_grouping=True)
