"""One counting truth: the review report's tables, the computed indicators, the dashboard and the
API give the same numbers for the same date and zone, over a registry with the awkward cases —
a dissolved enterprise that still has an active organisation, an organisation founded after the
period's end, a correction recorded after the draft, an enterprise that moved zone."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from sinergi.core.services import SYSTEM
from sinergi.insight import aggregates
from sinergi.insight.dashboard import digest
from sinergi.programs import indicator_rules
from sinergi.programs import services as program_services
from sinergi.registry import counting
from sinergi.registry import services as registry
from sinergi.reviews import statistics
from sinergi.reviews.testing import PERIOD_END, PERIOD_START, at, build_review

pytestmark = pytest.mark.django_db

D = datetime.date
DRAFTED = at(D(2024, 4, 10))  # the draft is made after the period, before the correction


def _enterprise(world, tax_id: str, name: str, zone_key: str):
    return registry.enterprise_create(
        actor=SYSTEM,
        data={
            "tax_id": tax_id,
            "name": name,
            "zone": world.zones[zone_key],
            "ownership": "domestic_private",
            "founded_on": D(2015, 1, 1),
        },
    )


def _figures(enterprise, day, recorded, **values):
    registry.figure_record(
        actor=SYSTEM, enterprise=enterprise, as_of=day, values=values, recorded_at=at(recorded)
    )


def _organisation(world, enterprise, type_key, founded):
    registry.organisation_create(
        actor=SYSTEM,
        enterprise=enterprise,
        data={
            "type": world.types[type_key],
            "name": f"{type_key} {enterprise.name}",
            "founded_on": founded,
        },
    )


@pytest.fixture
def awkward(world):
    reviewed = build_review(world)
    # A dissolved enterprise that still has an active party organisation and figures.
    closed = _enterprise(world, "5300100011", "Công ty đã giải thể", "a")
    _figures(closed, D(2023, 12, 31), D(2024, 1, 10), workers=40, party_members=5, union_members=30)
    _organisation(world, closed, "party", D(2020, 1, 1))
    registry.enterprise_status_change(
        actor=SYSTEM, enterprise=closed, data={"status": "dissolved", "since": D(2024, 1, 15)}
    )
    # An organisation founded after the period's end (B gets a party cell in April 2024).
    _organisation(world, world.enterprises["b"], "party", D(2024, 4, 15))
    # A correction of A's figures of 31/12/2023, recorded after the draft.
    _figures(
        world.enterprises["a"],
        D(2023, 12, 31),
        D(2024, 4, 20),
        workers=120,
        party_members=4,
        union_members=95,
        new_party_members=3,
    )
    # An enterprise registered in park B that moved to park A.
    moved = _enterprise(world, "5300100012", "Công ty chuyển khu", "b")
    _figures(moved, D(2023, 12, 31), D(2024, 1, 10), workers=60, party_members=3, union_members=50)
    _organisation(world, moved, "union", D(2021, 5, 1))
    registry.enterprise_update(actor=SYSTEM, enterprise=moved, data={"zone": world.zones["a"]})
    program = reviewed.program.program
    short = {"party": "p", "union": "u"}
    for number, rule in enumerate(indicator_rules.RULES.values()):
        if rule.code == "people_reached":
            continue
        keys = list(world.types) if rule.needs_organisation_type else [None]
        for key in keys:
            program_services.indicator_create(
                actor=SYSTEM,
                program=program,
                data={
                    "code": f"r{number}-{short[key] if key else 'all'}",
                    "name": rule.code,
                    "unit_of_measure": "-",
                    "rule": rule.code,
                    "organisation_type": world.types[key] if key else None,
                    "period_kind": "year",
                },
            )
    return reviewed


def _api(world, **params):
    response = world.client("viewer").get("/api/counts/", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_report_the_indicators_and_the_api_agree_at_the_period_end(world, awkward):
    stats = statistics.compute(awkward.review, DRAFTED)
    api = _api(
        world,
        date=PERIOD_END.isoformat(),
        zone=world.zones["ez"].pk,
        known_at=DRAFTED.isoformat(),
        start=PERIOD_START.isoformat(),
    )
    organisations = stats["organisations"]["total"]
    types = stats["organisation_types"]
    api_types = {t["code"]: t for t in api["organisation_types"]}

    # The dissolved enterprise counts nowhere: A, B and the one that moved operate.
    assert stats["enterprises_by_ownership"]["total"]["total"] == 3
    assert organisations["enterprises"] == api["enterprises"] == 3
    assert organisations["reported"] == api["reporting_figures"] == 3
    # The draft saw A's union members before the correction: 80 + 200 + 50.
    assert organisations["types"][1]["members"] == api["members"]["union_members"] == 330
    assert organisations["workers"] == api["members"]["workers"] == 120 + 300 + 60
    # Party organisations at the end: A's (2023); B's of April 2024 and the dissolved one's
    # are not counted.
    for entry, counted in zip(types, organisations["types"], strict=True):
        assert counted["organisations"] == api_types[entry["code"]]["with_organisation"]
    assert api_types["party"]["with_organisation"] == 1
    assert api_types["trade-union"]["with_organisation"] == 2
    new = stats["new_members"]["total"]
    assert new["new_party_members"] == api["newly_admitted"] == 3  # 2 in A, 1 in B, as drafted
    assert new["founded"] == [api_types[t["code"]]["founded"] for t in types] == [1, 0]

    values = {row["code"]: row["actual"] for row in stats["indicators"]}
    assert values["r0-p"] == "1"  # enterprises with a party organisation
    assert values["r0-u"] == "2"
    assert values["r1-p"] == "1"  # party organisations founded in the period
    assert values["r1-u"] == "0"
    assert values["r2-all"] == "3"  # newly admitted
    # Of A (4 party members) and the moved one (3), A has a party organisation.
    assert Decimal(values["r3-p"]) == Decimal(api_types["party"]["eligible_share"]) == 50
    assert Decimal(values["r3-u"]) == Decimal(api_types["trade-union"]["eligible_share"])

    # Before its dissolution the closed enterprise operated, and counts on such a date.
    before = _api(world, date="2023-12-31", zone=world.zones["ez"].pk, known_at=DRAFTED.isoformat())
    assert before["enterprises"] == 4

    # Per zone: the moved enterprise is in park A's row, in the report and in the API.
    rows = {row["zone"]: row for row in stats["organisations"]["rows"]}
    zone_a = _api(
        world,
        date=PERIOD_END.isoformat(),
        zone=world.zones["a"].pk,
        known_at=DRAFTED.isoformat(),
    )
    assert rows[world.zones["a"].name]["enterprises"] == zone_a["enterprises"] == 2
    assert rows[world.zones["b"].name]["enterprises"] == 1


def test_the_correction_counts_once_the_registry_knows_it(world, awkward):
    later = statistics.compute(awkward.review, at(D(2024, 5, 1)))
    assert later["organisations"]["total"]["types"][1]["members"] == 95 + 200 + 50
    assert later["new_members"]["total"]["new_party_members"] == 4
    api = _api(
        world,
        date=PERIOD_END.isoformat(),
        zone=world.zones["ez"].pk,
        start=PERIOD_START.isoformat(),
    )
    assert api["members"]["union_members"] == 345
    assert api["newly_admitted"] == 4


def test_the_dashboard_its_trend_and_the_api_agree_today(world, awkward):
    snapshot = aggregates.refresh()
    types = [t.code for t in world.types.values()]
    today = timezone.localdate()
    for zone in (None, world.zones["ez"], world.zones["a"], world.zones["b"]):
        data = digest(snapshot, zone, types)
        params = {"zone": zone.pk} if zone else {}
        api = _api(world, **params)
        totals = data["totals"]
        latest = data["trend"][-1]
        assert latest["date"] == today.isoformat()
        assert totals["enterprises"] == latest["enterprises"] == api["enterprises"]
        for field in ("workers", "party_members", "union_members"):
            assert totals[field] == latest[field] == api["members"][field]
        api_types = {t["code"]: t["with_organisation"] for t in api["organisation_types"]}
        for code in types:
            assert totals["with_organisation"][code] == latest["with_organisation"].get(code, 0)
            assert totals["with_organisation"][code] == api_types[code]
        counts = counting.in_subtree(today, zone)
        assert counts.enterprises == api["enterprises"]
    everywhere = _api(world)
    # Today B's party cell counts, the dissolved enterprise's still does not.
    assert {t["code"]: t["with_organisation"] for t in everywhere["organisation_types"]} == {
        "party": 2,
        "trade-union": 2,
    }
    park_a = _api(world, zone=world.zones["a"].pk)
    assert park_a["enterprises"] == 2  # A and the enterprise that moved in


def test_the_dissolved_enterprise_with_an_active_organisation_is_a_quality_violation(
    world, awkward
):
    from sinergi.insight.models import QualityRule, Violation

    aggregates.refresh()
    rule = QualityRule.objects.get(left="closed_active_organisations")
    flagged = Violation.objects.filter(rule=rule).values_list("enterprise__name", "detail")
    assert list(flagged) == [("Công ty đã giải thể", "Dissolved, 1 active organisation(s)")]
