"""The program calendar: periods clipped to the program, due dates of recurring tasks."""

import datetime
import itertools

import pytest

from sinergi.programs import schedule

D = datetime.date


def test_a_program_starting_in_may_has_a_clipped_first_quarter():
    spans = schedule.spans_between("quarter", D(2023, 5, 1), D(2025, 12, 31))
    assert (spans[0].year, spans[0].number, spans[0].start, spans[0].end) == (
        2023,
        2,
        D(2023, 5, 1),
        D(2023, 6, 30),
    )
    assert (spans[-1].year, spans[-1].number, spans[-1].end) == (2025, 4, D(2025, 12, 31))
    assert len(spans) == 11


@pytest.mark.parametrize(
    ("kind", "count"), [("month", 32), ("quarter", 11), ("half", 6), ("year", 3)]
)
def test_every_kind_of_period_covers_the_program_without_gaps(kind, count):
    spans = schedule.spans_between(kind, D(2023, 5, 1), D(2025, 12, 31))
    assert len(spans) == count
    for before, after in itertools.pairwise(spans):
        assert after.start == before.end + datetime.timedelta(days=1)


def test_a_leap_february_ends_on_the_29th():
    spans = schedule.spans_between("month", D(2024, 2, 1), D(2024, 2, 29))
    assert spans[0].end == D(2024, 2, 29)


def test_all_spans_nest_quarters_inside_their_year():
    spans = schedule.all_spans(D(2023, 5, 1), D(2023, 12, 31))
    year = next(s for s in spans if s.kind == "year")
    assert all(year.contains(s) for s in spans)
    assert {s.kind for s in spans} == {"month", "quarter", "half", "year"}


def test_an_end_before_the_start_yields_no_period():
    assert schedule.spans_between("month", D(2024, 3, 1), D(2024, 2, 1)) == []


def test_calendar_bounds_refuse_a_fifth_quarter():
    with pytest.raises(ValueError):
        schedule.calendar_bounds("quarter", 2024, 5)


PROGRAM = (D(2023, 5, 1), D(2025, 12, 31))


def _due(recurrence, start, until=None, program=PROGRAM):
    return schedule.due_dates(
        recurrence, start=start, until=until, program_start=program[0], program_end=program[1]
    )


def test_a_one_off_task_is_due_on_its_date():
    assert _due("", D(2023, 6, 1), D(2023, 9, 15)) == [D(2023, 9, 15)]


def test_a_quarterly_task_is_due_at_each_quarter_end_from_its_start():
    assert _due("quarterly", D(2024, 2, 10), D(2024, 12, 31)) == [
        D(2024, 3, 31),
        D(2024, 6, 30),
        D(2024, 9, 30),
        D(2024, 12, 31),
    ]


def test_a_monthly_task_runs_to_the_program_end_without_an_until():
    dates = _due("monthly", D(2025, 10, 5))
    assert dates == [D(2025, 10, 31), D(2025, 11, 30), D(2025, 12, 31)]


def test_half_yearly_and_yearly_due_dates():
    assert _due("half_yearly", D(2023, 5, 1)) == [
        D(2023, 6, 30),
        D(2023, 12, 31),
        D(2024, 6, 30),
        D(2024, 12, 31),
        D(2025, 6, 30),
        D(2025, 12, 31),
    ]
    assert _due("yearly", D(2023, 5, 1)) == [D(2023, 12, 31), D(2024, 12, 31), D(2025, 12, 31)]


def test_a_yearly_task_in_a_program_ending_mid_year_falls_due_at_the_program_end():
    dates = _due("yearly", D(2024, 1, 1), program=(D(2023, 5, 1), D(2024, 6, 30)))
    assert dates == [D(2024, 6, 30)]


@pytest.mark.parametrize(
    ("recurrence", "start", "until"),
    [
        ("quarterly", D(2024, 1, 10), D(2024, 2, 15)),  # ends before its first quarter ends
        ("yearly", D(2024, 2, 1), D(2024, 11, 30)),
        ("monthly", D(2026, 1, 5), None),  # starts after the program
    ],
)
def test_a_recurrence_can_yield_no_date(recurrence, start, until):
    assert _due(recurrence, start, until) == []


def test_next_due_is_the_first_date_from_today():
    dates = [D(2024, 3, 31), D(2024, 6, 30)]
    assert schedule.next_due(dates, D(2024, 4, 1)) == D(2024, 6, 30)
    assert schedule.next_due(dates, D(2024, 3, 31)) == D(2024, 3, 31)
    assert schedule.next_due(dates, D(2024, 7, 1)) is None
