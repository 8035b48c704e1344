"""Writes of the insight pages: data-quality rules, and tasks created from the gap list."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.core import audit
from sinergi.core.actors import Actor
from sinergi.core.bulk import concrete_field
from sinergi.core.services import assign, require, save_audited
from sinergi.insight.models import Gap, QualityRule
from sinergi.programs import services as program_services
from sinergi.programs.models import Area, Task
from sinergi.registry.models import Figure

RULE_FIELDS = ("name", "left", "operator", "right", "active", "sort_order")


def can_manage_rules(actor: Actor) -> bool:
    return actor.is_authenticated and (actor.is_admin or actor.is_coordinator)


def can_create_gap_tasks(actor: Actor) -> bool:
    """Coordinators and administrators plan the program's work (the task service decides per
    program)."""
    return actor.is_authenticated and (actor.is_admin or actor.is_coordinator)


def quality_rule_save(
    *, actor: Actor, data: dict[str, Any], rule: QualityRule | None = None
) -> QualityRule:
    """Add or change a data-quality rule."""
    require(can_manage_rules(actor))
    with transaction.atomic():
        before = audit.snapshot(rule) if rule is not None and rule.pk else None
        rule = assign(rule or QualityRule(), data, RULE_FIELDS)
        rule.full_clean()
        return save_audited(rule, actor=actor, before=before)


def gap_task_create(
    *,
    actor: Actor,
    area: Area,
    gaps: list[Gap],
    data: dict[str, Any],
) -> Task:
    """One program task to found the missing organisations in the selected enterprises,
    assigned to a lead unit, through the program's own task service."""
    if not gaps:
        raise ValidationError({"gaps": _("Select at least one enterprise from the gap list.")})
    enterprises = list(dict.fromkeys(gap.enterprise for gap in gaps))
    zones = list({gap.zone for gap in gaps if gap.zone_id})
    types = sorted({gap.type.name for gap in gaps})
    title = data.get("title") or _("Found %(types)s in %(count)d enterprise(s)") % {
        "types": ", ".join(types),
        "count": len(enterprises),
    }
    reasons = [f"- {gap.enterprise.name}: {gap_reason(gap)}" for gap in gaps]
    description = (data.get("description") or "").strip()
    description = "\n".join(filter(None, [description, *reasons]))
    program = area.program
    due_on = data.get("due_on") or min(
        timezone.localdate() + datetime.timedelta(days=90), program.ends_on
    )
    # Today, kept inside the program's period (and not after the due date).
    starts_on = data.get("starts_on") or max(
        program.starts_on, min(timezone.localdate(), due_on, program.ends_on)
    )
    return program_services.task_create(
        actor=actor,
        program=program,
        data={
            "area": area,
            "title": title[:400],
            "description": description,
            "lead_unit": data["lead_unit"],
            "supporting_units": list(data.get("supporting_units") or []),
            "starts_on": starts_on,
            "due_on": due_on,
            "enterprises": enterprises,
            "zones": zones,
        },
    )


def gap_reason(gap: Gap, cite: bool = True) -> str:
    """Why the enterprise could found the organisation: the conditions its figures meet, and
    (with `cite`) where the founding rule comes from."""
    parts = []
    for condition in gap.type.rule_conditions():
        value = gap.figure_value(condition["field"])
        if value >= condition["min"]:
            label = concrete_field(Figure, condition["field"]).verbose_name
            parts.append(f"{label} {value} ≥ {condition['min']}")
    reason = "; ".join(parts)
    if cite and gap.type.rule_citation:
        reason = f"{reason} ({gap.type.rule_citation})"
    return _("%(reason)s; no %(type)s") % {"reason": reason, "type": gap.type.name}
