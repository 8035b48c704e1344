"""Test helpers: a review conference of the test program (sinergi/programs/testing.py).

The review covers the program's first year to 31 March 2024; the registry of the persona world
gets figures and organisations that the report's tables must show.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from sinergi.core.services import SYSTEM
from sinergi.core.testing import World
from sinergi.programs.models import Program
from sinergi.programs.testing import ProgramWorld, build_program
from sinergi.registry import services as registry_services
from sinergi.reviews import services
from sinergi.reviews.models import Attendee, Review

PERIOD_START, PERIOD_END = datetime.date(2023, 5, 1), datetime.date(2024, 3, 31)
HELD_ON = datetime.date(2024, 5, 16)


@dataclass
class ReviewWorld:
    program: ProgramWorld
    review: Review
    chair: Attendee
    delegate: Attendee


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def fill_registry(world: World) -> None:
    """Figures of both enterprises before and within the period, and a party cell in A."""
    a, b = world.enterprises["a"], world.enterprises["b"]
    for enterprise, day, values in (
        (a, datetime.date(2022, 12, 31), {"workers": 100, "party_members": 2, "union_members": 60}),
        (
            a,
            datetime.date(2023, 12, 31),
            {"workers": 120, "party_members": 4, "union_members": 80, "new_party_members": 2},
        ),
        (
            b,
            datetime.date(2023, 12, 31),
            {"workers": 300, "party_members": 1, "union_members": 200, "new_party_members": 1},
        ),
    ):
        registry_services.figure_record(
            actor=SYSTEM,
            enterprise=enterprise,
            as_of=day,
            values=values,
            source="test",
            recorded_at=at(day + datetime.timedelta(days=10)),
        )
    registry_services.organisation_create(
        actor=SYSTEM,
        enterprise=a,
        data={
            "type": world.types["party"],
            "name": "Chi bộ Điện tử Phố Mới",
            "founded_on": datetime.date(2023, 9, 1),
        },
    )
    registry_services.organisation_create(
        actor=SYSTEM,
        enterprise=b,
        data={
            "type": world.types["union"],
            "name": "Công đoàn cơ sở Hóa chất",
            "founded_on": datetime.date(2019, 1, 1),
        },
    )


def build_review(world: World, program: ProgramWorld | None = None) -> ReviewWorld:
    existing = Program.objects.filter(code="ctph-test").first()
    if program is None:
        program = build_program(world) if existing is None else ProgramWorld(program=existing)
    fill_registry(world)
    review = services.review_create(
        actor=SYSTEM,
        program=program.program,
        data={
            "kind": "annual",
            "title": "Hội nghị sơ kết 1 năm thực hiện Chương trình phối hợp",
            "number": "12-BC/ĐUK",
            "period_start": PERIOD_START,
            "period_end": PERIOD_END,
            "held_on": HELD_ON,
            "place": "Lào Cai",
            "venue": "Hội trường Ban Quản lý KKT",
            "chair": "Đồng chí Bí thư Đảng ủy Khối",
            "agenda": "Báo cáo kết quả 1 năm\nThảo luận\nKết luận",
        },
    )
    chair = services.attendee_add(
        actor=SYSTEM,
        review=review,
        data={"name": "Nguyễn Văn Ánh", "unit": world.units["bloc"], "position": "Bí thư"},
    )
    delegate = services.attendee_add(
        actor=SYSTEM,
        review=review,
        data={"name": "Trần Thị Bình", "unit": world.units["ezb_dept"], "position": "Trưởng phòng"},
    )
    return ReviewWorld(program=program, review=review, chair=chair, delegate=delegate)
