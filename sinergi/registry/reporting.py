"""The registry's reporting dates: the days of the year figures describe (30 June and
31 December unless SINERGI_REPORTING_DATES says otherwise)."""

from __future__ import annotations

import datetime

from django.conf import settings


def reporting_days(year: int, spec: list[str] | None = None) -> list[datetime.date]:
    """The reporting dates of a year, from "MM-DD" entries, in order."""
    days = []
    for entry in spec if spec is not None else settings.SINERGI_REPORTING_DATES:
        month, day = (int(part) for part in entry.split("-"))
        days.append(datetime.date(year, month, day))
    return sorted(days)


def next_reporting_date(today: datetime.date, spec: list[str] | None = None) -> datetime.date:
    """The first reporting date on or after today: the date figures being collected describe."""
    for day in reporting_days(today.year, spec) + reporting_days(today.year + 1, spec):
        if day >= today:
            return day
    raise ValueError("no reporting date configured")  # pragma: no cover - spec is never empty
