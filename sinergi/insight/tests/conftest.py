import datetime

import pytest
from django.utils import translation

from sinergi.core.services import SYSTEM
from sinergi.programs.testing import ProgramWorld, build_program
from sinergi.registry import services as registry_services


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def program(world) -> ProgramWorld:
    return build_program(world)


def record(enterprise, day: datetime.date, **values):
    full = {
        "workers": None,
        "women_workers": None,
        "party_members": None,
        "union_members": None,
        "youth_members": None,
        "new_party_members": None,
        **values,
    }
    return registry_services.figure_record(
        actor=SYSTEM, enterprise=enterprise, as_of=day, values=full, source="test"
    )


@pytest.fixture
def figures(world):
    """Enterprise A: party members 2 → 3 → 4 over three dates, 40 workers, no union members
    (eligible for a party organisation since the second date, and for a union through its
    workers). Enterprise B: 3 workers, 1 party member (eligible for nothing)."""
    a, b = world.enterprises["a"], world.enterprises["b"]
    record(a, datetime.date(2023, 6, 30), workers=38, party_members=2, union_members=0)
    record(a, datetime.date(2023, 12, 31), workers=39, party_members=3, union_members=0)
    record(
        a,
        datetime.date(2024, 6, 30),
        workers=40,
        party_members=4,
        union_members=0,
        new_party_members=1,
    )
    record(b, datetime.date(2024, 6, 30), workers=3, party_members=1, union_members=0)
    for e in (a, b):
        e.refresh_from_db()
    return world
