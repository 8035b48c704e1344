"""Apply a preset through the services, so it is validated and audited like any other write.

Applying twice changes nothing: existing rows are matched by code and only updated when they differ.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from importlib import import_module
from typing import Any

from django.db import transaction

from sinergi.accounts import services as account_services
from sinergi.accounts.models import Unit
from sinergi.core.services import SYSTEM
from sinergi.programs.preset import apply_program
from sinergi.registry import services as registry_services
from sinergi.registry.models import OrganisationType, Zone
from sinergi.reviews.preset import apply_document_setup

PRESETS = {"lao-cai": "sinergi.presets.lao_cai"}
# The coordination program a preset holds, kept apart from its units, zones and rules.
PROGRAM_PRESETS = {"lao-cai": "sinergi.presets.lao_cai_program"}


def load_preset(name: str):
    try:
        return import_module(PRESETS[name])
    except KeyError:
        raise ValueError(f"Unknown preset {name!r}; known: {', '.join(sorted(PRESETS))}") from None


def _differs(obj, data: dict) -> bool:
    for key, value in data.items():
        current = getattr(obj, key)
        if isinstance(current, Decimal) and value is not None:
            value = Decimal(value)
        if current != value:
            return True
    return False


def _apply_units(nodes, parent, counts) -> None:
    for node in nodes:
        data = {k: v for k, v in node.items() if k != "children"}
        data["parent"] = parent
        unit = Unit.objects.filter(code=data["code"]).first()
        if unit is None:
            unit = account_services.unit_create(actor=SYSTEM, data=data)
            counts["created"] += 1
        elif _differs(unit, data):
            account_services.unit_update(actor=SYSTEM, unit=unit, data=data)
            counts["updated"] += 1
        _apply_units(node.get("children", []), unit, counts)


def _apply_zones(nodes, parent, managing_unit, counts) -> None:
    for node in nodes:
        data = {k: v for k, v in node.items() if k != "children"}
        data.setdefault("area_ha", None)
        data["parent"] = parent
        data["managing_unit"] = managing_unit
        zone = Zone.objects.filter(code=data["code"]).first()
        if zone is None:
            zone = registry_services.zone_create(actor=SYSTEM, data=data)
            counts["created"] += 1
        elif _differs(zone, data):
            registry_services.zone_update(actor=SYSTEM, zone=zone, data=data)
            counts["updated"] += 1
        _apply_zones(node.get("children", []), zone, managing_unit, counts)


def apply_preset(
    name: str, adjust_program: Callable[[dict[str, Any]], dict[str, Any]] | None = None
) -> dict[str, int]:
    """Create or update the preset's units, zones, organisation types and program; returns
    counts. `adjust_program` rewrites the program's fields first (the demo's calendar shift)."""
    preset = load_preset(name)
    counts = {"created": 0, "updated": 0}
    with transaction.atomic():
        _apply_units(preset.UNITS, None, counts)
        registry_unit = Unit.objects.get(code=preset.REGISTRY_UNIT)
        _apply_zones(preset.ZONES, None, registry_unit, counts)
        # The preset only sets the defaults: a type administrators already keep (and may have
        # edited) is left as it is.
        for data in preset.ORGANISATION_TYPES:
            if not OrganisationType.objects.filter(code=data["code"]).exists():
                registry_services.organisation_type_save(actor=SYSTEM, data=data)
                counts["created"] += 1
        if name in PROGRAM_PRESETS:
            program_preset = import_module(PROGRAM_PRESETS[name])
            program = apply_program(program_preset, counts, adjust_program)
            apply_document_setup(program_preset, program, counts)
    return counts
