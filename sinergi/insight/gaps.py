"""The gap list as data: one queryset and one row shape for the page, the API and the CLI, so
all three list the same enterprises in the same order with the same reasons."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from sinergi.insight import aggregates
from sinergi.insight.models import Gap
from sinergi.insight.services import gap_pipeline, gap_reason

# The page's order: eligible first, then unreported, then potential; within a group most members
# the rule counts (official party members for the party), most workers, longest eligible.
GAP_ORDER = ("rank", "-members", "-workers", "eligible_since", "pk")


def gap_queryset(refresh_if_stale: bool = False) -> QuerySet[Gap]:
    """The gap list's rows in the page's order. With `refresh_if_stale` the pre-aggregates are
    recomputed first when the registry moved (the CLI has no background worker to wait for);
    otherwise the page's rule applies: the newest snapshot, a refresh asked for in the
    background."""
    if refresh_if_stale:
        if aggregates.current_snapshot()[1]:
            aggregates.refresh()
    else:
        aggregates.current_snapshot()
    # Not the figure's import batch: its report and undo data (large JSON) are not shown, and
    # its id is on the figure.
    return Gap.objects.select_related("enterprise", "zone", "type", "figure__recorded_by").order_by(
        *GAP_ORDER
    )


def rule_fields(gap: Gap) -> list[str]:
    """The figures the type's rule reads (eligibility conditions, then the "soon" ones)."""
    fields = [c["field"] for c in gap.type.rule_conditions()]
    fields += [c["field"] for c in gap.type.potential_conditions() if c["field"] not in fields]
    return fields


def gap_row(gap: Gap) -> dict[str, Any]:
    """One row of the gap list as plain data (JSON-ready)."""
    return {
        "tax_id": gap.enterprise.tax_id,
        "name": gap.enterprise.name,
        "enterprise_id": gap.enterprise_id,
        "zone": gap.zone.name if gap.zone else None,
        "zone_code": gap.zone.code if gap.zone else None,
        "organisation_type": gap.type.code,
        "organisation_type_name": gap.type.name,
        "group": gap.status,
        "members": gap.members,
        "workers": gap.figure_value("workers"),
        "figures": {field: gap.figure_value(field) for field in rule_fields(gap)},
        "pipeline": gap_pipeline(gap),
        "reason": gap_reason(gap),
        "eligible_since": gap.eligible_since.isoformat() if gap.eligible_since else None,
        "figures_as_of": gap.figure.as_of.isoformat() if gap.figure else None,
    }
