"""Reporting completeness (what DHIS2 calls reporting rates): for each reporting date, how many
enterprises were expected to report figures, how many did, and how many on time.

An enterprise is expected on a date when it operates on that date (`registry.counting
.operating_on`: founded by then, or founding date unknown, and its status that day operating).
It reported when the registry holds figures for that exact date (any version); on time when the
first version was recorded within `SINERGI_FIGURES_DUE_DAYS` days after the date. Counted per
zone in the refresh (aggregates.py), summed per scope by the dashboard; the enterprises that did
not report are the enterprise list filtered with `not_reported=<date>` (registry.filtersets),
which also exports them.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from sinergi.registry import counting
from sinergi.registry.models import Enterprise, Figure


def due_on(day: datetime.date) -> datetime.datetime:
    """The last moment figures for `day` count as on time."""
    last = day + datetime.timedelta(days=settings.SINERGI_FIGURES_DUE_DAYS)
    return timezone.make_aware(datetime.datetime.combine(last, datetime.time.max))


def expected_on(day: datetime.date):
    """Enterprises expected to report figures for `day`: those operating on it."""
    return Enterprise.objects.filter(counting.operating_on(day))


def not_reported(queryset, day: datetime.date):
    """The enterprises of `queryset` operating on `day` with no figures for it (any version)."""
    return queryset.filter(
        counting.operating_on(day),
        ~Exists(Figure.objects.filter(enterprise_id=OuterRef("pk"), as_of=day)),
    )


def per_zone(dates: list[datetime.date]) -> dict[str, dict[str, list[int]]]:
    """{date: {zone id or "": [expected, reported, on time]}} in two grouped queries: the
    operating enterprises expected per zone and date, and the figures of those dates."""
    if not dates:
        return {}
    expected = (
        Enterprise.objects.values("zone_id")
        .annotate(
            **{
                f"d{i}": Count("id", filter=counting.operating_on(day))
                for i, day in enumerate(dates)
            }
        )
        .order_by()
    )
    result: dict[str, dict[str, list[int]]] = {day.isoformat(): {} for day in dates}
    for row in expected:
        zone = str(row["zone_id"] or "")
        for i, day in enumerate(dates):
            if row[f"d{i}"]:
                result[day.isoformat()][zone] = [row[f"d{i}"], 0, 0]
    on_time = Q()
    for day in dates:
        on_time |= Q(as_of=day, recorded_at__lte=due_on(day))
    operating = Q()
    for day in dates:
        operating |= Q(as_of=day) & counting.operating_on(day, prefix="enterprise__")
    reported = (
        Figure.objects.filter(as_of__in=dates)
        .filter(operating)
        .values("enterprise__zone_id", "as_of")
        .annotate(
            n=Count("enterprise_id", distinct=True),
            n_on_time=Count("enterprise_id", distinct=True, filter=on_time),
        )
        .order_by()
    )
    for row in reported:
        counts = result[row["as_of"].isoformat()].get(str(row["enterprise__zone_id"] or ""))
        if counts is not None:
            counts[1], counts[2] = row["n"], row["n_on_time"]
    return result
