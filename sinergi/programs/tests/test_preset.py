"""The Lào Cai preset's program and the demo's first year of it."""

import datetime

import pytest
from django.core.management import call_command

from sinergi.core.models import AuditEntry
from sinergi.programs.models import Activity, IndicatorValue, Program, ProgressReport, Task

pytestmark = pytest.mark.django_db


def test_the_preset_holds_the_2023_2025_program_with_the_areas_of_the_source():
    call_command("init", "--preset", "lao-cai")
    program = Program.objects.get(code="ctph-2023-2025")
    assert (program.starts_on, program.ends_on) == (
        datetime.date(2023, 5, 1),
        datetime.date(2025, 12, 31),
    )
    assert {u.code for u in program.parties.all()} == {
        "bloc-party-committee",
        "economic-zone-board",
    }
    assert {u.code for u in program.overseers.all()} == {
        "provincial-party-committee",
        "project-24-steering-committee",
    }
    titles = [area.title for area in program.areas.all()]
    assert len(titles) == 6
    assert "Rà soát, thống kê" in titles[2] and "Đề án 24" in titles[5]
    rules = set(program.indicators.values_list("rule", flat=True))
    assert rules == {
        "enterprises_with_organisation",
        "organisations_founded",
        "new_party_members",
        "eligible_share_with_organisation",
        "people_reached",
        "",
    }
    assert program.periods.filter(kind="quarter").count() == 11
    assert not Task.objects.exists()


def test_applying_the_program_preset_twice_changes_nothing():
    call_command("init", "--preset", "lao-cai")
    before = AuditEntry.objects.count()
    call_command("init", "--preset", "lao-cai")
    assert AuditEntry.objects.count() == before


def test_the_demo_fills_the_first_year_once(settings):
    call_command("demo", "--count", "30")
    program = Program.objects.get(code="ctph-2023-2025")
    assert Task.objects.filter(area__program=program).count() == 12
    reports = ProgressReport.objects.leads()
    assert reports.filter(status="acknowledged").count() > 20
    assert reports.filter(status="submitted").count() == 1
    assert reports.filter(status="returned").count() == 1
    assert not reports.filter(period__ends_on__gt=datetime.date(2024, 5, 16)).exists()
    assert Activity.objects.filter(held_on__lte=datetime.date(2024, 5, 16)).count() >= 12
    assert IndicatorValue.objects.filter(report__isnull=False).exists()
    assert program.indicators.get(code="dn-co-to-chuc-dang").yearly_targets
    counts = (ProgressReport.objects.count(), AuditEntry.objects.count())
    call_command("demo", "--count", "30")
    assert (ProgressReport.objects.count(), AuditEntry.objects.count()) == counts
