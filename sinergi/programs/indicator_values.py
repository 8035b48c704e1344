"""An indicator's values: per reporting period, per program year, and over the whole program.

Entered indicators read their stored values; computed ones evaluate their rule over the period
(see indicator_rules.py), as the registry knew it when the period was locked, or now.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from sinergi.programs import indicator_rules
from sinergi.programs.choices import Direction, Measure, PeriodKind
from sinergi.programs.indicator_rules import RuleResult
from sinergi.programs.models import Indicator, IndicatorValue, ReportingPeriod


@dataclass
class PeriodValue:
    period: ReportingPeriod
    value: Decimal | None
    entered: IndicatorValue | None = None
    result: RuleResult | None = None


@dataclass
class YearRow:
    year: int
    target: Decimal | None
    actual: Decimal | None
    met: bool | None = None


def meets(indicator: Indicator, actual: Decimal | None, target: Decimal | None) -> bool | None:
    """Whether an actual reaches its target in the indicator's direction (None: unknown)."""
    if actual is None or target is None:
        return None
    return actual <= target if indicator.direction == Direction.DOWN else actual >= target


def compute_period(indicator: Indicator, period: ReportingPeriod) -> PeriodValue:
    """The computed value over one period: frozen to the registry's knowledge at the lock."""
    result = indicator_rules.compute(indicator, period.starts_on, period.ends_on, period.locked_at)
    return PeriodValue(period, result.value, result=result)


def period_values(indicator: Indicator, today: datetime.date) -> list[PeriodValue]:
    """One value per started period of the indicator's kind (None where nothing is known)."""
    periods = list(
        indicator.program.periods.filter(kind=indicator.period_kind, starts_on__lte=today)
    )
    if indicator.is_computed:
        return [compute_period(indicator, period) for period in periods]
    stored = {
        value.period_id: value for value in indicator.values.select_related("report", "recorded_by")
    }
    return [
        PeriodValue(p, stored[p.pk].value if p.pk in stored else None, entered=stored.get(p.pk))
        for p in periods
    ]


def _aggregate(indicator: Indicator, values: list[PeriodValue]) -> Decimal | None:
    known = [item.value for item in values if item.value is not None]
    if not known:
        return None
    return known[-1] if indicator.measure == Measure.LEVEL else sum(known, Decimal(0))


def year_rows(
    indicator: Indicator, values: list[PeriodValue], today: datetime.date
) -> list[YearRow]:
    """Target and actual for each program year. A level is its last known value in the year,
    a flow the total of the year; computed indicators evaluate their rule over the year."""
    rows = []
    years = {p.year: p for p in indicator.program.periods.filter(kind=PeriodKind.YEAR)}
    for year in indicator.program.years:
        period = years.get(year)
        if period is None or period.starts_on > today:
            actual = None
        elif indicator.is_computed:
            actual = compute_period(indicator, period).value
        else:
            actual = _aggregate(indicator, [v for v in values if v.period.year == year])
        target = indicator.target_for(year)
        rows.append(YearRow(year, target, actual, meets(indicator, actual, target)))
    return rows


def whole_actual(indicator: Indicator, values: list[PeriodValue]) -> Decimal | None:
    """The actual over the whole program so far."""
    program = indicator.program
    if indicator.is_computed:
        return indicator_rules.compute(indicator, program.starts_on, program.ends_on).value
    return _aggregate(indicator, values)


def latest(indicator: Indicator, today: datetime.date) -> PeriodValue | None:
    """The value of the latest started period that has one (computed: the current period)."""
    if indicator.is_computed:
        period = (
            indicator.program.periods.filter(kind=indicator.period_kind, starts_on__lte=today)
            .order_by("-starts_on")
            .first()
        )
        return compute_period(indicator, period) if period else None
    value = (
        IndicatorValue.objects.filter(indicator=indicator, period__starts_on__lte=today)
        .select_related("period")
        .order_by("-period__starts_on")
        .first()
    )
    return PeriodValue(value.period, value.value, entered=value) if value else None
