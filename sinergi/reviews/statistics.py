"""The statistics of a review report, read from the registry and the program as of the period's
end.

Figures are read bitemporally: the reporting date on or before the period's end (valid time), as
the registry knew them at `known_at` (transaction time, the moment the draft was made). The
result is plain JSON, stored on the report version, so a report regenerated later shows the
same numbers whatever was edited in between (organisations carry no transaction time, so the
stored copy is what keeps them fixed).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone

from sinergi.programs import indicator_rules
from sinergi.programs.choices import PARTICIPANT_FIELDS, Measure, TaskStatus
from sinergi.programs.indicator_values import meets
from sinergi.programs.models import Activity, Indicator, IndicatorValue, Task
from sinergi.registry.choices import FIGURE_FIELDS, EnterpriseStatus, Ownership
from sinergi.registry.models import Enterprise, Figure, Organisation, OrganisationType, Zone

OWNERSHIPS = [value for value, _label in Ownership.choices]
TASK_STATUSES = [value for value, _label in TaskStatus.choices]


def _number(value: Decimal | None) -> str | None:
    """A decimal as text without trailing zeros (JSON keeps it exactly)."""
    if value is None:
        return None
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return str(value.quantize(Decimal("0.01")).normalize())


def compute(review, known_at: datetime.datetime | None = None) -> dict[str, Any]:
    """Every table and chart series of the report, as JSON-ready data."""
    known_at = known_at or timezone.now()
    program = review.program
    start, end = review.period_start, review.period_end
    zone_ids = program.zone_ids
    types = list(OrganisationType.objects.all())
    return {
        "as_of": end.isoformat(),
        "period_start": start.isoformat(),
        "known_at": known_at.isoformat(),
        "organisation_types": [
            {"id": t.pk, "code": t.code, "names": t.names, "member_field": t.member_field}
            for t in types
        ],
        **_registry(zone_ids, start, end, known_at, types),
        "indicators": _indicators(program, start, end, known_at),
        "areas": _areas(program, end),
        "activities": _activities(program, start, end),
        "previous_follow_ups": _previous_follow_ups(review),
    }


def _registry(zone_ids, start, end, known_at, types) -> dict[str, Any]:
    """Enterprises by zone and ownership, organisations and members, new members."""
    enterprises = {
        pk: (zone_id, ownership)
        for pk, zone_id, ownership in Enterprise.objects.filter(zone_id__in=list(zone_ids))
        .filter(Q(founded_on__isnull=True) | Q(founded_on__lte=end))
        .with_status_on(end)  # the status of the period's end, by the dated status history
        .exclude(status_on=EnterpriseStatus.DISSOLVED)
        .values_list("pk", "zone_id", "ownership")
    }
    zone_names = dict(Zone.objects.filter(pk__in=list(zone_ids)).values_list("pk", "name"))
    figures = {
        row[0]: dict(zip(FIGURE_FIELDS, row[1:], strict=True))
        for row in Figure.objects.as_of(end, known_at)
        .filter(enterprise_id__in=list(enterprises))
        .values_list("enterprise_id", *FIGURE_FIELDS)
    }
    active = defaultdict(set)  # type id -> enterprise ids with one active at the end
    for enterprise_id, type_id in (
        Organisation.objects.active_on(end)
        .filter(enterprise_id__in=list(enterprises))
        .values_list("enterprise_id", "type_id")
    ):
        active[type_id].add(enterprise_id)
    # (zone id, type id) -> organisations founded within the period
    founded: Counter[tuple[int | None, int]] = Counter()
    for zone_id, type_id in Organisation.objects.filter(
        enterprise_id__in=list(enterprises), founded_on__gte=start, founded_on__lte=end
    ).values_list("enterprise__zone_id", "type_id"):
        founded[(zone_id, type_id)] += 1
    new_members: Counter[Any] = Counter()
    for enterprise_id, value in (
        Figure.objects.known_at(known_at)
        .filter(enterprise_id__in=list(enterprises), as_of__gte=start, as_of__lte=end)
        .values_list("enterprise_id", "new_party_members")
    ):
        new_members[enterprises[enterprise_id][0]] += value or 0

    by_zone: dict[int, list[int]] = defaultdict(list)
    for pk, (zone_id, _ownership) in enterprises.items():
        by_zone[zone_id].append(pk)
    ownership_rows: list[dict[str, Any]] = []
    organisation_rows: list[dict[str, Any]] = []
    new_rows: list[dict[str, Any]] = []
    for zone_id in sorted(by_zone, key=lambda z: zone_names.get(z, "")):
        members = by_zone[zone_id]
        owned = Counter(enterprises[pk][1] for pk in members)
        ownership_rows.append(
            {
                "zone": zone_names.get(zone_id, ""),
                "counts": [owned.get(o, 0) for o in OWNERSHIPS],
                "total": len(members),
            }
        )
        sums = {f: sum((figures.get(pk, {}).get(f) or 0) for pk in members) for f in FIGURE_FIELDS}
        organisation_rows.append(
            {
                "zone": zone_names.get(zone_id, ""),
                "enterprises": len(members),
                "workers": sums["workers"],
                "types": [
                    {
                        "organisations": len(active[t.pk] & set(members)),
                        "members": sums.get(t.member_field) if t.member_field else None,
                    }
                    for t in types
                ],
            }
        )
        new_rows.append(
            {
                "zone": zone_names.get(zone_id, ""),
                "new_party_members": new_members.get(zone_id, 0),
                "founded": [founded.get((zone_id, t.pk), 0) for t in types],
            }
        )
    totals = {f: sum((values.get(f) or 0) for values in figures.values()) for f in FIGURE_FIELDS}
    return {
        "ownerships": OWNERSHIPS,
        "enterprises_by_ownership": {
            "rows": ownership_rows,
            "total": {
                "counts": [
                    sum(r["counts"][i] for r in ownership_rows) for i in range(len(OWNERSHIPS))
                ],
                "total": len(enterprises),
            },
        },
        "organisations": {
            "rows": organisation_rows,
            "total": {
                "enterprises": len(enterprises),
                "workers": totals["workers"],
                "types": [
                    {
                        "organisations": len(active[t.pk]),
                        "members": totals.get(t.member_field) if t.member_field else None,
                    }
                    for t in types
                ],
            },
        },
        "new_members": {
            "rows": new_rows,
            "total": {
                "new_party_members": sum(new_members.values()),
                "founded": [
                    sum(count for (_z, type_id), count in founded.items() if type_id == t.pk)
                    for t in types
                ],
            },
        },
        "totals": totals,
    }


def _indicators(program, start, end, known_at) -> list[dict[str, Any]]:
    """Target of the year the period ends in against the actual over the period."""
    rows = []
    for indicator in Indicator.objects.filter(program=program).select_related(
        "area", "organisation_type", "program"
    ):
        if indicator.is_computed:
            actual = indicator_rules.compute(indicator, start, end, known_at).value
        else:
            values = list(
                IndicatorValue.objects.filter(
                    indicator=indicator,
                    period__kind=indicator.period_kind,
                    period__starts_on__gte=start,
                    period__ends_on__lte=end,
                )
                .order_by("period__starts_on")
                .values_list("value", flat=True)
            )
            if not values:
                actual = None
            elif indicator.measure == Measure.LEVEL:
                actual = values[-1]
            else:
                actual = sum(values, Decimal(0))
        target = indicator.target_for(end.year)
        rows.append(
            {
                "code": indicator.code,
                "name": indicator.name,
                "unit": indicator.unit_of_measure,
                "area": indicator.area.number if indicator.area is not None else None,
                "baseline": _number(indicator.baseline),
                "target": _number(target),
                "actual": _number(actual),
                "met": meets(indicator, actual, target),
            }
        )
    return rows


def _areas(program, end) -> list[dict[str, Any]]:
    """Each area with its tasks and their status when the draft was made."""
    tasks = defaultdict(list)
    for task in Task.objects.filter(area__program=program, starts_on__lte=end).select_related(
        "area", "lead_unit"
    ):
        tasks[task.area_id].append(
            {
                "code": task.code,
                "title": task.title,
                "lead_unit": str(task.lead_unit),
                "status": task.status,
                "percent_done": task.percent_done,
            }
        )
    rows = []
    for area in program.areas.all():
        items = tasks.get(area.pk, [])
        counted = Counter(item["status"] for item in items)
        rows.append(
            {
                "id": area.pk,
                "number": area.number,
                "title": area.title,
                "tasks": items,
                "status_counts": {s: counted.get(s, 0) for s in TASK_STATUSES},
            }
        )
    return rows


def _activities(program, start, end) -> dict[str, Any]:
    activities = Activity.objects.filter(program=program, held_on__gte=start, held_on__lte=end)
    by_kind: Counter = Counter()
    people = dict.fromkeys(PARTICIPANT_FIELDS, 0)
    rows = []
    for activity in activities.order_by("held_on", "id"):
        by_kind[activity.kind] += 1
        for field in PARTICIPANT_FIELDS:
            people[field] += getattr(activity, field) or 0
        rows.append(
            {
                "held_on": activity.held_on.isoformat(),
                "kind": activity.kind,
                "title": activity.title,
                "participants": activity.participants,
            }
        )
    return {"by_kind": dict(by_kind), "participants": people, "rows": rows}


def _previous_follow_ups(review) -> list[dict[str, Any]]:
    previous = review.previous()
    if previous is None:
        return []
    return [
        {
            "number": c.number,
            "text": c.text,
            "owner_unit": str(c.owner_unit) if c.owner_unit_id else "",
            "due_on": c.due_on.isoformat() if c.due_on else None,
            "task": c.task.code if c.task_id else None,
            "status": c.task.status if c.task_id else None,
            "percent_done": c.task.percent_done if c.task_id else None,
        }
        for c in previous.conclusions.select_related("owner_unit", "task__area")
        if c.is_follow_up
    ]
