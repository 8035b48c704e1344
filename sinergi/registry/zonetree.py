"""The zone tree with enterprise and organisation counts rolled up to every ancestor."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from django.db.models import Count, Q, Sum

from sinergi.registry.choices import EnterpriseStatus
from sinergi.registry.models import Enterprise, Zone

# Per zone (its own enterprises): operating enterprises, workers and organisations per type code,
# counted ahead of time and current, or None. The app that keeps such counts (insight, with its
# pre-aggregates) provides them at start-up (InsightConfig.ready); without it, counts are live.
_counts: Callable[[], dict[int, dict] | None] = lambda: None  # noqa: E731


def provide_counts(provider: Callable[[], dict[int, dict] | None]) -> None:
    global _counts
    _counts = provider


def _precomputed(org_types) -> dict | None:
    """The counts per zone counted ahead when they are current (at national scale counting
    live takes seconds); None when they are missing or stale."""
    counts = _counts()
    if counts is None:
        return None
    return {
        pk: {
            "enterprises": row["enterprises"],
            "workers": row["workers"],
            **{f"n_{t.flag}": row["with"].get(t.code, 0) for t in org_types},
        }
        for pk, row in counts.items()
    }


def zone_tree(org_types) -> list[dict]:
    """Zones in tree order (depth-first), each with counts over its operating enterprises,
    including those of the zones below it. Three queries whatever the size of the tree."""
    zones = list(Zone.objects.order_by("name"))
    flags = {t.flag: t for t in org_types}
    own = _precomputed(org_types)
    per_zone = (
        []
        if own is not None
        else Enterprise.objects.filter(status=EnterpriseStatus.OPERATING, zone__isnull=False)
        .with_organisation_flags(org_types)
        .values("zone_id")
        .annotate(
            enterprises=Count("id"),
            workers=Sum("latest_figure__workers"),
            **{f"n_{key}": Count("id", filter=Q(**{key: True})) for key in flags},
        )
    )
    if own is None:
        own = {row["zone_id"]: row for row in per_zone}
    children = defaultdict(list)
    for zone in zones:
        children[zone.parent_id].append(zone)

    rows: list[dict] = []

    def walk(zone: Zone, depth: int) -> dict:
        row = {
            "zone": zone,
            "depth": depth,
            "enterprises": 0,
            "workers": 0,
            "coverage": {key: 0 for key in flags},
        }
        rows.append(row)
        mine = own.get(zone.pk)
        if mine:
            row["enterprises"] += mine["enterprises"]
            row["workers"] += mine["workers"] or 0
            for key in flags:
                row["coverage"][key] += mine[f"n_{key}"]
        for child in children[zone.pk]:
            sub = walk(child, depth + 1)
            row["enterprises"] += sub["enterprises"]
            row["workers"] += sub["workers"]
            for key in flags:
                row["coverage"][key] += sub["coverage"][key]
        return row

    for root in children[None]:
        walk(root, 0)
    for row in rows:
        row["coverage_list"] = [row["coverage"][key] for key in flags]
    return rows
