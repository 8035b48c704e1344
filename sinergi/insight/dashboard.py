"""The role dashboard's figures for one scope (all zones, or one zone's subtree), read from the
pre-aggregates and kept in the cache per registry version, so a page view costs a look-up."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.cache import cache

from sinergi.insight.aggregates import UNKNOWN_BAND
from sinergi.insight.models import CoverageCell, Digest, Snapshot, TrendPoint
from sinergi.registry import counting
from sinergi.registry.choices import Ownership
from sinergi.registry.filtersets import workforce_band_choices
from sinergi.registry.models import Organisation, Zone

KEY_FIELDS = ("enterprises", "workers", "party_members", "union_members", "new_this_year")
TREND_FIELDS = (
    "enterprises",
    "reported",
    "workers",
    "party_members",
    "union_members",
    "new_party_members",
)
CACHE_SECONDS = 3600
# Located enterprises the map draws one by one; with more in scope it keeps to the zones' shapes.
MAX_POINTS = 500


def _empty(types: list[str]) -> dict:
    return {
        **{field: 0 for field in KEY_FIELDS},
        "with_organisation": {code: 0 for code in types},
        "gaps": {code: 0 for code in types},
    }


def _add(target: dict, numbers, with_organisation: dict, gaps: dict) -> None:
    """Add one cell's (or one zone's) counts to `target`."""
    for field, n in zip(KEY_FIELDS, numbers, strict=True):
        target[field] += n
    counts = target["with_organisation"]
    for code, n in with_organisation.items():
        counts[code] = counts.get(code, 0) + n
    counts = target["gaps"]
    for code, n in gaps.items():
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


def _children_map(parents: dict[int, int | None]) -> dict[int | None, list[int]]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent in parents.items():
        children[parent].append(pk)
    return children


def display_parent(zone: Zone | None, parents: dict[int, int | None]) -> int | None:
    """The zone whose children the dashboard compares: the selected one (None: every zone),
    stepping down while it has a single child that has children of its own — so a province
    with one economic zone shows that zone's parks side by side."""
    children = _children_map(parents)
    node = zone.pk if zone else None
    while len(children.get(node, [])) == 1 and children.get(children[node][0]):
        node = children[node][0]
    return node


def _group_of(zone_id, top: int | None, parents: dict[int, int | None]):
    """The zone directly under `top` (or the top-level zone) that holds `zone_id`; `top` itself
    for enterprises placed at that level."""
    if zone_id is None or zone_id == top:
        return zone_id
    node = zone_id
    while parents.get(node) is not None and parents.get(node) != top:
        node = parents[node]
    if top is not None and parents.get(node) != top:
        return top  # above the compared level (e.g. placed in the province itself)
    return node


def _completeness(snapshot: Snapshot, scope: set[int] | None, top, parents) -> dict[str, Any]:
    """Per reporting date the scope's totals, and per compared zone the counts of each date."""
    by_date = snapshot.data.get("completeness", {})
    dates, zones = [], {}
    # The compared zone each zone's counts go to, worked out once (a national snapshot has
    # hundreds of zones on each of tens of dates); for one zone's scope only its keys are read.
    groups: dict[str, Any] = {}
    keys = None if scope is None else sorted(str(pk) for pk in scope)
    for day in sorted(by_date):
        total = [0, 0, 0]
        on_day = by_date[day]
        entries = on_day.items() if keys is None else [(k, on_day[k]) for k in keys if k in on_day]
        for key, counts in entries:
            group = groups.get(key, groups)
            if group is groups:
                group = groups[key] = _group_of(int(key) if key else None, top, parents)
            row = zones.setdefault(group, {}).setdefault(day, [0, 0, 0])
            for i in range(3):
                total[i] += counts[i]
                row[i] += counts[i]
        dates.append({"date": day, "expected": total[0], "reported": total[1], "on_time": total[2]})
    return {"dates": dates, "zones": zones}


def digest(snapshot: Snapshot, zone: Zone | None, types: list[str]) -> dict[str, Any]:
    """Cached per (snapshot, scope): the whole picture the dashboard draws. Every scope's is
    summed once, when the pre-aggregates are refreshed, and kept as a `Digest` row (`stored`);
    it is summed here only when the refresh summed it for other organisation types."""
    scope = zone.pk if zone else "all"
    key = f"insight-digest:{snapshot.pk}:{snapshot.computed_at.isoformat()}:{scope}"
    found = cache.get(key)
    if found is None:
        packed = _kept(snapshot, scope, types)
        if packed is not None:
            found = restored(packed)
            if "points" not in found:
                ids = packed["scope"]
                found.update(_points(None if ids is None else set(ids), leaf=False))
        else:
            found = _compute(snapshot, zone, types)
        cache.set(key, found, CACHE_SECONDS)
    return found


def stored(snapshot: Snapshot, types: list[str]) -> dict[str, dict[str, Any]]:
    """The picture of every scope, by scope ("all", "zone-<id>"), as JSON keeps them: for the
    refresh to keep as `Digest` rows, so that no page sums one. A park's or functional zone's
    keeps the map's dots of its enterprises as the refresh found them, like every other figure
    on the page; a wider scope's map draws no dots, and its page asks whether some exist."""
    tree = _tree()
    parents = {pk: parent for pk, (parent, _label) in tree.items()}
    above = {parent for parent in parents.values() if parent is not None}
    packed = {}
    for zone in [None, *Zone.objects.order_by("pk")]:
        leaf = zone is not None and zone.pk not in above
        found = _compute(snapshot, zone, types, points=leaf, tree=tree)
        # JSON's keys are text: the compared zones (ids, None for enterprises without a zone)
        # are kept as pairs.
        packed[_key(zone.pk if zone else "all")] = {
            **found,
            "reporting_by_zone": list(found["reporting_by_zone"].items()),
            "scope": None if zone is None else sorted(_scope_ids(zone, parents)),
        }
    return packed


def _tree() -> dict[int, tuple[int | None, str]]:
    """Every zone's parent and the name the dashboard shows (its short name, else its name)."""
    rows = Zone.objects.values_list("id", "parent_id", "name", "short_name")
    return {pk: (parent, short or name) for pk, parent, name, short in rows}


def _key(scope: str | int) -> str:
    return "all" if scope == "all" else f"zone-{scope}"


def _kept(snapshot: Snapshot, scope: str | int, types: list[str]) -> dict[str, Any] | None:
    """The picture of this scope the refresh kept, read on its own; None when it kept none
    for this scope or summed it for other organisation types."""
    row = (
        Digest.objects.filter(snapshot_id=snapshot.pk, scope=_key(scope))
        .values_list("types", "data")
        .first()
    )
    if row is None or row[0] != types:
        return None
    return row[1]


def restored(packed: dict[str, Any]) -> dict[str, Any]:
    """One scope's picture as `stored` kept it, as `_compute` gives it."""
    found = {key: value for key, value in packed.items() if key != "scope"}
    found["reporting_by_zone"] = {group: days for group, days in packed["reporting_by_zone"]}
    return found


def _compute(
    snapshot: Snapshot,
    zone: Zone | None,
    types: list[str],
    *,
    points: bool = True,
    tree: dict[int, tuple[int | None, str]] | None = None,
) -> dict[str, Any]:
    """One scope's picture summed from the pre-aggregates; `tree` is `_tree()` when the caller
    has read it (the refresh sums every zone's)."""
    zones = _tree() if tree is None else tree
    parents = {pk: value[0] for pk, value in zones.items()}
    scope = _scope_ids(zone, parents)
    # The geometry (a boundary is a list of points) of the zones in scope only.
    located = Zone.objects.values_list(
        "id", "parent_id", "name", "short_name", "latitude", "longitude", "area_ha", "boundary"
    )
    if scope is not None:
        located = located.filter(pk__in=scope)
    geometry = {row[0]: row for row in located}
    top = display_parent(zone, parents)
    cells = CoverageCell.objects.all()
    trend_points = TrendPoint.objects.all()
    if scope is not None:
        cells = cells.filter(zone_id__in=scope)
        trend_points = trend_points.filter(zone_id__in=scope)
    # Plain rows, each cell added once per breakdown; zones' totals are summed from their own.
    by_ownership: dict = {}
    by_band: dict = {}
    own: dict = {}
    rows = cells.values_list(
        "zone_id", "ownership", "band", *KEY_FIELDS, "with_organisation", "gaps"
    )
    for zone_id, ownership, band, *rest in rows:
        numbers, with_org, gaps = rest[:-2], rest[-2], rest[-1]
        for key, bucket in ((zone_id, own), (ownership, by_ownership), (band, by_band)):
            target = bucket.get(key)
            if target is None:
                target = bucket[key] = _empty(types)
            _add(target, numbers, with_org, gaps)
    totals: dict = _empty(types) if own else {}
    by_zone: dict = {}
    for zone_id, values in own.items():
        numbers = [values[field] for field in KEY_FIELDS]
        _add(totals, numbers, values["with_organisation"], values["gaps"])
        group = _group_of(zone_id, top, parents)
        target = by_zone.get(group)
        if target is None:
            target = by_zone[group] = _empty(types)
        _add(target, numbers, values["with_organisation"], values["gaps"])
    # Plain rows, not model instances: a national scope has thousands of points.
    trend: dict = {}
    rows = trend_points.values_list("as_of", *TREND_FIELDS, "with_organisation")
    for as_of, *numbers, with_org in rows:
        day = as_of.isoformat()
        row = trend.get(day)
        if row is None:
            row = trend[day] = {
                "date": day,
                "with_organisation": {c: 0 for c in types},
                **dict.fromkeys(TREND_FIELDS, 0),
            }
        for field, n in zip(TREND_FIELDS, numbers, strict=True):
            row[field] += n
        counts = row["with_organisation"]
        for code, n in with_org.items():
            counts[code] = counts.get(code, 0) + n
    trend_rows = [trend[d] for d in sorted(trend)]
    bands = [key for key, _label in workforce_band_choices()] + [UNKNOWN_BAND]
    reporting = _completeness(snapshot, scope, top, parents)
    has_children = {parent for parent in parents.values() if parent is not None}
    return {
        "totals": totals,
        "compared": top,
        "reporting": reporting["dates"],
        "reporting_by_zone": reporting["zones"],
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
        "map": _map_entries(geometry, parents, scope, top, own, has_children),
        **(_points(scope, leaf=zone is not None and zone.pk not in has_children) if points else {}),
    }


def _points(scope: set[int] | None, *, leaf: bool) -> dict[str, Any]:
    """The map's points: the enterprises in scope that have a location and operate today, each
    with the codes of the organisation types active in it today (registry/counting.py's
    definitions, as every count on the page). They are drawn on the map of one park or zone
    (`leaf`), where the map is drawn at the zone's own scale; on a wider map they would be
    heaps inside small circles, and `points_elsewhere` only says that some exist. Above
    MAX_POINTS none is drawn: `points_over` says so."""
    day = counting.today()
    located = counting.enterprises_operating_on(day, scope).filter(latitude__isnull=False)
    if not leaf:
        return {"points": [], "points_over": None, "points_elsewhere": located.exists()}
    rows = list(
        located.order_by("name", "id").values_list("id", "name", "latitude", "longitude")[
            : MAX_POINTS + 1
        ]
    )
    if len(rows) > MAX_POINTS:
        return {"points": [], "points_over": MAX_POINTS, "points_elsewhere": False}
    types: dict[int, list[str]] = defaultdict(list)
    if rows:
        active = Organisation.objects.active_on(day).filter(
            enterprise_id__in=[row[0] for row in rows]
        )
        for enterprise_id, code in active.values_list("enterprise_id", "type__code").distinct():
            types[enterprise_id].append(code)
    return {
        "points": [
            {
                "id": pk,
                "name": name,
                "latitude": float(lat),
                "longitude": float(lon),
                "with": sorted(types.get(pk, [])),
            }
            for pk, name, lat, lon in rows
        ],
        "points_over": None,
        "points_elsewhere": False,
    }


def _map_entries(geometry, parents, scope, top, own, has_children) -> list[dict[str, Any]]:
    """The zones the map draws: every zone in scope without zones below it (parks and
    functional zones, or a bare province), with its geometry and its own enterprises' counts."""
    entries = []
    for pk, (_id, _parent, name, short, lat, lon, area, boundary) in geometry.items():
        if pk in has_children or (scope is not None and pk not in scope):
            continue
        counts = own.get(pk, {})
        entries.append(
            {
                "id": pk,
                "name": name,
                "label": short or name,
                "latitude": float(lat) if lat is not None else None,
                "longitude": float(lon) if lon is not None else None,
                "area_ha": float(area) if area is not None else None,
                "boundary": boundary or [],
                "enterprises": counts.get("enterprises", 0),
                "with": counts.get("with_organisation", {}),
                "group": _group_of(pk, top, parents),
            }
        )
    entries.sort(key=lambda e: e["name"])
    return entries
