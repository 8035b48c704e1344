"""The role dashboard's figures for one scope (all zones, or one zone's subtree), read from the
pre-aggregates and kept in the cache per registry version, so a page view costs a look-up."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.cache import cache

from sinergi.insight.aggregates import UNKNOWN_BAND
from sinergi.insight.models import CoverageCell, Snapshot, TrendPoint
from sinergi.registry.choices import Ownership
from sinergi.registry.filtersets import workforce_band_choices
from sinergi.registry.models import Zone

KEY_FIELDS = ("enterprises", "workers", "party_members", "union_members", "new_this_year")
CACHE_SECONDS = 3600


def _add(target: dict, cell, types: list[str]) -> None:
    for field in KEY_FIELDS:
        target[field] = target.get(field, 0) + getattr(cell, field)
    for bucket in ("with_organisation", "gaps"):
        counts = target.setdefault(bucket, {code: 0 for code in types})
        for code, n in getattr(cell, bucket).items():
            counts[code] = counts.get(code, 0) + n


def _scope_ids(zone: Zone | None, parents: dict[int, int | None]) -> set[int] | None:
    if zone is None:
        return None
    children = defaultdict(list)
    for pk, parent in parents.items():
        children[parent].append(pk)
    ids, frontier = {zone.pk}, [zone.pk]
    while frontier:
        frontier = [c for pk in frontier for c in children.get(pk, [])]
        ids.update(frontier)
    return ids


def _group_of(zone_id, scope: Zone | None, parents: dict[int, int | None]):
    """The zone directly under the scope (or the top-level zone) that holds `zone_id`."""
    top = scope.pk if scope else None
    if zone_id is None or zone_id == top:
        return zone_id
    node = zone_id
    while parents.get(node) is not None and parents.get(node) != top:
        node = parents[node]
    return node


def digest(snapshot: Snapshot, zone: Zone | None, types: list[str]) -> dict[str, Any]:
    """Cached per (snapshot, scope): the whole picture the dashboard draws."""
    scope = zone.pk if zone else "all"
    key = f"insight-digest:{snapshot.pk}:{snapshot.computed_at.isoformat()}:{scope}"
    found = cache.get(key)
    if found is None:
        found = _compute(snapshot, zone, types)
        cache.set(key, found, CACHE_SECONDS)
    return found


def _compute(snapshot: Snapshot, zone: Zone | None, types: list[str]) -> dict[str, Any]:
    zones = {
        pk: (parent, short or name)
        for pk, parent, name, short in Zone.objects.values_list(
            "id", "parent_id", "name", "short_name"
        )
    }
    parents = {pk: value[0] for pk, value in zones.items()}
    scope = _scope_ids(zone, parents)
    cells = CoverageCell.objects.all()
    points = TrendPoint.objects.all()
    if scope is not None:
        cells, points = cells.filter(zone_id__in=scope), points.filter(zone_id__in=scope)
    totals: dict = {}
    by_zone: dict = {}
    by_ownership: dict = {}
    by_band: dict = {}
    for cell in cells:
        _add(totals, cell, types)
        group = _group_of(cell.zone_id, zone, parents)
        _add(by_zone.setdefault(group, {}), cell, types)
        _add(by_ownership.setdefault(cell.ownership, {}), cell, types)
        _add(by_band.setdefault(cell.band, {}), cell, types)
    trend: dict = {}
    for point in points:
        row = trend.setdefault(
            point.as_of.isoformat(),
            {"date": point.as_of.isoformat(), "with_organisation": {c: 0 for c in types}},
        )
        for field in ("enterprises", "reported", "workers", "party_members", "union_members"):
            row[field] = row.get(field, 0) + getattr(point, field)
        row["new_party_members"] = row.get("new_party_members", 0) + point.new_party_members
        for code, n in point.with_organisation.items():
            row["with_organisation"][code] = row["with_organisation"].get(code, 0) + n
    trend_rows = [trend[d] for d in sorted(trend)]
    bands = [key for key, _label in workforce_band_choices()] + [UNKNOWN_BAND]
    return {
        "totals": totals,
        "by_zone": sorted(
            (
                {
                    "zone_id": pk,
                    "name": zones[pk][1] if pk in zones else None,
                    **values,
                }
                for pk, values in by_zone.items()
            ),
            key=lambda row: -row["enterprises"],
        ),
        "by_ownership": [
            {"key": key, **by_ownership[key]} for key in Ownership.values if key in by_ownership
        ],
        "by_band": [{"key": key, **by_band[key]} for key in bands if key in by_band],
        "trend": trend_rows,
    }
