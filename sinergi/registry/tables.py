from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import django_tables2 as tables
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection, connections
from django.db.models import Count, F, Func, OrderBy, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tables2.data import TableQuerysetData

from sinergi.core.paging import cached_count
from sinergi.core.tables import secondary
from sinergi.registry.models import Enterprise, active_holders, holding


class PageRowsData(TableQuerysetData):
    """Table data that filters, orders, counts and slices a lean queryset (ids only), then loads
    the full rows of just the page with `load(ids)` (a dict by id): joins and per-row
    annotations then cost 25 rows, not every row that matches before the sort.

    A sort by a key of few values (`groups(order)` gives them, in order, as filters; None for
    any other sort) is read as those groups one after another, each in id order: the page's
    rows come from the one or two groups it falls in, counted once per registry version
    (`version`), instead of ordering every row by a per-row subquery or a join (a sort by
    "has a party organisation" or by zone over 100,000 enterprises)."""

    def __init__(
        self,
        data,
        load: Callable[[list[int]], dict[int, Any]],
        groups: Callable[[tuple], Grouping | None] | None = None,
        version: str = "",
    ):
        super().__init__(data)
        self.load = load
        self.groups = groups
        self.version = version

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return super().__getitem__(key)
        queryset = self.data
        order = tuple(o for o in queryset.query.order_by if o not in ("pk", "id"))
        groups = self.groups(order) if self.groups and order else None
        if groups is not None:
            ids = self._grouped_ids(queryset.order_by(), groups, key)
        else:
            if queryset.query.order_by and self._walks_too_far(queryset, key):
                queryset = queryset.order_by(*map(_unindexed, queryset.query.order_by))
            if queryset.query.order_by and "pk" not in queryset.query.order_by:
                # Ties (same zone, same flag) in a stable order: pages neither repeat nor skip.
                queryset = queryset.order_by(*queryset.query.order_by, "pk")
            ids = list(queryset.values_list("pk", flat=True)[key])
        found = self.load(ids)
        return [found[pk] for pk in ids if pk in found]

    def _walks_too_far(self, queryset, key: slice) -> bool:
        """Whether SQLite would read this page by walking the index of the sort past many rows
        the filters drop. Its planner knows a column's average rows per value only (no
        STAT4): a filter on a rare status or ownership looks like a third or a fifth of the
        registry to it, and it walks the name index through most of the table testing each
        row (120-200 ms) instead of sorting the few thousand rows the filter keeps. With the
        filtered count known (the paginator has just counted it; both counts are kept per
        registry version), a walk passes about stop × whole / count rows and a sort reads
        count rows: sort when count² < stop × whole. PostgreSQL's planner has the values'
        frequencies and needs no help."""
        if (
            connections[queryset.db].vendor != "sqlite"
            or not self.version
            or not queryset.query.where
            or not key.stop
        ):
            return False
        count = cached_count(queryset, self.version)  # 0 for a filter that cannot match
        whole = cached_count(queryset.model._default_manager.all(), self.version)
        return count * count < key.stop * whole

    def _cached(self, queryset, kind: str, compute: Callable[[], Any]) -> Any:
        """`compute()`, kept per registry version and query (nothing kept without a version)."""
        if not self.version:
            return compute()
        cache_key = (
            f"list-{kind}:"
            + hashlib.sha256(f"{self.version}:{queryset.query}".encode()).hexdigest()
        )
        return cache.get_or_set(cache_key, compute, 3600)

    def _grouped_ids(self, queryset, grouping: Grouping, key: slice) -> list[int]:
        start, stop = key.start or 0, key.stop
        try:
            if grouping.field:
                # One GROUP BY for every group's size (hundreds of zones).
                counted = queryset.values(grouping.field).annotate(n=Count("*")).order_by()
                per_value = self._cached(
                    counted, "group-sizes", lambda: group_sizes(queryset, grouping.field)
                )
        except EmptyResultSet:
            return []
        ids: list[int] = []
        offset = 0  # rows in the groups before this one
        for index, (condition, values) in enumerate(grouping.groups):
            if stop is not None and offset >= stop:
                break
            if grouping.field:
                # Sized from the GROUP BY: a queryset is built only for the groups the page
                # takes rows from (a deep page by zone passes hundreds of zones before them).
                size = sum(per_value.get(v, 0) for v in values)
                if not size or start >= offset + size:
                    offset += size
                    continue
                group = queryset.filter(condition)
            else:
                group = queryset.filter(condition)
                try:
                    if grouping.sizes is not None and not queryset.query.where:
                        # Unfiltered: every group's size from one cheaper query (see sizes).
                        sizes = self._cached(queryset, grouping.sizes_key, grouping.sizes)
                        size = sizes[index]
                    elif index == len(grouping.groups) - 1 and self.version:
                        # The last group holds what the others do not: the list's total (the
                        # paginator's count, kept per version) less theirs, not one more COUNT.
                        size = cached_count(queryset, self.version) - offset
                    else:
                        size = self._cached(group, "group-size", group.count)
                except EmptyResultSet:
                    size = 0
            if size and start < offset + size:
                low = max(0, start - offset)
                high = size if stop is None else min(size, stop - offset)
                ids += group.order_by("pk").values_list("pk", flat=True)[low:high]
            offset += size
        return ids


def group_sizes(queryset, field: str) -> dict[Any, int]:
    """How many rows of `queryset` hold each value of `field`: one GROUP BY.

    SQLite answers a filtered GROUP BY by walking the index of `field` (no sort to do) and
    reading every row of the table to test the filter: 150-280 ms over 100,000 enterprises for
    a filter that keeps a few thousand. Grouped over a subquery it cannot merge into the
    GROUP BY (one with a LIMIT), the filter takes its own index and only the rows it keeps are
    grouped (10-25 ms; bench/README.md). Unfiltered, the index walk is the fastest way."""
    if connections[queryset.db].vendor != "sqlite" or not queryset.query.where:
        counted = queryset.values(field).annotate(n=Count("*")).order_by()
        return dict(counted.values_list(field, "n"))
    inner = queryset.order_by().annotate(group_value=F(field)).values("group_value")
    sql, params = inner.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(
            "SELECT group_value, COUNT(*) FROM (" + sql + " LIMIT -1) GROUP BY group_value",
            params,
        )
        return dict(cursor.fetchall())


class _Unindexed(Func):
    """`+expression`: the same value and, for a column, the same collation; SQLite's way of
    saying "do not read this from an index" (an ORDER BY term it then sorts)."""

    template = "+%(expressions)s"


def _unindexed(term):
    """An ORDER BY term (a field name, "-name", or an OrderBy) giving the same order, as a term
    SQLite sorts rather than reads from an index. The id breaking ties is left as it is."""
    if isinstance(term, str):
        if term.lstrip("-") in ("pk", "id"):
            return term
        return OrderBy(_Unindexed(F(term.lstrip("-"))), descending=term.startswith("-"))
    if isinstance(term, OrderBy):
        return OrderBy(
            _Unindexed(term.expression),
            descending=term.descending,
            nulls_first=term.nulls_first,
            nulls_last=term.nulls_last,
        )
    return term


@dataclass
class Grouping:
    """A sort read as groups in order (see PageRowsData): each a filter and, when `field` is
    set, the values of `field` it holds (their sizes then come from one GROUP BY)."""

    groups: list[tuple[Q, list[Any]]]
    field: str | None = None
    # Without a filter on the list, every group's size at once (in the groups' order), read
    # another way than counting each group; kept per registry version under `sizes_key`.
    sizes: Callable[[], list[int]] | None = None
    sizes_key: str = ""


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
    # The link as reverse() arguments, not get_absolute_url: the rows' links then take one
    # reverse() per table (core/templatetags/table_rows.py).
    name = tables.Column(
        linkify=("registry:enterprise_detail", [tables.A("pk")]),
        verbose_name=_("Name"),
        attrs={"td": {"class": "name"}},
    )
    # The tax id and the ownership are folded away on a narrow screen (the "Columns" toggle
    # shows them): the zone, the status, the workforce and the organisations come first.
    tax_id = tables.Column(verbose_name=_("Tax id"), attrs=secondary())
    zone = tables.Column(verbose_name=_("Zone"), order_by=("zone__name",), default="—")
    ownership = tables.Column(verbose_name=_("Ownership"), attrs=secondary())
    status = tables.Column(verbose_name=_("Status"))
    workers = tables.Column(
        accessor="latest_workers",  # latest_figure's workers, copied (decision 0012)
        # A plain integer cell: grouped as the page's language writes it (USE_THOUSAND_SEPARATOR).
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
        workers = F("latest_workers")  # latest_figure's, copied for the index (decision 0012)
        order = workers.desc(nulls_last=True) if is_descending else workers.asc(nulls_last=True)
        return queryset.order_by(order, "pk"), True

    def render_zone(self, value):
        return value.short_name or value.name


def sort_groups(
    order: tuple, org_types: list, narrow: bool = False, known: dict[str, bool] | None = None
) -> Grouping | None:
    """The enterprise list's sorts by a key of few values, as the groups in their order (see
    PageRowsData): an organisation flag (has_<code>: without first ascending, with first
    descending) or the zone (zones by name; enterprises without a zone where the database's
    own order puts a NULL: first ascending on SQLite, last on PostgreSQL). None for the rest.

    A flag's groups are the enterprises among, and not among, those with an organisation of
    the type active today (`pk IN (…)`: the database reads the type's organisations once,
    where the flag's EXISTS is a lookup per enterprise: a deep page of the national registry
    takes about half the time, bench/README.md). Unfiltered, their sizes come from the
    organisations alone (one COUNT(DISTINCT) over a type's organisations instead of a lookup
    per enterprise, twice: 68 → 15 ms on SQLite, 32 → 10 ms on PostgreSQL). On SQLite, a list
    whose filters keep few enterprises (`narrow`) looks each of them up instead (`holding`).
    A flag the list's filters fix (`known`: has / lacks that type) is one group, the whole
    list, read without the flag's condition again: the other group is empty, and counting it
    and filtering by the flag twice took about 40 of a national page's 106 ms on SQLite and 24
    of 104 on PostgreSQL (bench/README.md)."""
    if len(order) != 1 or not isinstance(order[0], str):
        return None
    name = order[0].lstrip("-")
    descending = order[0].startswith("-")
    by_flag = {org_type.flag: org_type for org_type in org_types}
    if name in (known or {}):
        return Grouping([(Q(), [])])
    if name in by_flag:
        org_type, today = by_flag[name], timezone.localdate()
        holders = active_holders(org_type, today)
        if connection.vendor == "sqlite":
            # Over the whole registry the holders' list read once (its NOT IN: 38 ms against
            # 69 at a deep page); a lookup per enterprise where the filters narrow (`holding`).
            among = holding(org_type, today, True, narrow)
            without = holding(org_type, today, False, narrow)
        else:
            # PostgreSQL answers "without" best as the flag's anti-join (NOT IN: 22 ms against
            # 16 at a deep page).
            among, without = Q(pk__in=holders), Q(**{name: False})
        groups: list[tuple[Q, list[Any]]] = [(without, []), (among, [])]

        def sizes() -> list[int]:
            with_one = holders.order_by().distinct().count()
            without = Enterprise.objects.count() - with_one
            return [with_one, without] if descending else [without, with_one]

        return Grouping(
            groups[::-1] if descending else groups,
            sizes=sizes,
            sizes_key=f"flag-sizes-{name}-{int(descending)}",
        )
    if name == "zone__name":
        from sinergi.registry.models import Zone

        by_name: dict[str, list[int]] = {}
        for pk, zone_name in Zone.objects.order_by("name", "pk").values_list("pk", "name"):
            by_name.setdefault(zone_name, []).append(pk)
        groups = [(Q(zone_id__in=ids), ids) for ids in by_name.values()]
        if descending:
            groups.reverse()
        nulls_first = (connection.vendor == "sqlite") != descending
        without = (Q(zone__isnull=True), [None])
        return Grouping([without, *groups] if nulls_first else [*groups, without], "zone_id")
    return None
