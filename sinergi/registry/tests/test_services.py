"""The registry's write rules: validation, permission, audit, and dated figures."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from hypothesis import given, settings
from hypothesis import strategies as st

from sinergi.core.models import AuditEntry
from sinergi.registry import services
from sinergi.registry.models import (
    Enterprise,
    Figure,
    Organisation,
    figure_rule_errors,
    figure_rule_violations,
)

pytestmark = pytest.mark.django_db

FIGURES = {
    "workers": 120,
    "women_workers": 40,
    "party_members": 4,
    "union_members": 60,
    "youth_members": 20,
    "new_party_members": 1,
}


def _record(world, persona="editor_a", enterprise="a", day=datetime.date(2023, 12, 31), **values):
    return services.figure_record(
        actor=world.users[persona],
        enterprise=world.enterprises[enterprise],
        as_of=day,
        values={**FIGURES, **values},
        source="test",
    )


def test_creating_an_enterprise_normalises_it_and_writes_an_audit_entry(world):
    enterprise = services.enterprise_create(
        actor=world.users["editor_a"],
        data={
            "tax_id": " 5300100059 ",
            "name": "Công ty  Cổ phần Đông Phố Mới",
            "zone": world.zones["a"],
            "ownership": "domestic_private",
        },
    )
    assert enterprise.tax_id == "5300100059"
    assert enterprise.name == "Công ty Cổ phần Đông Phố Mới"
    assert "dong pho moi" in enterprise.search_text
    entry = AuditEntry.objects.for_object(enterprise).get()
    assert entry.actor == world.users["editor_a"]
    assert entry.actor_unit == world.units["ezb_dept"]
    assert entry.before is None and entry.after["tax_id"] == "5300100059"


def test_decomposed_accents_are_stored_as_nfc(world):
    decomposed = "Cong ty Pho\u0302\u0301 Mo\u031b\u0301i"  # "Phố Mới" typed with combining marks
    enterprise = services.enterprise_create(
        actor=world.users["editor_a"],
        data={
            "tax_id": "5300100060",
            "name": decomposed,
            "zone": world.zones["a"],
            "ownership": "other",
        },
    )
    assert enterprise.name == "Cong ty Phố Mới"


def test_a_duplicate_tax_id_is_refused_at_the_field_and_nothing_is_saved(world):
    before = Enterprise.objects.count()
    with pytest.raises(ValidationError) as error:
        services.enterprise_create(
            actor=world.users["editor_a"],
            data={
                "tax_id": "5300100003",
                "name": "Another",
                "zone": world.zones["a"],
                "ownership": "other",
            },
        )
    assert "tax_id" in error.value.message_dict
    assert Enterprise.objects.count() == before


def test_an_invalid_tax_id_is_refused_at_the_field(world):
    with pytest.raises(ValidationError) as error:
        services.enterprise_create(
            actor=world.users["editor_a"],
            data={"tax_id": "12345", "name": "X", "zone": world.zones["a"], "ownership": "other"},
        )
    assert "tax_id" in error.value.message_dict


def test_an_editor_cannot_register_an_enterprise_in_a_zone_of_another_unit(world):
    with pytest.raises(PermissionDenied):
        services.enterprise_create(
            actor=world.users["editor_a"],
            data={
                "tax_id": "5300100061",
                "name": "X",
                "zone": world.zones["b"],
                "ownership": "other",
            },
        )


@pytest.mark.parametrize("persona", ["viewer", "editor_b"])
def test_only_the_zone_managers_change_an_enterprise(world, persona):
    with pytest.raises(PermissionDenied):
        services.enterprise_update(
            actor=world.users[persona], enterprise=world.enterprises["a"], data={"sector": "x"}
        )


def test_a_coordinator_changes_enterprises_in_zones_of_their_body(world):
    services.enterprise_update(
        actor=world.users["coordinator"],
        enterprise=world.enterprises["a"],
        data={"sector": "Cơ khí"},
    )
    with pytest.raises(PermissionDenied):
        services.enterprise_update(
            actor=world.users["coordinator"],
            enterprise=world.enterprises["b"],
            data={"sector": "x"},
        )


def test_renaming_keeps_the_old_name_among_former_names_and_audits_the_change(world):
    enterprise = world.enterprises["a"]
    services.enterprise_update(
        actor=world.users["editor_a"], enterprise=enterprise, data={"name": "Công ty Mới"}
    )
    enterprise.refresh_from_db()
    assert enterprise.former_names == ["Công ty TNHH Điện tử Phố Mới"]
    entry = AuditEntry.objects.for_object(enterprise).first()
    assert entry.before["name"] == "Công ty TNHH Điện tử Phố Mới"
    assert entry.after["name"] == "Công ty Mới"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"women_workers": 121}, "women_workers"),
        ({"party_members": 130}, "party_members"),
        ({"union_members": 121}, "union_members"),
    ],
)
def test_members_above_the_workforce_are_refused_at_the_field(world, values, field):
    with pytest.raises(ValidationError) as error:
        _record(world, **values)
    assert field in error.value.message_dict
    assert not Figure.objects.exists()


def test_negative_figures_are_refused(world):
    with pytest.raises(ValidationError) as error:
        _record(world, workers=-1)
    assert "workers" in error.value.message_dict


def test_figures_dated_in_the_future_are_refused(world):
    with pytest.raises(ValidationError) as error:
        _record(world, day=timezone.localdate() + datetime.timedelta(days=1))
    assert "as_of" in error.value.message_dict
    assert not Figure.objects.exists()


def test_recording_again_for_a_date_supersedes_and_keeps_the_earlier_version(world):
    first = _record(world)
    second = _record(world, workers=130)
    assert Figure.objects.count() == 2
    first.refresh_from_db()
    assert first.superseded_at is not None and second.superseded_at is None
    enterprise = world.enterprises["a"]
    enterprise.refresh_from_db()
    assert enterprise.latest_figure == second


def test_deleting_the_newest_figure_clears_the_pointer_to_it(world):
    # The pointer has no constraint in the database (docs/decisions/0007): Django clears it.
    figure = _record(world)
    enterprise = world.enterprises["a"]
    enterprise.refresh_from_db()
    assert enterprise.latest_figure == figure
    Figure.objects.filter(pk=figure.pk).delete()
    enterprise.refresh_from_db()
    assert enterprise.latest_figure_id is None


def test_renaming_through_the_form_data_also_keeps_the_old_name(world):
    enterprise = world.enterprises["a"]
    services.enterprise_update(
        actor=world.users["editor_a"],
        enterprise=enterprise,
        data={"name": "Công ty Mới", "former_names": []},
    )
    assert enterprise.former_names == ["Công ty TNHH Điện tử Phố Mới"]


def test_recording_figures_audits_the_new_version_against_the_previous_one(world):
    _record(world)
    _record(world, workers=130)
    entry = AuditEntry.objects.filter(action="record").first()
    assert (entry.before["workers"], entry.after["workers"]) == (120, 130)
    assert entry.object_url() == world.enterprises["a"].get_absolute_url() + "#figures"


def test_the_system_can_record_figures_without_a_user(world):
    from sinergi.core.services import SYSTEM

    figure = services.figure_record(
        actor=SYSTEM,
        enterprise=world.enterprises["a"],
        as_of=datetime.date(2023, 12, 31),
        values={"workers": 3},
    )
    assert figure.recorded_by is None


def test_recording_the_same_values_again_changes_nothing(world):
    first = _record(world)
    assert _record(world) == first
    assert Figure.objects.count() == 1


def test_as_of_returns_what_was_known_for_a_date_whatever_was_edited_later(world):
    _record(world, day=datetime.date(2023, 6, 30), workers=100, party_members=2)
    _record(world, day=datetime.date(2023, 12, 31), workers=120)
    moment_of_report = timezone.now()
    # Later: a correction of the December figures, and a new reporting date.
    _record(world, day=datetime.date(2023, 12, 31), workers=125)
    _record(world, day=datetime.date(2024, 6, 30), workers=140)

    def workers(day, known_at=None):
        return list(Figure.objects.as_of(day, known_at).values_list("workers", flat=True))

    assert workers(datetime.date(2023, 9, 30)) == [100]
    assert workers(datetime.date(2023, 12, 31)) == [125]
    assert workers(datetime.date(2023, 12, 31), known_at=moment_of_report) == [120]
    assert workers(datetime.date(2024, 12, 31)) == [140]
    assert workers(datetime.date(2022, 12, 31)) == []


def test_an_organisation_cannot_be_dissolved_before_it_was_founded(world):
    with pytest.raises(ValidationError) as error:
        services.organisation_create(
            actor=world.users["editor_a"],
            enterprise=world.enterprises["a"],
            data={
                "type": world.types["party"],
                "name": "Chi bộ",
                "founded_on": datetime.date(2023, 5, 1),
                "dissolved_on": datetime.date(2022, 1, 1),
            },
        )
    assert "dissolved_on" in error.value.message_dict
    assert not Organisation.objects.exists()


def test_founding_an_organisation_is_audited_and_shows_as_present(world):
    organisation = services.organisation_create(
        actor=world.users["editor_a"],
        enterprise=world.enterprises["a"],
        data={
            "type": world.types["union"],
            "name": "Công đoàn cơ sở",
            "founded_on": datetime.date(2023, 5, 1),
        },
    )
    assert AuditEntry.objects.for_object(organisation).get().action == "create"
    flagged = Enterprise.objects.with_organisation_flags(world.types.values()).get(
        pk=world.enterprises["a"].pk
    )
    assert flagged.has_trade_union is True and flagged.has_party is False


def test_a_dissolved_organisation_no_longer_counts(world):
    services.organisation_create(
        actor=world.users["editor_a"],
        enterprise=world.enterprises["a"],
        data={
            "type": world.types["union"],
            "name": "Công đoàn",
            "founded_on": datetime.date(2020, 1, 1),
            "dissolved_on": datetime.date(2023, 1, 1),
        },
    )
    lacking = Enterprise.objects.having_organisation(world.types["union"], present=False)
    assert world.enterprises["a"] in lacking


def test_eligibility_follows_the_founding_rule_data(world):
    figure = _record(world, party_members=3)
    assert world.types["party"].is_eligible(figure)
    figure = _record(world, party_members=2)
    assert not world.types["party"].is_eligible(figure)
    assert world.types["union"].is_eligible(figure)  # 120 workers >= 5


def test_zones_are_configured_by_administrators_only(world):
    with pytest.raises(PermissionDenied):
        services.zone_update(
            actor=world.users["coordinator"], zone=world.zones["a"], data={"name": "X"}
        )


def test_a_park_cannot_sit_directly_under_nothing(world):
    with pytest.raises(ValidationError):
        services.zone_create(
            actor=world.users["admin"], data={"code": "x", "name": "X", "kind": "industrial_park"}
        )


FIGURE_VALUES = st.one_of(st.none(), st.integers(0, 20))
WITHIN = ("women_workers", "party_members", "union_members")


@settings(max_examples=200, deadline=None)
@given(
    sets=st.lists(
        st.fixed_dictionaries({}, optional={name: FIGURE_VALUES for name in ("workers", *WITHIN)}),
        max_size=8,
    )
)
def test_the_figure_rules_find_every_count_above_the_workers_row_by_row(sets):
    # Columns as an import builds them: every set has the same fields (absent ones are None).
    fields = {name for values in sets for name in values}
    columns = {name: [values.get(name) for values in sets] for name in fields}
    with translation.override("en"):
        found = figure_rule_violations(columns)
        by_set = [figure_rule_errors(values) for values in sets]
    expected = [
        (k, field)
        for k, values in enumerate(sets)
        for field in WITHIN
        if values.get("workers") is not None
        and values.get(field) is not None
        and values[field] > values["workers"]
    ]
    assert [(k, field) for k, field, _message in found] == expected
    assert [(k, field) for k, errors in enumerate(by_set) for field in errors] == expected
    assert all(message.endswith("cannot exceed workers.") for *_kf, message in found)
