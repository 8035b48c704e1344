"""Test helpers: a coordination program laid over the persona world.

The two bodies of the world are the parties, the provincial committee (the viewer's unit) is
the committee the program reports to. Task B is led by the Bloc's department (editor_b) and
supported by the Economic Zone Board's (editor_a), so the world's coordinator, of the Economic
Zone Board, is its partner and signs it off. Task A is the mirror image, signed off by the Bloc's
coordinator, whom this helper adds.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from sinergi.accounts.models import User
from sinergi.core.services import SYSTEM
from sinergi.core.testing import PASSWORD, World, _unit, _user
from sinergi.programs import services
from sinergi.programs.models import Area, Indicator, Program, ReportingPeriod, Task

START, END = datetime.date(2023, 5, 1), datetime.date(2025, 12, 31)


@dataclass
class ProgramWorld:
    program: Program
    areas: dict[str, Area] = field(default_factory=dict)
    tasks: dict[str, Task] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)

    def period(self, kind: str, year: int, number: int) -> ReportingPeriod:
        return self.program.periods.get(kind=kind, year=year, number=number)


def build_program(world: World) -> ProgramWorld:
    """The program, two areas, a quarterly task of each body and two indicators."""
    program = services.program_create(
        actor=SYSTEM,
        data={
            "code": "ctph-test",
            "title": "Chương trình phối hợp thử 2023 - 2025",
            "basis_number": "01-CTPH/TEST",
            "basis_date": datetime.date(2023, 4, 20),
            "starts_on": START,
            "ends_on": END,
            "status": "active",
            "parties": [world.units["ezb"], world.units["bloc"]],
            "overseers": [world.units["committee"]],
            "zones": [world.zones["ez"]],
        },
    )
    mobilisation = services.area_create(
        actor=SYSTEM, program=program, data={"title": "Tuyên truyền, vận động"}
    )
    survey = services.area_create(
        actor=SYSTEM, program=program, data={"title": "Rà soát, thống kê doanh nghiệp"}
    )
    surveyed = services.indicator_create(
        actor=SYSTEM,
        program=program,
        data={
            "code": "surveyed",
            "name": "Doanh nghiệp được khảo sát",
            "unit_of_measure": "doanh nghiệp",
            "area": survey,
            "measure": "flow",
            "period_kind": "quarter",
            "yearly_targets": {"2023": "10", "2024": "20"},
            "target": "50",
        },
    )
    party = services.indicator_create(
        actor=SYSTEM,
        program=program,
        data={
            "code": "party-enterprises",
            "name": "Doanh nghiệp có tổ chức đảng",
            "unit_of_measure": "doanh nghiệp",
            "rule": "enterprises_with_organisation",
            "organisation_type": world.types["party"],
            "period_kind": "quarter",
        },
    )
    task_b = services.task_create(
        actor=SYSTEM,
        program=program,
        data={
            "area": survey,
            "title": "Rà soát doanh nghiệp hằng quý",
            "lead_unit": world.units["bloc_dept"],
            "supporting_units": [world.units["ezb_dept"]],
            "responsible": world.users["editor_b"],
            "starts_on": START,
            "recurrence": "quarterly",
            "indicators": [surveyed],
            "zones": [world.zones["b"]],
        },
    )
    task_a = services.task_create(
        actor=SYSTEM,
        program=program,
        data={
            "area": mobilisation,
            "title": "Hội nghị tuyên truyền cho chủ doanh nghiệp",
            "lead_unit": world.units["ezb_dept"],
            "supporting_units": [world.units["bloc_dept"]],
            "starts_on": START,
            "recurrence": "quarterly",
            "due_on": datetime.date(2024, 12, 31),
        },
    )
    coordinator_b = _user("coordinator_b", "coordinator", world.units["bloc"])
    return ProgramWorld(
        program=program,
        areas={"mobilisation": mobilisation, "survey": survey},
        tasks={"a": task_a, "b": task_b},
        indicators={"surveyed": surveyed, "party": party},
        users={"coordinator_b": coordinator_b},
    )


def outsider(world: World) -> User:
    """A coordinator of a third body that is no party to the program and oversees nothing."""
    body = _unit("other-body", "Another body", "body")
    return _user("outsider", "coordinator", body)


__all__ = ["PASSWORD", "ProgramWorld", "build_program", "outsider"]
