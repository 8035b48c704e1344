"""The registry as a table: today's rows read the newest figures through each enterprise's pointer
to them, and must be the rows the dated reading gives for today."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from sinergi.core.services import SYSTEM
from sinergi.registry import exporting
from sinergi.registry import services as registry_services
from sinergi.registry.models import Enterprise, Figure, Organisation, OrganisationType

pytestmark = pytest.mark.django_db


def _record(enterprise, day, **values):
    full = {"workers": None, "party_members": None, "union_members": None, **values}
    registry_services.figure_record(
        actor=SYSTEM, enterprise=enterprise, as_of=day, values=full, source="test"
    )


def test_todays_rows_through_the_pointer_are_the_dated_readings_rows(world):
    a, b = world.enterprises["a"], world.enterprises["b"]
    _record(a, datetime.date(2023, 6, 30), workers=30, party_members=2)
    _record(a, datetime.date(2024, 6, 30), workers=40, party_members=3)
    _record(a, datetime.date(2024, 6, 30), workers=41, party_members=3)  # a correction
    _record(b, datetime.date(2023, 12, 31), workers=5)
    registry_services.organisation_create(
        actor=SYSTEM,
        enterprise=a,
        data={"type": world.types["union"], "name": "Công đoàn cơ sở"},
    )
    Enterprise.objects.filter(pk=a.pk).update(latitude="22.48123", longitude="103.97051")
    today = timezone.localdate()
    types = list(OrganisationType.objects.all())
    with translation.override("en"):
        header = exporting.enterprise_header(types)
        through_pointer = list(exporting.rows_as_of(today, types))
        dated = list(
            exporting._rows(
                Enterprise.objects.order_by("name", "id"),
                Figure.objects.as_of(today),
                Organisation.objects.active_on(today),
                types,
                status_day=today,
            )
        )
        listed = list(exporting.current_rows(Enterprise.objects.order_by("name", "id"), types))
        past = list(exporting.rows_as_of(datetime.date(2023, 12, 31), types))
    assert through_pointer == dated == listed
    workers = header.index("Workers")
    by_tax = {row[0]: row for row in through_pointer}
    assert by_tax[a.tax_id][workers] == 41 and by_tax[b.tax_id][workers] == 5
    assert by_tax[a.tax_id][header.index("Trade union")] == "yes"
    # The location goes out as numbers the import reads back (b has none).
    place = slice(header.index("Latitude"), header.index("Longitude") + 1)
    assert by_tax[a.tax_id][place] == [22.48123, 103.97051] and by_tax[b.tax_id][place] == [
        None,
        None,
    ]
    # A past day still reads the figures of that day (the dated reading).
    assert {row[0]: row[workers] for row in past}[a.tax_id] == 30
