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

from django.utils import timezone

from sinergi.programs import indicator_rules
from sinergi.programs.choices import PARTICIPANT_FIELDS, Measure, TaskStatus
from sinergi.programs.indicator_values import meets
from sinergi.programs.models import Activity, Indicator, IndicatorValue, Task
from sinergi.registry import counting
from sinergi.registry.choices import Ownership
from sinergi.registry.models import OrganisationType, Zone

OWNERSHIPS = [value for value, _label in Ownership.choices]
TASK_STATUSES = [value for value, _label in TaskStatus.choices]
MAX_ZONE_ROWS = 60


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
    with counting.shared():
        return _compute(review, program, start, end, known_at, zone_ids, types)


def _compute(review, program, start, end, known_at, zone_ids, types) -> dict[str, Any]:
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
    """Enterprises by zone and ownership, organisations and members, new members: the counts of
    `registry.counting`, each zone's own enterprises in a row."""
    counted = counting.by_zone(end, zone_ids=zone_ids, known_at=known_at, start=start, types=types)
    counted.pop(None, None)  # enterprises without a zone have no row
    per_zone = _grouped({zone: counts for zone, counts in counted.items() if zone is not None})
    zone_names = dict(Zone.objects.filter(pk__in=list(per_zone)).values_list("pk", "name"))
    ownership_rows: list[dict[str, Any]] = []
    organisation_rows: list[dict[str, Any]] = []
    new_rows: list[dict[str, Any]] = []
    for zone_id in sorted(per_zone, key=lambda z: zone_names.get(z, "")):
        counts = per_zone[zone_id]
        if not counts.enterprises:
            continue
        ownership_rows.append(
            {
                "zone": zone_names.get(zone_id, ""),
                "counts": [counts.by_ownership.get(o, 0) for o in OWNERSHIPS],
                "total": counts.enterprises,
            }
        )
        organisation_rows.append(_organisation_row(zone_names.get(zone_id, ""), counts, types))
        new_rows.append(
            {
                "zone": zone_names.get(zone_id, ""),
                "new_party_members": counts.newly_admitted,
                "founded": [counts.founded.get(t.pk, 0) for t in types],
            }
        )
    whole = counting.total(per_zone)  # type: ignore[arg-type]  # dict is invariant; no None key here
    totals = {f: whole.members.get(f, 0) for f in counting.MEMBER_FIELDS}
    totals["new_party_members"] = whole.newly_admitted
    return {
        "ownerships": OWNERSHIPS,
        "enterprises_by_ownership": {
            "rows": ownership_rows,
            "total": {
                "counts": [whole.by_ownership.get(o, 0) for o in OWNERSHIPS],
                "total": whole.enterprises,
            },
        },
        "organisations": {
            "rows": organisation_rows,
            "total": _organisation_row("", whole, types),
        },
        "new_members": {
            "rows": new_rows,
            "total": {
                "new_party_members": whole.newly_admitted,
                "founded": [whole.founded.get(t.pk, 0) for t in types],
            },
        },
        "totals": totals,
        "reported": whole.reported,
    }


def _grouped(per_zone: dict[int, counting.Counts]) -> dict[int, counting.Counts]:
    """A row per zone holding enterprises; when there are more than MAX_ZONE_ROWS (a national
    review), the zones one level up instead, as often as needed, so a table stays readable."""
    parents = counting.zone_parents()
    row_of = {pk: pk for pk in per_zone}
    while len(set(row_of.values())) > MAX_ZONE_ROWS:
        lifted = {pk: parents.get(row) or row for pk, row in row_of.items()}
        if lifted == row_of:
            break
        row_of = lifted
    rows: dict[int, counting.Counts] = defaultdict(counting.Counts)
    for pk, counts in per_zone.items():
        rows[row_of[pk]].add(counts)
    return dict(rows)


def _organisation_row(zone: str, counts: counting.Counts, types) -> dict[str, Any]:
    """Organisations recorded (enterprises with one active) beside the members the enterprises'
    figures report."""
    row: dict[str, Any] = {
        "enterprises": counts.enterprises,
        "reported": counts.reported,
        "workers": counts.members["workers"],
        "types": [
            {
                "organisations": counts.with_organisation.get(t.pk, 0),
                "members": counts.members.get(t.member_field) if t.member_field else None,
            }
            for t in types
        ],
    }
    if zone:
        row = {"zone": zone, **row}
    return row


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
