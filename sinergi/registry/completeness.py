"""Reporting completeness (what DHIS2 calls reporting rates): for each reporting date, how many
operating enterprises were expected to report figures, how many did, and how many on time.

An enterprise is expected on a date when it operates now and was founded by then (or its
founding date is unknown). It reported when the registry holds figures for that exact date (any
version); on time when the first version was recorded within `SINERGI_FIGURES_DUE_DAYS` days
after the date. Counted per zone in the refresh (aggregates.py), summed per scope by the
dashboard (insight); the enterprises that did not report are the enterprise list filtered with
`not_reported=<date>` (registry.filtersets), which also exports them.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from sinergi.registry.choices import EnterpriseStatus
from sinergi.registry.models import Enterprise, Figure


def due_on(day: datetime.date) -> datetime.datetime:
    """The last moment figures for `day` count as on time."""
    last = day + datetime.timedelta(days=settings.SINERGI_FIGURES_DUE_DAYS)
    return timezone.make_aware(datetime.datetime.combine(last, datetime.time.max))


def expected_on(day: datetime.date):
    """Operating enterprises expected to report figures for `day`."""
    return Enterprise.objects.filter(status=EnterpriseStatus.OPERATING).filter(
        Q(founded_on__isnull=True) | Q(founded_on__lte=day)
    )


def not_reported(queryset, day: datetime.date):
    """The enterprises of `queryset` with no figures for `day` (in any version)."""
    return queryset.filter(
        Q(founded_on__isnull=True) | Q(founded_on__lte=day),
        ~Exists(Figure.objects.filter(enterprise_id=OuterRef("pk"), as_of=day)),
    )


def per_zone(dates: list[datetime.date]) -> dict[str, dict[str, list[int]]]:
    """{date: {zone id or "": [expected, reported, on time]}} — one grouped query per date."""
    result: dict[str, dict[str, list[int]]] = {}
    for day in dates:
        rows = (
            expected_on(day)
            .alias(
                reported=Exists(Figure.objects.filter(enterprise_id=OuterRef("pk"), as_of=day)),
                on_time=Exists(
                    Figure.objects.filter(
                        enterprise_id=OuterRef("pk"), as_of=day, recorded_at__lte=due_on(day)
                    )
                ),
            )
            .values("zone_id")
            .annotate(
                n=Count("id"),
                n_reported=Count("id", filter=Q(reported=True)),
                n_on_time=Count("id", filter=Q(on_time=True)),
            )
            .order_by()
        )
        result[day.isoformat()] = {
            str(row["zone_id"] or ""): [row["n"], row["n_reported"], row["n_on_time"]]
            for row in rows
        }
    return result
