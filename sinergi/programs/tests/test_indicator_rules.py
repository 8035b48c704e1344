"""Indicators computed from the registry: each named rule, the rows behind it, and the picture
at a period's end as the registry knew it (frozen at the lock)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from sinergi.core.services import SYSTEM
from sinergi.programs import indicator_rules, indicator_values, services
from sinergi.programs.testing import START
from sinergi.registry import services as registry

pytestmark = pytest.mark.django_db

D = datetime.date


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def _figures(world, key, day, recorded=None, **values):
    return registry.figure_record(
        actor=SYSTEM,
        enterprise=world.enterprises[key],
        as_of=day,
        values=values,
        recorded_at=_at(recorded) if recorded else None,
    )


def _organisation(world, key, org_type, founded, dissolved=None):
    return registry.organisation_create(
        actor=SYSTEM,
        enterprise=world.enterprises[key],
        data={
            "type": world.types[org_type],
            "name": f"{org_type} {key}",
            "founded_on": founded,
            "dissolved_on": dissolved,
        },
    )


@pytest.fixture
def zones(world) -> set[int]:
    return world.zones["ez"].descendant_ids()


@pytest.fixture
def outside(world):
    """An enterprise in a park outside the program's economic zone: never counted."""
    park = registry.zone_create(
        actor=SYSTEM,
        data={
            "code": "kcn-x",
            "name": "KCN ngoài",
            "kind": "industrial_park",
            "parent": world.zones["province"],
        },
    )
    enterprise = registry.enterprise_create(
        actor=SYSTEM,
        data={"tax_id": "5300100045", "name": "Công ty ngoài", "zone": park, "ownership": "other"},
    )
    registry.organisation_create(
        actor=SYSTEM,
        enterprise=enterprise,
        data={"type": world.types["party"], "name": "Chi bộ", "founded_on": D(2020, 1, 1)},
    )
    registry.figure_record(
        actor=SYSTEM,
        enterprise=enterprise,
        as_of=D(2023, 6, 30),
        values={"workers": 50, "party_members": 5, "new_party_members": 3},
    )
    return enterprise


def test_enterprises_with_an_organisation_at_the_period_end(world, zones, outside):
    _organisation(world, "a", "party", D(2023, 3, 1), dissolved=D(2024, 2, 1))
    _organisation(world, "b", "party", D(2023, 8, 1))
    rule = indicator_rules.enterprises_with_organisation
    party = world.types["party"]
    q2 = rule(zones, D(2023, 4, 1), D(2023, 6, 30), organisation_type=party)
    assert q2.value == 1 and [e.name for e in q2.enterprises] == [world.enterprises["a"].name]
    assert rule(zones, D(2023, 7, 1), D(2023, 9, 30), organisation_type=party).value == 2
    assert rule(zones, D(2024, 1, 1), D(2024, 3, 31), organisation_type=party).value == 1


def test_organisations_founded_in_the_period(world, zones, outside):
    _organisation(world, "a", "party", D(2023, 3, 1))
    _organisation(world, "b", "party", D(2023, 8, 1))
    result = indicator_rules.organisations_founded(
        zones, D(2023, 7, 1), D(2023, 9, 30), organisation_type=world.types["party"]
    )
    assert result.value == 1 and list(result.enterprises) == [world.enterprises["b"]]


def test_party_members_newly_admitted_in_the_period(world, zones, outside):
    _figures(world, "a", D(2023, 6, 30), workers=100, party_members=4, new_party_members=2)
    _figures(world, "a", D(2023, 12, 31), workers=100, party_members=5, new_party_members=1)
    _figures(world, "b", D(2023, 12, 31), workers=40, party_members=0, new_party_members=0)
    rule = indicator_rules.new_party_members
    first = rule(zones, D(2023, 5, 1), D(2023, 6, 30))
    assert first.value == 2 and list(first.enterprises) == [world.enterprises["a"]]
    assert rule(zones, D(2023, 5, 1), D(2023, 12, 31)).value == 3


def test_a_correction_recorded_later_does_not_change_a_value_known_at_an_earlier_moment(
    world, zones
):
    _figures(world, "a", D(2023, 6, 30), recorded=D(2023, 7, 5), workers=100, new_party_members=2)
    _figures(world, "a", D(2023, 6, 30), recorded=D(2024, 2, 1), workers=100, new_party_members=4)
    rule = indicator_rules.new_party_members
    assert rule(zones, D(2023, 5, 1), D(2023, 6, 30), known_at=_at(D(2023, 12, 31))).value == 2
    assert rule(zones, D(2023, 5, 1), D(2023, 6, 30)).value == 4


def test_share_of_the_eligible_enterprises_that_have_the_organisation(world, zones, outside):
    # Trade union: eligible with 5 union members or 5 workers.
    _figures(world, "a", D(2023, 6, 30), workers=100, union_members=60)
    _figures(world, "b", D(2023, 6, 30), workers=50, union_members=0)
    _organisation(world, "a", "union", D(2022, 1, 1))
    result = indicator_rules.eligible_share_with_organisation(
        zones, D(2023, 4, 1), D(2023, 6, 30), organisation_type=world.types["union"]
    )
    assert result.value == Decimal("50.0")
    flags = {e.name: e.has_organisation for e in result.enterprises}
    assert flags == {world.enterprises["a"].name: True, world.enterprises["b"].name: False}


def test_a_share_of_nothing_is_no_value(world, zones):
    result = indicator_rules.eligible_share_with_organisation(
        zones, D(2023, 4, 1), D(2023, 6, 30), organisation_type=world.types["union"]
    )
    assert result.value is None


def test_people_reached_by_the_programs_activities_in_the_period(world, program, zones):
    for day, workers in ((D(2023, 9, 12), 60), (D(2023, 10, 3), 25), (D(2024, 1, 9), 40)):
        services.activity_create(
            actor=SYSTEM,
            program=program.program,
            data={
                "kind": "dissemination",
                "title": f"Tuyên truyền {day}",
                "held_on": day,
                "organisers": [world.units["ezb_dept"]],
                "workers": workers,
                "cadres": 2,
            },
        )
    result = indicator_rules.people_reached(
        zones, D(2023, 7, 1), D(2023, 12, 31), program=program.program
    )
    assert result.value == 60 + 25 + 4
    assert result.activities.count() == 2


def test_a_locked_period_keeps_the_registrys_knowledge_at_the_lock(world, program):
    indicator = services.indicator_create(
        actor=SYSTEM,
        program=program.program,
        data={
            "code": "admitted",
            "name": "Đảng viên kết nạp mới",
            "unit_of_measure": "đảng viên",
            "rule": "new_party_members",
            "period_kind": "quarter",
        },
    )
    period = program.period("quarter", 2023, 2)
    _figures(world, "a", D(2023, 6, 30), recorded=D(2023, 7, 5), workers=100, new_party_members=2)
    services.period_lock(actor=SYSTEM, period=period, at=_at(D(2023, 8, 1)))
    _figures(world, "a", D(2023, 6, 30), workers=100, new_party_members=5)
    period.refresh_from_db()
    assert indicator_values.compute_period(indicator, period).value == 2
    # The first half-year covers the same clipped days, so it was locked with the quarter; the
    # year around them is still open and sees the correction.
    assert indicator_values.compute_period(indicator, program.period("half", 2023, 1)).value == 2
    assert indicator_values.compute_period(indicator, program.period("year", 2023, 1)).value == 5
    assert indicator_rules.compute(indicator, START, D(2023, 12, 31)).value == 5


def test_year_rows_compare_actuals_with_targets_in_the_indicators_direction(world, program):
    surveyed = program.indicators["surveyed"]  # a flow: 2023 target 10, 2024 target 20
    for quarter, value in (((2023, 3), 4), ((2023, 4), 7), ((2024, 1), 5)):
        services.indicator_value_set(
            actor=SYSTEM,
            indicator=surveyed,
            period=program.period("quarter", *quarter),
            value=Decimal(value),
            source="khảo sát",
        )
    today = D(2024, 12, 31)
    values = indicator_values.period_values(surveyed, today)
    rows = {row.year: row for row in indicator_values.year_rows(surveyed, values, today)}
    assert (rows[2023].actual, rows[2023].met) == (Decimal(11), True)
    assert (rows[2024].actual, rows[2024].met) == (Decimal(5), False)
    assert rows[2025].actual is None
    assert indicator_values.whole_actual(surveyed, values) == Decimal(16)
