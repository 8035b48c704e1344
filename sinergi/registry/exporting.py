"""The registry as a table: the enterprise list (today, or as of a past date) and the zone tree.

Rows are built from plain value queries, not model instances: a national export is a hundred
thousand rows and must take seconds.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connections
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.registry.choices import (
    FIGURE_FIELDS,
    FIGURE_FLAGS,
    HEADINGS,
    EnterpriseStatus,
    Ownership,
)
from sinergi.registry.models import (
    Enterprise,
    EnterpriseStatusChange,
    Figure,
    Organisation,
    OrganisationType,
)

ENTERPRISE_VALUES = (
    "pk",
    "tax_id",
    "name",
    "zone__name",
    "ownership",
    "sector",
    "founded_on_text",
    "status",
    "address",
    "latitude",
    "longitude",
)
# The newest figures read through the enterprise's pointer to them (decision 0007), in the
# enterprises' own query.
THROUGH_POINTER = tuple(f"latest_figure__{f}" for f in (*FIGURE_FIELDS, *FIGURE_FLAGS))
# Dates are read as ISO text and turned into dates by `_day` (C code): SQLite's driver would
# otherwise call a Python converter for every date it returns.
AS_TEXT = CharField()


def enterprise_header(types: list[OrganisationType]) -> list[str]:
    """Column titles in the current language; the import recognises every one of them."""
    return [
        str(HEADINGS["tax_id"]),
        str(HEADINGS["name"]),
        str(HEADINGS["zone"]),
        str(HEADINGS["ownership"]),
        str(HEADINGS["sector"]),
        str(HEADINGS["founded_on"]),
        str(HEADINGS["status"]),
        str(HEADINGS["address"]),
        str(HEADINGS["latitude"]),
        str(HEADINGS["longitude"]),
        str(HEADINGS["as_of"]),
        *[str(HEADINGS[f]) for f in (*FIGURE_FIELDS, *FIGURE_FLAGS)],
        *[t.name for t in types],
    ]


class _Rows:
    """Turns value tuples into export rows, with the labels of the current language."""

    def __init__(self, types: list[OrganisationType]):
        self.type_ids = [t.pk for t in types]
        self.ownership = {k: str(v) for k, v in Ownership.choices}
        self.status = {k: str(v) for k, v in EnterpriseStatus.choices}
        self.yes, self.no = _("yes"), _("no")
        self.no_figure = [None] * (1 + len(FIGURE_FIELDS) + len(FIGURE_FLAGS))
        # Yes/no figures as the driver returns them (SQLite: 1/0), to the reader's words.
        self.flag_text = {True: self.yes, False: self.no, None: None}
        self.flags = len(FIGURE_FLAGS)

    def row(self, values: tuple, figure: tuple | None, present: set[int]) -> list[Any]:
        """`values`: ENTERPRISE_VALUES first (anything after them is left alone)."""
        yes, no = self.yes, self.no
        if figure:
            flag_text, cut = self.flag_text, len(figure) - self.flags
            figure = (_day(figure[0]), *figure[1:cut], *map(flag_text.__getitem__, figure[cut:]))
        ownership, status = values[4], values[7]
        return [
            values[1],  # tax id
            values[2],  # name
            values[3] or "",  # zone
            self.ownership.get(ownership, ownership),
            values[5],  # sector
            _day(values[6]),  # founded
            self.status.get(status, status),
            values[8],  # address
            _degrees(values[9]),  # latitude
            _degrees(values[10]),  # longitude
            *(figure or self.no_figure),
            *[yes if pk in present else no for pk in self.type_ids],
        ]


def _day(value: Any) -> datetime.date | None:
    """A date read as ISO text (see AS_TEXT), as a date."""
    return datetime.date.fromisoformat(value) if type(value) is str else value


def _degrees(value: Any) -> float | None:
    """A coordinate as a number, whichever the driver gave (PostgreSQL: Decimal; SQLite: float)."""
    return None if value is None else float(value)


def _values(queryset: QuerySet, *fields: str) -> Iterator[tuple]:
    """The queryset's `values_list(*fields)` rows as the driver gives them, streamed (a
    server-side cursor on PostgreSQL). Django's per-value converters are skipped: of the columns
    read here only dates need one, and `_day` does it for a fraction of the cost."""
    query = queryset.values_list(*fields).query
    connection = connections[queryset.db]
    sql, params = query.get_compiler(queryset.db).as_sql()
    cursor = connection.chunked_cursor()
    try:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(10000):
            yield from rows
    finally:
        cursor.close()


def _figure_values(queryset: QuerySet[Figure]) -> dict[int, tuple]:
    queryset = queryset.annotate(as_of_text=Cast("as_of", AS_TEXT))
    return {
        row[0]: row[1:]
        for row in _values(queryset, "enterprise_id", "as_of_text", *FIGURE_FIELDS, *FIGURE_FLAGS)
    }


def _organisations(queryset: QuerySet[Organisation]) -> dict[int, set[int]]:
    present: dict[int, set[int]] = defaultdict(set)
    for enterprise_id, type_id in _values(queryset, "enterprise_id", "type_id"):
        present[enterprise_id].add(type_id)
    return present


def _rows(
    enterprises: QuerySet[Enterprise],
    figures: QuerySet[Figure] | None,
    organisations: QuerySet[Organisation],
    types,
    status_day: datetime.date | None = None,
) -> Iterator[list[Any]]:
    """Three queries whatever the size: the enterprises, their figures and their organisations
    (each read whole, rather than by lists of ids, which cost more than the rows themselves).
    With `figures` None, the newest figures come with the enterprises, through their pointer
    (two queries). With `status_day`, the status is the one the enterprise had that day."""
    maker = _Rows(types)
    present = _organisations(organisations)
    nothing: set[int] = set()
    enterprises = enterprises.annotate(founded_on_text=Cast("founded_on", AS_TEXT))
    fields = ENTERPRISE_VALUES
    # Without any dated status every enterprise has had its present status all along: the
    # look-up per enterprise into the status history is skipped.
    if status_day is not None and EnterpriseStatusChange.objects.exists():
        enterprises = enterprises.with_status_on(status_day)
        fields = tuple("status_on" if f == "status" else f for f in ENTERPRISE_VALUES)
    if figures is None:
        enterprises = enterprises.annotate(figure_as_of_text=Cast("latest_figure__as_of", AS_TEXT))
        width = len(fields)
        for values in _values(enterprises, *fields, "figure_as_of_text", *THROUGH_POINTER):
            yield maker.row(
                values, values[width:] if values[width] else None, present.get(values[0], nothing)
            )
        return
    found = _figure_values(figures)
    for values in _values(enterprises, *fields):
        yield maker.row(values, found.get(values[0]), present.get(values[0], nothing))


def current_rows(queryset: QuerySet[Enterprise], types) -> Iterator[list[Any]]:
    """Rows of enterprises as the registry knows them today (newest figures, organisations active
    today); `queryset` carries the list's filters and order."""
    chosen = queryset.values("pk")
    return _rows(
        queryset,
        None,
        Organisation.objects.active_on(timezone.localdate()).filter(enterprise__in=chosen),
        types,
    )


def rows_as_of(
    day: datetime.date, types, known_at: datetime.datetime | None = None
) -> Iterator[list[Any]]:
    """The registry as it stood on `day`: enterprises founded by then, the figures describing the
    latest reporting date not after `day` (as known at `known_at`), and the organisations active
    on `day`."""
    enterprises = Enterprise.objects.filter(
        Q(founded_on__isnull=True) | Q(founded_on__lte=day)
    ).order_by("name", "id")
    # As known now, on a day after every reporting date: each enterprise's newest figures,
    # which its pointer names (one index probe shows that no figure describes a later date).
    newest = known_at is None and not Figure.objects.filter(as_of__gt=day).exists()
    return _rows(
        enterprises,
        None if newest else Figure.objects.as_of(day, known_at),
        Organisation.objects.active_on(day),
        types,
        status_day=day,
    )


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
