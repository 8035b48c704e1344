"""The gap list: who could found an organisation now, why, since when, and how founding one
closes the gap and moves the coverage."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sinergi.core.services import SYSTEM
from sinergi.core.testing import FILTERS_PANEL, drawn, filters_panel_html
from sinergi.insight import aggregates, services
from sinergi.insight.models import CoverageCell, Gap, TrendPoint
from sinergi.insight.views import _gap_queryset
from sinergi.programs.models import Task
from sinergi.registry import services as registry_services
from sinergi.registry.models import Enterprise

pytestmark = pytest.mark.django_db


def _gaps(world):
    return {(g.enterprise_id, g.type.code): g for g in Gap.objects.select_related("type")}


def test_an_enterprise_meeting_a_rule_without_the_organisation_is_a_gap(figures):
    world = figures
    aggregates.refresh()
    gaps = _gaps(world)
    a, b = world.enterprises["a"].pk, world.enterprises["b"].pk
    assert set(gaps) == {(a, "party"), (a, "trade-union")}
    assert not any(enterprise == b for enterprise, _code in gaps)
    party = gaps[(a, "party")]
    assert party.members == 4 and party.workers == 40
    # Two party members on 30 June 2023, three from 31 December 2023 on.
    assert party.eligible_since == datetime.date(2023, 12, 31)
    # The union rule is met through the workers (≥ 5) since the first date.
    assert gaps[(a, "trade-union")].eligible_since == datetime.date(2023, 6, 30)
    assert party.figure_id == world.enterprises["a"].latest_figure_id


def test_the_reason_names_the_condition_met_and_its_source(figures):
    aggregates.refresh()
    gap = Gap.objects.select_related("type").get(type__code="party")
    reason = services.gap_reason(gap)
    assert "party members 4 ≥ 3" in reason.lower()
    # A generated sentence starts with a capital and names the type as a common noun.
    assert reason[0].isupper()
    assert f"; no {gap.type.name[0].lower()}{gap.type.name[1:]}" in reason
    assert "Party Statute art. 21" in reason
    union = services.gap_reason(Gap.objects.select_related("type").get(type__code="trade-union"))
    assert "workers 40 ≥ 5" in union.lower() and "union members" not in union.lower()


def test_an_enterprise_below_every_rule_is_not_a_gap(figures):
    aggregates.refresh()
    assert not Gap.objects.filter(enterprise=figures.enterprises["b"]).exists()


def test_founding_the_organisation_closes_the_gap_at_once_and_moves_the_coverage(figures):
    world = figures
    aggregates.refresh()
    registry_services.organisation_create(
        actor=SYSTEM,
        enterprise=world.enterprises["a"],
        data={
            "type": world.types["party"],
            "name": "Chi bộ A",
            "founded_on": datetime.date(2024, 7, 1),
        },
    )
    # The registry version moved: the next page view drops the closed gap at once, and the
    # refresh (a background job; run at once in tests) recounts everything.
    assert aggregates.registry_version() != aggregates.Snapshot.objects.latest().version
    assert aggregates.close_founded_gaps() == 1
    assert not _gap_queryset().filter(type__code="party").exists()
    assert _gap_queryset().filter(type__code="trade-union").exists()
    aggregates.refresh()
    assert not Gap.objects.filter(type__code="party").exists()
    cells = CoverageCell.objects.all()
    assert sum(c.with_organisation.get("party", 0) for c in cells) == 1
    assert sum(c.gaps.get("party", 0) for c in cells) == 0


def test_gaps_are_ranked_by_members_then_workers(world):
    from sinergi.insight.tests.conftest import record

    small = registry_services.enterprise_create(
        actor=SYSTEM,
        data={
            "tax_id": "5300100045",
            "name": "Công ty nhỏ",
            "zone": world.zones["a"],
            "ownership": "state",
        },
    )
    record(world.enterprises["a"], datetime.date(2024, 6, 30), workers=20, party_members=3)
    record(world.enterprises["b"], datetime.date(2024, 6, 30), workers=90, party_members=3)
    record(small, datetime.date(2024, 6, 30), workers=10, party_members=7)
    aggregates.refresh()
    ranked = [g.enterprise_id for g in _gap_queryset().filter(type__code="party")]
    assert ranked == [small.pk, world.enterprises["b"].pk, world.enterprises["a"].pk]


def test_trend_counts_the_figures_as_of_each_reporting_date(figures):
    aggregates.refresh()
    points = {p.as_of: p for p in TrendPoint.objects.filter(zone=figures.zones["a"])}
    assert points[datetime.date(2023, 12, 31)].party_members == 3
    assert points[datetime.date(2024, 6, 30)].party_members == 4
    assert points[datetime.date(2024, 6, 30)].new_party_members == 1


def test_a_task_from_gap_rows_names_the_enterprises_and_their_reasons(figures, program):
    world = figures
    aggregates.refresh()
    gaps = list(Gap.objects.select_related("enterprise", "zone", "type"))
    area = program.areas["survey"]
    task = services.gap_task_create(
        actor=world.users["coordinator"],
        area=area,
        gaps=gaps,
        data={"lead_unit": world.units["ezb_dept"], "due_on": datetime.date(2025, 6, 30)},
    )
    task = Task.objects.get(pk=task.pk)
    assert task.area.program == program.program
    assert list(task.enterprises.all()) == [world.enterprises["a"]]
    assert task.lead_unit == world.units["ezb_dept"]
    assert "Party members 4 ≥ 3" in task.description
    assert "1 enterprise" in task.title


def test_only_program_managers_create_tasks_from_gaps(figures, program):
    world = figures
    aggregates.refresh()
    gaps = list(Gap.objects.select_related("enterprise", "zone", "type"))
    area = program.areas["survey"]
    data = {"lead_unit": world.units["ezb_dept"], "due_on": datetime.date(2025, 6, 30)}
    with pytest.raises(PermissionDenied):
        services.gap_task_create(actor=world.users["viewer"], area=area, gaps=gaps, data=data)
    with pytest.raises(ValidationError):
        services.gap_task_create(actor=world.users["coordinator"], area=area, gaps=[], data=data)
    assert not Task.objects.filter(enterprises=world.enterprises["a"]).exists()


@pytest.mark.parametrize("name", ["insight:gap_list", "insight:quality"])
def test_the_gap_and_quality_lists_draw_the_filter_panel_once_per_filters(world, name):
    aggregates.refresh()
    client, url = world.client("viewer"), reverse(name)
    zone = Enterprise.objects.exclude(zone=None).first().zone
    first = client.get(url, {"zone": zone.pk, "q": "công ty"})
    assert FILTERS_PANEL in drawn(first)
    assert f'<option value="{zone.pk}" selected>' in filters_panel_html(first)
    again = client.get(url, {"zone": zone.pk, "q": "công ty", "page": 1, "per_page": 50})
    assert FILTERS_PANEL not in drawn(again)
    assert filters_panel_html(again) == filters_panel_html(first)
    other = client.get(url, {"q": "công ty"})
    assert FILTERS_PANEL in drawn(other)
    assert f'<option value="{zone.pk}" selected>' not in filters_panel_html(other)
