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


def reporting_date_due(today: datetime.date, spec: list[str] | None = None) -> datetime.date:
    """The last reporting date on or before today: the date the figures being collected now
    describe (an enterprise's report of 31 December arrives in January). A later one would be
    refused: figures cannot describe a date in the future."""
    days = reporting_days(today.year - 1, spec) + reporting_days(today.year, spec)
    passed = [day for day in days if day <= today]
    if not passed:  # pragma: no cover - every spec has a day in the last twelve months
        raise ValueError("no reporting date configured")
    return passed[-1]
