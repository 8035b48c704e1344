"""Writes of the insight pages: data-quality rules, and tasks created from the gap list."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sinergi.core import audit
from sinergi.core.actors import Actor
from sinergi.core.bulk import concrete_field
from sinergi.core.formatting import Shown
from sinergi.core.services import assign, require, save_audited
from sinergi.insight.models import Gap, GapStatus, QualityRule
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
    types = sorted({common_noun(gap.type.name) for gap in gaps})
    title = data.get("title") or ngettext(
        "Found %(types)s in %(count)d enterprise",
        "Found %(types)s in %(count)d enterprises",
        len(enterprises),
    ) % {"types": ", ".join(types), "count": len(enterprises)}
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


def _label(field: str) -> str:
    return str(concrete_field(Figure, field).verbose_name)


def gap_reason(gap: Gap, cite: bool = True, shown: Shown | None = None) -> str:
    """Why the enterprise is on the list: the conditions its figures meet (or the figure the
    rule reads that is not reported), and (with `cite`) where the founding rule comes from.
    `shown`: the page's number formats, read once for its rows (else looked up here)."""
    number = (shown or Shown()).number
    if gap.status == GapStatus.ELIGIBLE:
        conditions = gap.type.rule_conditions()
    else:
        conditions = gap.type.potential_conditions()
    parts = []
    for condition in conditions:
        value = gap.figure_value(condition["field"])
        if value is not None and value >= condition["min"]:
            parts.append(
                f"{_label(condition['field'])} {number(value, force_grouping=True)} ≥ "
                f"{number(condition['min'], force_grouping=True)}"
            )
    reason = "; ".join(parts)
    if gap.status == GapStatus.UNREPORTED:
        missing = [
            _label(c["field"])
            for c in gap.type.rule_conditions()
            if gap.figure_value(c["field"]) is None
        ]
        reason = _("%(reason)s, but %(missing)s not reported") % {
            "reason": reason,
            "missing": ", ".join(missing),
        }
    elif gap.status == GapStatus.POTENTIAL:
        needed = "; ".join(
            f"{_label(c['field'])} {gap.figure_value(c['field'])} < {c['min']}"
            for c in gap.type.rule_conditions()
        )
        reason = _("%(reason)s, not yet the rule (%(needed)s)") % {
            "reason": reason,
            "needed": needed,
        }
    if cite and gap.type.rule_citation:
        reason = f"{reason} ({gap.type.rule_citation})"
    text = _("%(reason)s; no %(type)s") % {"reason": reason, "type": common_noun(gap.type.name)}
    return capfirst(text)


PARTY_FIELDS = {"party_members", "official_party_members", "probationary_party_members"}


def gap_pipeline(gap: Gap) -> str:
    """The party-development pipeline behind a party-organisation gap, in words: "2 official,
    1 probationary (official by 31/03/2025), 3 candidates …"; empty for other types."""
    from django.utils.formats import date_format

    if not any(c["field"] in PARTY_FIELDS for c in gap.type.rule_conditions()):
        return ""
    value = gap.figure_value
    parts = []
    official, probationary = value("official_party_members"), value("probationary_party_members")
    if official is None and probationary is None:
        total = value("party_members")
        if total is not None:
            parts.append(_("%(n)d party members, split not reported") % {"n": total})
    else:
        if official is not None:
            parts.append(_("%(n)d official") % {"n": official})
        if probationary:
            text = _("%(n)d probationary") % {"n": probationary}
            if gap.probation_ends:
                text = _("%(text)s due to become official by %(day)s") % {
                    "text": text,
                    "day": date_format(gap.probation_ends, "SHORT_DATE_FORMAT"),
                }
            parts.append(text)
    candidates = value("admission_candidates")
    if candidates:
        parts.append(
            ngettext("%(n)d candidate for admission", "%(n)d candidates for admission", candidates)
            % {"n": candidates}
        )
    attended = value("awareness_class_attended")
    if attended:
        parts.append(
            ngettext(
                "%(n)d attended the awareness class",
                "%(n)d attended the awareness class",
                attended,
            )
            % {"n": attended}
        )
    masses = value("outstanding_masses")
    if masses:
        parts.append(
            ngettext("%(n)d outstanding mass", "%(n)d outstanding masses", masses) % {"n": masses}
        )
    return ", ".join(parts)


def common_noun(name: str) -> str:
    """An organisation type's name inside a sentence: "Trade union" becomes "trade union", while a
    proper name with capitals further on ("Hội Liên hiệp Phụ nữ") keeps its own."""
    if len(name) > 1 and not any(ch.isupper() for ch in name[1:]):
        return name[0].lower() + name[1:]
    return name
