"""Evaluating data-quality rules: which enterprises break each rule, and with what values.

Comparisons run in the database over each enterprise's newest figures; likely duplicates are
grouped in Python by the accent- and case-free name. Dissolved enterprises are left out, except
by the rule about organisations still active in a dissolved or suspended enterprise.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from sinergi.core.text import search_key
from sinergi.insight.models import Left, Operator, QualityRule, Violation
from sinergi.registry.choices import FIGURE_FIELDS, EnterpriseStatus
from sinergi.registry.models import Enterprise, Organisation

LOOKUPS: dict[str, str] = {
    Operator.LE: "lte",
    Operator.LT: "lt",
    Operator.GE: "gte",
    Operator.GT: "gt",
    Operator.EQ: "exact",
}


def months_before(day: datetime.date, months: int) -> datetime.date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    return datetime.date(year, month + 1, min(day.day, 28))


def _holds(rule: QualityRule) -> Q:
    """The condition an enterprise satisfies when it keeps the comparison rule."""
    left = f"latest_figure__{rule.left}"
    right = F(f"latest_figure__{rule.right}") if rule.right in FIGURE_FIELDS else int(rule.right)
    if rule.operator == Operator.NE:
        return ~Q(**{left: right})
    return Q(**{f"{left}__{LOOKUPS[rule.operator]}": right})


def _flip(operator: str) -> str:
    """The operator that holds when `operator` does not, as text for the detail."""
    return {"le": ">", "lt": "≥", "ge": "<", "gt": "≤", "eq": "≠", "ne": "="}[operator]


def evaluate(rule: QualityRule, today: datetime.date) -> Iterator[Violation]:
    """The enterprises breaking `rule`, as unsaved Violation rows."""
    base = Enterprise.objects.exclude(status=EnterpriseStatus.DISSOLVED).order_by()
    if rule.left == Left.ZONE:
        for pk in base.filter(zone__isnull=True).values_list("pk", flat=True):
            yield Violation(rule=rule, enterprise_id=pk, zone_id=None, detail="")
        return
    if rule.left == Left.NAME:
        groups: dict[str, list[tuple[int, int | None]]] = defaultdict(list)
        for pk, zone_id, name in base.values_list("pk", "zone_id", "name").iterator(5000):
            groups[search_key(name)].append((pk, zone_id))
        for members in groups.values():
            if len(members) > 1:
                for member, member_zone in members:
                    detail = _("same name as %(count)d other(s)") % {"count": len(members) - 1}
                    yield Violation(
                        rule=rule, enterprise_id=member, zone_id=member_zone, detail=detail
                    )
        return
    if rule.left == Left.CLOSED_ORGANISATIONS:
        yield from _closed_with_organisations(rule, today)
        return
    if rule.left == Left.FIGURES_AGE:
        cutoff = months_before(today, int(rule.right))
        broken = base.filter(
            Q(latest_figure__isnull=True)
            | Q(**{f"latest_figure__as_of__{_stale_lookup(rule.operator)}": cutoff})
        )
        for pk, zone_id, as_of in broken.values_list("pk", "zone_id", "latest_figure__as_of"):
            detail = (
                _("newest figures of %(date)s") % {"date": as_of.isoformat()}
                if as_of
                else _("no figures")
            )
            yield Violation(rule=rule, enterprise_id=pk, zone_id=zone_id, detail=detail)
        return
    present = Q(**{f"latest_figure__{rule.left}__isnull": False})
    if rule.right in FIGURE_FIELDS:
        present &= Q(**{f"latest_figure__{rule.right}__isnull": False})
    broken = base.filter(present).exclude(_holds(rule))
    right_field = f"latest_figure__{rule.right}" if rule.right in FIGURE_FIELDS else None
    fields = ["pk", "zone_id", f"latest_figure__{rule.left}"]
    if right_field:
        fields.append(right_field)
    for row in broken.values_list(*fields):
        right_value = row[3] if right_field else rule.right
        detail = f"{row[2]} {_flip(rule.operator)} {right_value}"
        yield Violation(rule=rule, enterprise_id=row[0], zone_id=row[1], detail=detail)


def _closed_with_organisations(rule: QualityRule, today: datetime.date) -> Iterator[Violation]:
    """Enterprises that do not operate (dissolved or suspended) yet keep organisations active
    today: they count nowhere (registry.counting), so either the status or the organisation's
    dissolution date is missing."""
    active = Organisation.objects.active_on(today).filter(enterprise_id=OuterRef("pk"))
    closed = (
        Enterprise.objects.exclude(status=EnterpriseStatus.OPERATING)
        .annotate(
            n=Subquery(
                active.order_by().values("enterprise_id").annotate(n=Count("pk")).values("n")
            )
        )
        .annotate(n=Coalesce("n", 0))  # type: ignore[no-redef]
        .order_by()
    )
    if rule.operator == Operator.NE:
        broken = closed.filter(n=int(rule.right))
    else:
        broken = closed.exclude(**{f"n__{LOOKUPS[rule.operator]}": int(rule.right)})
    labels = dict(EnterpriseStatus.choices)
    for pk, zone_id, status, n in broken.values_list("pk", "zone_id", "status", "n"):
        detail = _("%(status)s, %(count)d active organisation(s)") % {
            "status": labels.get(status, status),
            "count": n,
        }
        yield Violation(rule=rule, enterprise_id=pk, zone_id=zone_id, detail=detail)


def _stale_lookup(operator: str) -> str:
    """Age ≤ N months is broken by figures dated before the cut-off (and so on)."""
    return {"le": "lt", "lt": "lte", "ge": "gt", "gt": "gte", "eq": "lt", "ne": "exact"}[operator]


def evaluate_all(rules: Iterable[QualityRule], today: datetime.date) -> Iterator[Violation]:
    for rule in rules:
        yield from evaluate(rule, today)
