"""Every count Sinergi shows, defined once: the review report's tables, computed indicators, the
dashboard and its trend, the gap list and the API read their numbers here (decision 0017).

The definitions:

- **operating on a date** — an enterprise counts on `day` when it was founded on or before
  `day` (or its founding date is unknown) and its status on `day` is operating: the newest
  dated status on or before `day` (`EnterpriseStatusChange`), else its present status. A
  suspended enterprise does not operate.
- **organisation active on a date** — founded on or before `day` (or undated) and not dissolved
  by then (`Organisation.objects.active_on`), inside an enterprise operating on `day`.
- **figures current on a date** — per enterprise, the version of the figures for its latest
  reporting date on or before `day`, as the registry knew it at `known_at` (now when omitted):
  the picture a report drafted at `known_at` saw.
- **members by kind** — the sum of one figure field (`MEMBER_KINDS`) over those figures.
- **newly admitted in a period** — the newly admitted party members on the figures whose
  reporting date falls in the period, as known at `known_at`, of enterprises operating at its end.
- **coverage** — of the operating enterprises, those with an organisation of the type; of those
  whose current figures meet the type's founding rule, the share that has one.

An enterprise counts in its zone as recorded now (zones carry no history) and in every zone
above it. Every count is a grouped query over the registry, a few queries per call whatever
the number of zones or enterprises.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sinergi.registry.choices import EnterpriseStatus
from sinergi.registry.models import (
    Enterprise,
    EnterpriseStatusChange,
    Figure,
    Organisation,
    OrganisationType,
    Zone,
    status_on,
)


@dataclass(frozen=True)
class MemberKind:
    """A figure that counts people of one kind; a new kind is one more entry in MEMBER_KINDS."""

    field: str
    label: Promise


MEMBER_KINDS: tuple[MemberKind, ...] = (
    MemberKind("workers", _("workers")),
    MemberKind("women_workers", _("women workers")),
    MemberKind("party_members", _("party members")),
    MemberKind("official_party_members", _("official party members")),
    MemberKind("probationary_party_members", _("probationary party members")),
    MemberKind("union_members", _("union members")),
    MemberKind("youth_members", _("youth union members")),
)
MEMBER_FIELDS: tuple[str, ...] = tuple(kind.field for kind in MEMBER_KINDS)


# --- The definitions ----------------------------------------------------------------------------


def operating_on(day: datetime.date, prefix: str = "") -> Q:
    """The condition on an enterprise (through `prefix`, e.g. "enterprise__") for operating on
    `day`: founded by then, and its status that day (by the dated status history, else the
    present status) is operating."""
    founded = Q(**{f"{prefix}founded_on__isnull": True}) | Q(**{f"{prefix}founded_on__lte": day})
    if not EnterpriseStatusChange.objects.exists():
        # No dated status anywhere: every enterprise has had its present status all along,
        # and the plain column is what the (zone, status) index serves.
        return Q(**{f"{prefix}status": EnterpriseStatus.OPERATING}) & founded
    outer = f"{prefix.removesuffix('__')}_id" if prefix else "pk"
    return Q(Exact(status_on(day, outer=outer), EnterpriseStatus.OPERATING)) & founded


def in_zones(zone_ids: Iterable[int] | None, prefix: str = "") -> Q:
    """Enterprises (through `prefix`) in the given zones; every enterprise when None."""
    if zone_ids is None:
        return Q()
    return Q(**{f"{prefix}zone_id__in": sorted(zone_ids)})


def enterprises_operating_on(
    day: datetime.date, zone_ids: Iterable[int] | None = None
) -> QuerySet[Enterprise]:
    return Enterprise.objects.filter(operating_on(day), in_zones(zone_ids))


def organisations_active_on(
    day: datetime.date, zone_ids: Iterable[int] | None = None
) -> QuerySet[Organisation]:
    """Organisations active on `day` in enterprises operating on `day`."""
    return Organisation.objects.active_on(day).filter(
        operating_on(day, "enterprise__"), in_zones(zone_ids, "enterprise__")
    )


def has_organisation_on(org_type: OrganisationType | int, day: datetime.date) -> Exists:
    """For an enterprise queryset: an organisation of the type active on `day`."""
    type_id = org_type if isinstance(org_type, int) else org_type.pk
    return Exists(
        Organisation.objects.active_on(day).filter(enterprise=OuterRef("pk"), type_id=type_id)
    )


def figures_current_on(
    day: datetime.date,
    known_at: datetime.datetime | None = None,
    zone_ids: Iterable[int] | None = None,
) -> QuerySet[Figure]:
    """Per enterprise operating on `day`, its figures current on `day` as known at `known_at`.

    Driven from the enterprises: one index probe each for the newest reporting date on or
    before `day`, so the cost follows the enterprises, not the history of figures."""
    newest = (
        Figure.objects.known_at(known_at)
        .filter(enterprise_id=OuterRef("pk"), as_of__lte=day)
        .order_by("-as_of")
        .values("pk")[:1]
    )
    # An enterprise without figures yields NULL, which IN never matches.
    chosen = enterprises_operating_on(day, zone_ids).annotate(figure_id=Subquery(newest))
    chosen = chosen.values("figure_id")
    return Figure.objects.filter(pk__in=chosen)


def newly_admitted_figures(
    start: datetime.date,
    end: datetime.date,
    known_at: datetime.datetime | None = None,
    zone_ids: Iterable[int] | None = None,
) -> QuerySet[Figure]:
    """The figures whose newly admitted members fall in [start, end]."""
    return (
        Figure.objects.known_at(known_at)
        .filter(as_of__gte=start, as_of__lte=end)
        .filter(operating_on(end, "enterprise__"), in_zones(zone_ids, "enterprise__"))
    )


def organisations_founded(
    start: datetime.date, end: datetime.date, zone_ids: Iterable[int] | None = None
) -> QuerySet[Organisation]:
    """Organisations founded within [start, end] in enterprises operating at its end."""
    return Organisation.objects.filter(
        founded_on__gte=start,
        founded_on__lte=end,
    ).filter(operating_on(end, "enterprise__"), in_zones(zone_ids, "enterprise__"))


# --- The zone tree ------------------------------------------------------------------------------


def zone_parents() -> dict[int, int | None]:
    return dict(Zone.objects.values_list("id", "parent_id"))


def subtree(zone_ids: Iterable[int], parents: dict[int, int | None] | None = None) -> set[int]:
    """The zones and every zone below them, from one query over the zone tree."""
    parents = zone_parents() if parents is None else parents
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent in parents.items():
        children[parent].append(pk)
    found = set(zone_ids)
    frontier = list(found)
    while frontier:
        frontier = [c for pk in frontier for c in children.get(pk, []) if c not in found]
        found.update(frontier)
    return found


# --- The counts ---------------------------------------------------------------------------------


@dataclass
class Counts:
    """Everything counted over one set of enterprises (a zone, a subtree, the country).

    Organisation counts (`with_organisation`) come from the organisations recorded; member
    counts (`members`) from the figures the enterprises reported, of which `reported` counts
    the enterprises that have any on the date — the two may legitimately differ."""

    enterprises: int = 0
    by_ownership: Counter = field(default_factory=Counter)
    reported: int = 0
    members: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MEMBER_FIELDS, 0))
    with_organisation: Counter = field(default_factory=Counter)  # type id -> enterprises
    eligible: Counter = field(default_factory=Counter)  # type id -> enterprises meeting the rule
    eligible_with: Counter = field(default_factory=Counter)  # … and having one
    newly_admitted: int = 0
    founded: Counter = field(default_factory=Counter)  # type id -> organisations founded

    def add(self, other: Counts) -> None:
        self.enterprises += other.enterprises
        self.by_ownership.update(other.by_ownership)
        self.reported += other.reported
        for key, value in other.members.items():
            self.members[key] = self.members.get(key, 0) + value
        self.with_organisation.update(other.with_organisation)
        self.eligible.update(other.eligible)
        self.eligible_with.update(other.eligible_with)
        self.newly_admitted += other.newly_admitted
        self.founded.update(other.founded)

    def coverage(self, type_id: int) -> Decimal | None:
        """The share (%) of operating enterprises with an organisation of the type."""
        return share(self.with_organisation[type_id], self.enterprises)

    def eligible_share(self, type_id: int) -> Decimal | None:
        """The share (%) of enterprises meeting the type's rule that have one."""
        return share(self.eligible_with[type_id], self.eligible[type_id])


def share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


_memo: ContextVar[dict | None] = ContextVar("counting_memo", default=None)


@contextmanager
def shared() -> Iterator[None]:
    """Within the block, the same counts asked again (a report's tables and each of its
    indicators) are computed once. Only for work that reads, start to end, one picture."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def by_zone(
    day: datetime.date,
    *,
    zone_ids: Iterable[int] | None = None,
    known_at: datetime.datetime | None = None,
    start: datetime.date | None = None,
    types: Iterable[OrganisationType] | None = None,
) -> dict[int | None, Counts]:
    """Counts on `day` per zone (each zone's own enterprises; None: without a zone), over the
    zones given (every zone when None). With `start`, also the period [start, day]'s newly
    admitted members and organisations founded. Six grouped queries."""
    zone_ids = None if zone_ids is None else frozenset(zone_ids)
    types = list(OrganisationType.objects.all() if types is None else types)
    memo = _memo.get()
    if memo is None:
        return _by_zone(day, zone_ids, known_at, start, types)
    key = (day, zone_ids, known_at, start, tuple(t.pk for t in types))
    if key not in memo:
        memo[key] = _by_zone(day, zone_ids, known_at, start, types)
    return memo[key]


def _by_zone(
    day: datetime.date,
    zone_ids: frozenset[int] | None,
    known_at: datetime.datetime | None,
    start: datetime.date | None,
    types: list[OrganisationType],
) -> dict[int | None, Counts]:
    result: dict[int | None, Counts] = defaultdict(Counts)

    for zone_id, ownership, n in (
        enterprises_operating_on(day, zone_ids)
        .values("zone_id", "ownership")
        .annotate(n=Count("pk"))
        .values_list("zone_id", "ownership", "n")
        .order_by()
    ):
        counts = result[zone_id]
        counts.enterprises += n
        counts.by_ownership[ownership] += n

    figures = figures_current_on(day, known_at, zone_ids)
    annotations = {f"sum_{f}": Sum(f) for f in MEMBER_FIELDS}
    annotations["reported"] = Count("pk")
    for t in types:
        rule = t.rule_condition()
        if rule is None:
            continue
        has_one = Exists(
            Organisation.objects.active_on(day).filter(
                enterprise_id=OuterRef("enterprise_id"), type_id=t.pk
            )
        )
        annotations[f"eligible_{t.pk}"] = Count("pk", filter=rule)
        annotations[f"with_{t.pk}"] = Count("pk", filter=rule & Q(has_one))
    for row in figures.values("enterprise__zone_id").annotate(**annotations).order_by():
        counts = result[row["enterprise__zone_id"]]
        counts.reported += row["reported"]
        for f in MEMBER_FIELDS:
            counts.members[f] += row[f"sum_{f}"] or 0
        for t in types:
            if f"eligible_{t.pk}" in row:
                counts.eligible[t.pk] += row[f"eligible_{t.pk}"]
                counts.eligible_with[t.pk] += row[f"with_{t.pk}"]

    for zone_id, type_id, n in (
        organisations_active_on(day, zone_ids)
        .values("enterprise__zone_id", "type_id")
        .annotate(n=Count("enterprise_id", distinct=True))
        .values_list("enterprise__zone_id", "type_id", "n")
        .order_by()
    ):
        result[zone_id].with_organisation[type_id] += n

    if start is not None:
        for zone_id, n in (
            # Most figures admit nobody: leaving them out first spares their enterprise look-up.
            newly_admitted_figures(start, day, known_at, zone_ids)
            .filter(new_party_members__gt=0)
            .values("enterprise__zone_id")
            .annotate(n=Sum("new_party_members"))
            .values_list("enterprise__zone_id", "n")
            .order_by()
        ):
            result[zone_id].newly_admitted += n or 0
        for zone_id, type_id, n in (
            organisations_founded(start, day, zone_ids)
            .values("enterprise__zone_id", "type_id")
            .annotate(n=Count("pk"))
            .values_list("enterprise__zone_id", "type_id", "n")
            .order_by()
        ):
            result[zone_id].founded[type_id] += n
    return dict(result)


def total(per_zone: dict[int | None, Counts]) -> Counts:
    """The counts of all the zones together."""
    counts = Counts()
    for value in per_zone.values():
        counts.add(value)
    return counts


def rolled_up(
    per_zone: dict[int | None, Counts], parents: dict[int, int | None] | None = None
) -> dict[int, Counts]:
    """Each zone's counts including those of every zone below it."""
    parents = zone_parents() if parents is None else parents
    result: dict[int, Counts] = defaultdict(Counts)
    for zone_id, counts in per_zone.items():
        node = zone_id
        seen = set()
        while node is not None and node not in seen:
            seen.add(node)
            result[node].add(counts)
            node = parents.get(node)
    return dict(result)


def in_subtree(
    day: datetime.date,
    zone: Zone | int | None = None,
    *,
    known_at: datetime.datetime | None = None,
    start: datetime.date | None = None,
    types: Iterable[OrganisationType] | None = None,
) -> Counts:
    """The counts on `day` over a zone and every zone below it (every enterprise when None)."""
    zone_ids = None
    if zone is not None:
        zone_ids = subtree([zone if isinstance(zone, int) else zone.pk])
    return total(by_zone(day, zone_ids=zone_ids, known_at=known_at, start=start, types=types))


def in_zones_total(
    day: datetime.date,
    zone_ids: Iterable[int] | None,
    *,
    known_at: datetime.datetime | None = None,
    start: datetime.date | None = None,
    types: Iterable[OrganisationType] | None = None,
) -> Counts:
    """The counts on `day` over exactly these zones (a program's zones, already expanded)."""
    return total(by_zone(day, zone_ids=zone_ids, known_at=known_at, start=start, types=types))


def today() -> datetime.date:
    return timezone.localdate()
