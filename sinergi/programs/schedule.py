"""The calendar of a program: reporting periods and the due dates of tasks.

Pure functions over dates, with no database in sight. Periods are calendar months, quarters,
half-years and years, clipped to the program's own start and end, so a program starting in May
has a first quarter "Q2" that runs from 1 May to 30 June.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

MONTH, QUARTER, HALF, YEAR = "month", "quarter", "half", "year"
MONTHS_PER_PERIOD: dict[str, int] = {MONTH: 1, QUARTER: 3, HALF: 6, YEAR: 12}
RECURRENCE_KINDS: dict[str, str] = {
    "monthly": MONTH,
    "quarterly": QUARTER,
    "half_yearly": HALF,
    "yearly": YEAR,
}


@dataclass(frozen=True)
class Span:
    """One reporting period: its kind, year, number within the year (1-based) and dates."""

    kind: str
    year: int
    number: int
    start: datetime.date
    end: datetime.date

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end


def calendar_bounds(kind: str, year: int, number: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of the `number`-th period of `kind` in `year` (unclipped)."""
    months = MONTHS_PER_PERIOD[kind]
    if not 1 <= number <= 12 // months:
        raise ValueError(f"There is no {kind} number {number} in a year.")
    first_month = (number - 1) * months + 1
    last_month = first_month + months - 1
    last_day = calendar.monthrange(year, last_month)[1]
    return datetime.date(year, first_month, 1), datetime.date(year, last_month, last_day)


def number_of(kind: str, day: datetime.date) -> int:
    """The number within its year of the period of `kind` containing `day`."""
    return (day.month - 1) // MONTHS_PER_PERIOD[kind] + 1


def spans_between(kind: str, start: datetime.date, end: datetime.date) -> list[Span]:
    """The periods of `kind` overlapping [start, end], each clipped to that range."""
    if end < start:
        return []
    spans: list[Span] = []
    year, number = start.year, number_of(kind, start)
    per_year = 12 // MONTHS_PER_PERIOD[kind]
    while True:
        first, last = calendar_bounds(kind, year, number)
        if first > end:
            return spans
        spans.append(Span(kind, year, number, max(first, start), min(last, end)))
        number += 1
        if number > per_year:
            year, number = year + 1, 1


def all_spans(start: datetime.date, end: datetime.date) -> list[Span]:
    """Every month, quarter, half-year and year of a program running from `start` to `end`."""
    return [
        span for kind in (MONTH, QUARTER, HALF, YEAR) for span in spans_between(kind, start, end)
    ]


def due_dates(
    recurrence: str,
    *,
    start: datetime.date,
    until: datetime.date | None,
    program_start: datetime.date,
    program_end: datetime.date,
) -> list[datetime.date]:
    """When a task falls due. A one-off task: its due date. A recurring task: the last day of
    each period of its recurrence from its start to `until` (or the program's end), within the
    program. An empty list means the recurrence yields no date at all."""
    if not recurrence:
        return [until] if until else []
    kind = RECURRENCE_KINDS[recurrence]
    low = max(start, program_start)
    high = min(until or program_end, program_end)
    if high < low:
        return []
    return [
        span.end
        for span in spans_between(kind, program_start, program_end)
        if low <= span.end <= high
    ]


def next_due(dates: list[datetime.date], today: datetime.date) -> datetime.date | None:
    """The first due date on or after `today`, if any."""
    return next((day for day in sorted(dates) if day >= today), None)
