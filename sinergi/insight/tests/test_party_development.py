"""Party development: the founding rule reads official members, an old total-only figure is
neither eligible nor ruled out, the pipeline is shown, and the gap list follows a rule edited
by an administrator; the page, the API and `sinergi gaps` list the same rows."""

from __future__ import annotations

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from sinergi.core.models import AuditEntry
from sinergi.core.services import SYSTEM
from sinergi.insight import aggregates, services
from sinergi.insight.models import Gap, GapStatus
from sinergi.registry import services as registry_services
from sinergi.registry.choices import RuleStatus
from sinergi.registry.models import Enterprise

pytestmark = pytest.mark.django_db

PARTY_RULE = {
    "any": [{"field": "official_party_members", "min": 3}],
    "potential": [{"field": "party_members", "min": 3}],
}
DAY = datetime.date(2024, 12, 31)


def _party_rule(world):
    """The preset's party rule on the persona world's party type, through the service."""
    party = registry_services.organisation_type_save(
        actor=SYSTEM,
        org_type=world.types["party"],
        data={"founding_rule": PARTY_RULE, "member_field": "party_members"},
    )
    world.types["party"] = party
    return party


def _enterprise(world, tax_id: str, name: str) -> Enterprise:
    return registry_services.enterprise_create(
        actor=SYSTEM,
        data={
            "tax_id": tax_id,
            "name": name,
            "zone": world.zones["a"],
            "ownership": "domestic_private",
        },
    )


def _record(enterprise, day=DAY, **values):
    return registry_services.figure_record(
        actor=SYSTEM, enterprise=enterprise, as_of=day, values={"workers": 80, **values}
    )


@pytest.fixture
def party_world(world):
    """A: 2 official + 2 probationary; B: 3 official; C: an old total of 5, no split;
    D: 2 official, 1 probationary admitted in the period, 3 candidates."""
    _party_rule(world)
    found = {
        "two_two": _enterprise(world, "5300800011", "Công ty Hai Hai"),
        "three": _enterprise(world, "5300800028", "Công ty Ba"),
        "total_only": _enterprise(world, "5300800035", "Công ty Cũ"),
        "pipeline": _enterprise(world, "5300800042", "Công ty Nguồn"),
    }
    _record(found["two_two"], official_party_members=2, probationary_party_members=2)
    _record(found["three"], official_party_members=3, probationary_party_members=0)
    _record(found["total_only"], datetime.date(2022, 12, 31), party_members=5)
    _record(
        found["pipeline"],
        datetime.date(2024, 6, 30),
        official_party_members=2,
        probationary_party_members=0,
    )
    _record(
        found["pipeline"],
        official_party_members=2,
        probationary_party_members=1,
        new_party_members=1,
        admission_candidates=3,
        outstanding_masses=5,
    )
    world.found = found
    return world


def _status(world, key):
    enterprise = Enterprise.objects.select_related("latest_figure").get(pk=world.found[key].pk)
    return world.types["party"].rule_status(enterprise.latest_figure.values())


def test_two_official_and_two_probationary_is_not_eligible_and_three_official_is(party_world):
    assert _status(party_world, "two_two") == RuleStatus.POTENTIAL
    assert _status(party_world, "three") == RuleStatus.ELIGIBLE
    figure = Enterprise.objects.get(pk=party_world.found["two_two"].pk).latest_figure
    assert figure.party_members == 4  # the total follows the split


def test_an_old_total_only_figure_is_neither_eligible_nor_ruled_out(party_world):
    assert _status(party_world, "total_only") == RuleStatus.UNREPORTED
    figure = Enterprise.objects.get(pk=party_world.found["total_only"].pk).latest_figure
    assert figure.official_party_members is None and figure.probationary_party_members is None
    assert not party_world.types["party"].is_eligible(figure)


def test_the_gap_list_ranks_eligible_then_unreported_then_potential(party_world):
    aggregates.refresh()
    rows = {
        g.enterprise_id: g
        for g in Gap.objects.filter(type__code="party").select_related("type", "enterprise")
    }
    found = party_world.found
    assert rows[found["three"].pk].status == GapStatus.ELIGIBLE
    assert rows[found["total_only"].pk].status == GapStatus.UNREPORTED
    assert rows[found["two_two"].pk].status == GapStatus.POTENTIAL
    assert rows[found["three"].pk].members == 3  # ranked by official members
    ordered = [
        g.enterprise_id
        for g in Gap.objects.filter(type__code="party").order_by("rank", "-members", "pk")
    ]
    assert ordered.index(found["three"].pk) < ordered.index(found["total_only"].pk)
    assert ordered.index(found["total_only"].pk) < ordered.index(found["two_two"].pk)
    assert "not reported" in services.gap_reason(rows[found["total_only"].pk])
    # Eligible-only counts on the dashboard: the potential and unreported rows are not gaps yet.
    assert rows[found["two_two"].pk].eligible_since is None


def test_the_pipeline_says_when_probationary_members_become_official(party_world):
    aggregates.refresh(today=datetime.date(2025, 3, 1))
    gap = Gap.objects.select_related("type").get(
        enterprise=party_world.found["pipeline"], type__code="party"
    )
    assert gap.status == GapStatus.POTENTIAL
    # Admitted on or before the reporting date of 31/12/2024: official by 31/12/2025.
    assert gap.probation_ends == datetime.date(2025, 12, 31)
    text = services.gap_pipeline(gap)
    assert text.startswith("2 official, 1 probationary due to become official by")
    assert "3 candidates for admission" in text and "5 outstanding masses" in text


def test_a_split_that_does_not_add_up_is_refused(party_world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        _record(
            party_world.found["three"],
            datetime.date(2024, 6, 30),
            party_members=5,
            official_party_members=3,
            probationary_party_members=1,
        )
    assert "party_members" in error.value.message_dict


def test_a_rule_edited_in_the_app_changes_the_gap_list(party_world):
    aggregates.refresh()
    three = party_world.found["three"]
    assert Gap.objects.filter(enterprise=three, type__code="party", status="eligible").exists()
    client = party_world.client("admin")
    party = party_world.types["party"]
    response = client.post(
        reverse("registry:organisationtype_update", args=[party.pk]),
        {
            "code": "party",
            "name_id": "Organisasi partai",
            "name_en": "Party organisation",
            "name_vi": "Tổ chức đảng",
            "any_0_min": 4,
            "any_0_field": "official_party_members",
            "potential_0_min": 3,
            "potential_0_field": "party_members",
            "rule_citation": "Party Statute art. 21 (stricter local rule)",
            "member_field": "party_members",
            "sort_order": 1,
        },
        follow=True,
    )
    assert response.status_code == 200
    # The page speaks the deployment's language (Indonesian): "the gap list was refreshed".
    assert "daftar kesenjangan telah diperbarui" in response.content.decode()
    gap = Gap.objects.get(enterprise=three, type__code="party")
    assert gap.status == GapStatus.POTENTIAL  # 3 official no longer reach the new minimum
    entry = AuditEntry.objects.filter(object_id=str(party.pk)).latest("id")
    assert entry.after["founding_rule"]["any"] == [{"field": "official_party_members", "min": 4}]


def test_a_rule_edited_through_the_api_is_audited_and_refused_to_editors(party_world):
    from rest_framework.test import APIClient

    party = party_world.types["party"]
    url = reverse("api:organisationtype-detail", args=[party.pk])
    editor = APIClient()
    editor.force_authenticate(party_world.users["editor_a"])
    assert editor.patch(url, {"founding_rule": PARTY_RULE}, format="json").status_code == 403
    admin = APIClient()
    admin.force_authenticate(party_world.users["admin"])
    bad = {"founding_rule": {"any": [{"field": "nope", "min": 3}]}}
    assert admin.patch(url, bad, format="json").status_code == 400
    new_rule = {"any": [{"field": "official_party_members", "min": 2}]}
    response = admin.patch(url, {"founding_rule": new_rule}, format="json")
    assert response.status_code == 200, response.content
    party.refresh_from_db()
    assert party.founding_rule == new_rule
    assert Gap.objects.filter(
        enterprise=party_world.found["two_two"], type=party, status="eligible"
    ).exists()


def _page_rows(client, **params):
    response = client.get(reverse("insight:gap_list"), {"per_page": 200, **params})
    assert response.status_code == 200
    table = response.context["table"]
    return [(row.record.enterprise.tax_id, row.record.type.code) for row in table.page.object_list]


def test_the_cli_and_the_api_list_the_same_gaps_as_the_page(party_world):
    aggregates.refresh()
    client = party_world.client("viewer")
    for params in ({}, {"type": "party"}, {"type": "party", "zone": party_world.zones["a"].pk}):
        page = _page_rows(client, **params)
        assert page, params
        api = client.get(reverse("api:gap-list"), {"page_size": 500, **params}).json()
        assert [(r["tax_id"], r["organisation_type"]) for r in api["results"]] == page
        out = StringIO()
        args = ["gaps", "--json"]
        if "type" in params:
            args += ["--type", params["type"]]
        if "zone" in params:
            args += ["--zone", party_world.zones["a"].code]
        call_command(*args, stdout=out)
        rows = json.loads(out.getvalue())
        assert [(r["tax_id"], r["organisation_type"]) for r in rows] == page
    first = rows[0]
    assert {"tax_id", "name", "zone", "organisation_type", "figures", "reason"} <= set(first)
    assert "official_party_members" in first["figures"]


def test_the_cli_prints_a_readable_list(party_world):
    out = StringIO()
    call_command("gaps", "--type", "party", stdout=out)
    text = out.getvalue()
    assert "5300800028" in text and "rows." in text
