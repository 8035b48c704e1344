"""Apply a preset's program (see sinergi/presets/lao_cai_program.py) through the services.

Applying twice changes nothing: the program is matched by code, its areas by number and its
indicators by code, and each is only written when it differs.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

from sinergi.accounts.models import Unit
from sinergi.core.services import SYSTEM
from sinergi.programs import services
from sinergi.programs.models import Area, Indicator, Program
from sinergi.registry.models import OrganisationType, Zone


def _differs(obj, data: dict[str, Any]) -> bool:
    for key, value in data.items():
        current = getattr(obj, key)
        if hasattr(current, "all"):  # a many-to-many manager
            if {o.pk for o in current.all()} != {o.pk for o in value}:
                return True
        elif current != value:
            return True
    return False


def _write(counts: dict[str, int], existing, create, update, data: dict[str, Any]):
    if existing is None:
        counts["created"] += 1
        return create(data)
    if _differs(existing, data):
        counts["updated"] += 1
        return update(existing, data)
    return existing


def apply_program(
    preset: ModuleType,
    counts: dict[str, int],
    adjust: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> Program:
    """Create or bring up to date the preset's program, its areas and its indicators.
    `adjust` rewrites the program's own fields first (the demo moves its dates and years)."""
    data = {
        **(adjust(preset.PROGRAM) if adjust else preset.PROGRAM),
        "parties": list(Unit.objects.filter(code__in=preset.PARTIES)),
        "overseers": list(Unit.objects.filter(code__in=preset.OVERSEERS)),
        "zones": list(Zone.objects.filter(code__in=preset.ZONES)),
    }
    program = _write(
        counts,
        Program.objects.filter(code=data["code"]).first(),
        lambda d: services.program_create(actor=SYSTEM, data=d),
        lambda p, d: services.program_update(actor=SYSTEM, program=p, data=d),
        data,
    )
    areas = {}
    for area_data in preset.AREAS:
        areas[area_data["number"]] = _write(
            counts,
            Area.objects.filter(program=program, number=area_data["number"]).first(),
            lambda d: services.area_create(actor=SYSTEM, program=program, data=d),
            lambda a, d: services.area_update(actor=SYSTEM, area=a, data=d),
            area_data,
        )
    types = {t.code: t for t in OrganisationType.objects.all()}
    for indicator_data in preset.INDICATORS:
        values = {
            **indicator_data,
            "area": areas.get(indicator_data.get("area")),
            "organisation_type": types.get(indicator_data.get("organisation_type") or ""),
        }
        if values["rule"]:
            values.pop("measure", None)  # the rule decides
        _write(
            counts,
            Indicator.objects.filter(program=program, code=values["code"]).first(),
            lambda d: services.indicator_create(actor=SYSTEM, program=program, data=d),
            lambda i, d: services.indicator_update(actor=SYSTEM, indicator=i, data=d),
            values,
        )
    return program
