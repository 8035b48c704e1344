"""Data-quality rules: left side, operator, right side; the enterprises breaking each."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from sinergi.core.models import AuditEntry
from sinergi.core.services import SYSTEM
from sinergi.insight import aggregates, quality, services
from sinergi.insight.models import QualityRule, Violation
from sinergi.insight.tests.conftest import record
from sinergi.registry import services as registry_services

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2024, 9, 30)


def _rule(**fields) -> QualityRule:
    rule = QualityRule(name="r", **fields)
    rule.full_clean()
    rule.save()
    return rule


def _broken(rule, today=TODAY) -> dict[int, str]:
    return {v.enterprise_id: v.detail for v in quality.evaluate(rule, today)}


def test_the_issues_rules_are_installed(db):
    expressions = {(r.left, r.operator, r.right) for r in QualityRule.objects.all()}
    assert ("party_members", "le", "workers") in expressions
    assert ("women_workers", "le", "workers") in expressions
    assert ("union_members", "le", "workers") in expressions
    assert ("figures_age_months", "le", "18") in expressions
    assert ("zone", "is_set", "") in expressions
    assert ("name", "is_unique", "") in expressions


def test_a_figure_compared_with_a_number(figures):
    rule = _rule(left="workers", operator="ge", right="10")
    assert _broken(rule) == {figures.enterprises["b"].pk: "3 < 10"}


def test_a_figure_compared_with_another_figure(world):
    a = world.enterprises["a"]
    record(a, datetime.date(2024, 6, 30), workers=50, women_workers=5, youth_members=12)
    rule = _rule(left="youth_members", operator="le", right="women_workers")
    assert _broken(rule) == {a.pk: "12 > 5"}
    assert _broken(_rule(left="youth_members", operator="le", right="workers")) == {}


def test_figures_older_than_n_months_and_missing_figures(world):
    a, b = world.enterprises["a"], world.enterprises["b"]
    record(a, datetime.date(2022, 12, 31), workers=10)
    rule = _rule(left="figures_age_months", operator="le", right="18")
    assert _broken(rule) == {a.pk: "newest figures of 2022-12-31", b.pk: "no figures"}
    record(a, datetime.date(2024, 6, 30), workers=10)
    assert set(_broken(rule)) == {b.pk}


def test_an_enterprise_without_zone(world):
    lost = registry_services.enterprise_create(
        actor=SYSTEM, data={"tax_id": "5300100052", "name": "Không khu", "ownership": "other"}
    )
    assert set(_broken(_rule(left="zone", operator="is_set", right=""))) == {lost.pk}


def test_likely_duplicates_by_name_ignore_case_and_accents(world):
    twin = registry_services.enterprise_create(
        actor=SYSTEM,
        data={
            "tax_id": "5300100069",
            "name": "CONG TY TNHH DIEN TU PHO MOI",
            "zone": world.zones["a"],
            "ownership": "other",
        },
    )
    broken = _broken(_rule(left="name", operator="is_unique", right=""))
    assert set(broken) == {twin.pk, world.enterprises["a"].pk}
    assert broken[twin.pk] == "same name as 1 other(s)"


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"left": "zone", "operator": "le", "right": "3"}, "operator"),
        ({"left": "name", "operator": "is_set", "right": ""}, "operator"),
        ({"left": "workers", "operator": "is_unique", "right": ""}, "operator"),
        ({"left": "workers", "operator": "le", "right": "lots"}, "right"),
        ({"left": "figures_age_months", "operator": "le", "right": "workers"}, "right"),
        ({"left": "zone", "operator": "is_set", "right": "1"}, "right"),
    ],
)
def test_rules_that_make_no_sense_are_refused(db, fields, field):
    with pytest.raises(ValidationError) as error:
        QualityRule(name="x", **fields).full_clean()
    assert field in error.value.message_dict


def test_rules_are_saved_by_coordinators_with_an_audit_entry(world):
    data = {"name": "Enough workers", "left": "workers", "operator": "ge", "right": "1"}
    data |= {"active": True, "sort_order": 9}
    with pytest.raises(PermissionDenied):
        services.quality_rule_save(actor=world.users["viewer"], data=data)
    rule = services.quality_rule_save(actor=world.users["coordinator"], data=data)
    assert AuditEntry.objects.filter(object_id=str(rule.pk), action="create").exists()
    with pytest.raises(ValidationError):
        services.quality_rule_save(
            actor=world.users["coordinator"], rule=rule, data={**data, "right": "x"}
        )


def test_the_refresh_stores_violations_and_their_counts(world):
    lost = registry_services.enterprise_create(
        actor=SYSTEM, data={"tax_id": "5300100052", "name": "Không khu", "ownership": "other"}
    )
    snapshot = aggregates.refresh()
    zone_rule = QualityRule.objects.get(left="zone")
    assert list(Violation.objects.filter(rule=zone_rule).values_list("enterprise", flat=True)) == [
        lost.pk
    ]
    assert snapshot.data["rule_counts"][str(zone_rule.pk)] == 1


def test_the_default_rules_read_in_the_readers_language_until_renamed():
    rule = QualityRule(name="Party members within workers")
    with translation.override("vi"):
        assert str(rule) == "Số đảng viên không vượt quá số lao động"
    with translation.override("id"):
        assert str(rule) == "Anggota partai tidak melebihi pekerja"
    assert str(QualityRule(name="Quy tắc riêng")) == "Quy tắc riêng"
