from decimal import Decimal

import pytest
from django.core.management import call_command

from sinergi.accounts.models import Unit, User
from sinergi.core.models import AuditEntry
from sinergi.insight.models import Snapshot
from sinergi.presets.demo import DEMO_PASSWORD, DEMO_USERS
from sinergi.registry.models import Enterprise, Figure, Organisation, OrganisationType, Zone

pytestmark = pytest.mark.django_db


def test_the_lao_cai_preset_creates_the_provinces_units_zones_and_rules_only():
    call_command("init", "--preset", "lao-cai", stdout=None)
    parks = {z.short_name: z.area_ha for z in Zone.objects.filter(parent__code="lao-cai-border-ez")}
    assert parks == {
        "KCN Bắc Duyên Hải": Decimal("85.00"),
        "KCN Đông Phố Mới": Decimal("100.00"),
        "Khu TM-CN Kim Thành": Decimal("184.00"),
        "KCN Tằng Loỏng": Decimal("1100.00"),
    }
    assert Zone.objects.get(code="lao-cai-border-ez").area_ha == Decimal("15929.80")
    assert "Đông Phố Mới" in Zone.objects.get(code="kcn-dong-pho-moi").aliases
    party = OrganisationType.objects.get(code="party")
    assert party.rule_conditions() == [{"field": "official_party_members", "min": 3}]
    assert party.potential_conditions() == [{"field": "party_members", "min": 3}]
    assert "Điều 21" in party.rule_citation
    assert Unit.objects.filter(kind="body").count() == 2
    assert not User.objects.exists() and not Enterprise.objects.exists()


def test_applying_the_preset_twice_changes_nothing():
    call_command("init", "--preset", "lao-cai")
    counts = (Unit.objects.count(), Zone.objects.count(), AuditEntry.objects.count())
    call_command("init", "--preset", "lao-cai")
    assert (Unit.objects.count(), Zone.objects.count(), AuditEntry.objects.count()) == counts


def test_the_demo_is_realistic_labelled_and_loaded_once():
    call_command("demo", "--count", "40")
    assert Enterprise.objects.count() == 40
    # The dashboard's figures are computed by the command, not by the first visitor's page.
    assert Snapshot.objects.count() == 1
    users = User.objects.filter(is_demo=True)
    assert {u.username for u in users} == {spec["username"] for spec in DEMO_USERS}
    assert all(u.check_password(DEMO_PASSWORD) for u in users)
    assert {u.role for u in users} == {"admin", "coordinator", "editor", "viewer"}
    dates = Figure.objects.values_list("as_of", flat=True).distinct()
    assert len(dates) >= 4
    party = Organisation.objects.filter(type__code="party").count()
    unions = Organisation.objects.filter(type__code="trade-union").count()
    assert party < unions
    counts = (Enterprise.objects.count(), Figure.objects.count(), AuditEntry.objects.count())
    call_command("demo", "--count", "40")
    assert (
        Enterprise.objects.count(),
        Figure.objects.count(),
        AuditEntry.objects.count(),
    ) == counts


def test_demo_names_stay_unique_after_the_foreign_invested_combinations_run_out():
    """One legal form, a few brands and sectors: a province of thousands of enterprises asks for
    more foreign-invested names than there are combinations (bench/report.py --enterprises 5000
    looped forever)."""
    import random

    from sinergi.presets.demo import FOREIGN_BRANDS, _name

    rng, used = random.Random(7), set()
    count = len(FOREIGN_BRANDS) * 9 * 3  # more than a single sector's combinations
    names = [_name(rng, "foreign_invested", "Dệt may", used) for _ in range(count)]
    assert len(set(names)) == count
