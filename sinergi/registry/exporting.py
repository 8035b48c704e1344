"""The registry as a table: the enterprise list (today, or as of a past date) and the zone tree."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from sinergi.imports.columns import FIELDS
from sinergi.registry.choices import FIGURE_FIELDS
from sinergi.registry.models import Enterprise, Figure, Organisation, OrganisationType


def enterprise_header(types: list[OrganisationType]) -> list[str]:
    """Column titles in the current language; they are also headers the import recognises."""
    return [
        str(FIELDS["tax_id"][0]),
        str(FIELDS["name"][0]),
        str(FIELDS["zone"][0]),
        str(FIELDS["ownership"][0]),
        str(FIELDS["sector"][0]),
        str(FIELDS["founded_on"][0]),
        str(FIELDS["status"][0]),
        str(FIELDS["address"][0]),
        _("Reporting date"),
        *[str(FIELDS[f][0]) for f in FIGURE_FIELDS],
        *[t.name for t in types],
    ]


def _row(enterprise: Enterprise, figure: Figure | None, present: set[int], types) -> list[Any]:
    return [
        enterprise.tax_id,
        enterprise.name,
        enterprise.zone.name if enterprise.zone else "",
        enterprise.get_ownership_display(),
        enterprise.sector,
        enterprise.founded_on,
        enterprise.get_status_display(),
        enterprise.address,
        figure.as_of if figure else None,
        *[getattr(figure, f) if figure else None for f in FIGURE_FIELDS],
        *[_("yes") if t.pk in present else _("no") for t in types],
    ]


def current_rows(queryset: QuerySet[Enterprise], types) -> Iterator[list[Any]]:
    """Rows of enterprises as the registry knows them today (newest figures, active
    organisations); `queryset` carries the list's filters and order."""
    flags = [f"has_{t.code.replace('-', '_')}" for t in types]
    for enterprise in queryset.select_related("zone", "latest_figure").iterator(chunk_size=2000):
        present = {
            t.pk for t, flag in zip(types, flags, strict=True) if getattr(enterprise, flag, False)
        }
        yield _row(enterprise, enterprise.latest_figure, present, types)


def rows_as_of(
    day: datetime.date, types, known_at: datetime.datetime | None = None, chunk: int = 2000
) -> Iterator[list[Any]]:
    """The registry as it stood on `day`: enterprises founded by then, the figures describing the
    latest reporting date not after `day`, and the organisations active on `day`."""
    enterprises = (
        Enterprise.objects.filter(Q(founded_on__isnull=True) | Q(founded_on__lte=day))
        .select_related("zone")
        .order_by("name", "id")
    )
    figures = Figure.objects.as_of(day, known_at)
    active = Organisation.objects.active_on(day)
    ids = list(enterprises.values_list("id", flat=True))
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        by_id = {
            e.pk: e
            for e in enterprises.filter(pk__in=part).prefetch_related(
                Prefetch(
                    "organisations",
                    queryset=active.only("enterprise_id", "type_id"),
                    to_attr="active_then",
                )
            )
        }
        found = {f.enterprise_id: f for f in figures.filter(enterprise_id__in=part)}
        for pk in part:
            enterprise = by_id[pk]
            present = {o.type_id for o in enterprise.active_then}
            yield _row(enterprise, found.get(pk), present, types)


def zone_rows(tree: Iterable[dict], types) -> tuple[list[str], list[list[Any]]]:
    header = [
        _("Zone"),
        _("Kind"),
        _("Area (ha)"),
        _("Enterprises"),
        _("Workers"),
        *[t.name for t in types],
    ]
    rows = [
        [
            "    " * row["depth"] + row["zone"].name,
            row["zone"].get_kind_display(),
            float(row["zone"].area_ha) if row["zone"].area_ha is not None else None,
            row["enterprises"],
            row["workers"],
            *row["coverage_list"],
        ]
        for row in tree
    ]
    return header, rows
