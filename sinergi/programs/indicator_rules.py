"""Indicators computed from the registry: one function per named rule.

Every rule takes the zones (ids, the zones below already included), the first and last day of a
period, and returns the value with the rows behind it, so a page can show how a number was
reached. Figures are read with the registry's bitemporal queries: the picture at the period's
end (valid time), as the registry knew it at `known_at` (now, or the moment a review locked the
period). Organisations carry founding and dissolution dates only, so rules about them read the
dates as they stand today.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sinergi.programs.choices import PARTICIPANT_FIELDS, Measure
from sinergi.registry.models import (
    Enterprise,
    Figure,
    Organisation,
    OrganisationType,
    has_active_organisation,
)


@dataclass(frozen=True)
class RuleResult:
    """A computed value (None when it cannot be computed, e.g. a share of nothing) and the
    enterprises or activities behind it."""

    value: Decimal | None
    enterprises: QuerySet | None = None
    activities: QuerySet | None = None


@dataclass(frozen=True)
class Rule:
    code: str
    label: str | Promise
    measure: str
    needs_organisation_type: bool
    function: Callable[..., RuleResult]


def enterprises_with_organisation(
    zones: Iterable[int],
    start: datetime.date,
    end: datetime.date,
    *,
    organisation_type: OrganisationType,
    known_at: datetime.datetime | None = None,
    program=None,
) -> RuleResult:
    """Enterprises in the zones with an organisation of the type active at the period's end."""
    enterprises = Enterprise.objects.filter(zone_id__in=list(zones)).filter(
        has_active_organisation(organisation_type, end)
    )
    return RuleResult(Decimal(enterprises.count()), enterprises=enterprises)


def organisations_founded(
    zones: Iterable[int],
    start: datetime.date,
    end: datetime.date,
    *,
    organisation_type: OrganisationType,
    known_at: datetime.datetime | None = None,
    program=None,
) -> RuleResult:
    """Organisations of the type founded within the period in enterprises of the zones."""
    founded = Organisation.objects.filter(
        type=organisation_type,
        founded_on__gte=start,
        founded_on__lte=end,
        enterprise__zone_id__in=list(zones),
    )
    enterprises = Enterprise.objects.filter(pk__in=founded.values("enterprise_id"))
    return RuleResult(Decimal(founded.count()), enterprises=enterprises)


def new_party_members(
    zones: Iterable[int],
    start: datetime.date,
    end: datetime.date,
    *,
    organisation_type: OrganisationType | None = None,
    known_at: datetime.datetime | None = None,
    program=None,
) -> RuleResult:
    """Party members newly admitted in the period: the newly admitted members on the figures
    whose reporting date falls in the period, as known at `known_at`."""
    figures = Figure.objects.known_at(known_at).filter(
        as_of__gte=start,
        as_of__lte=end,
        enterprise__zone_id__in=list(zones),
        new_party_members__gt=0,
    )
    total = figures.aggregate(total=Sum("new_party_members"))["total"] or 0
    enterprises = Enterprise.objects.filter(pk__in=figures.values("enterprise_id"))
    return RuleResult(Decimal(total), enterprises=enterprises)


def eligible_share_with_organisation(
    zones: Iterable[int],
    start: datetime.date,
    end: datetime.date,
    *,
    organisation_type: OrganisationType,
    known_at: datetime.datetime | None = None,
    program=None,
) -> RuleResult:
    """Of the enterprises whose figures at the period's end meet the type's founding rule, the
    share (in %) with an organisation of the type active then. None when none is eligible."""
    meets = organisation_type.rule_condition()
    if meets is None:
        return RuleResult(None, enterprises=Enterprise.objects.none())
    figures = Figure.objects.as_of(end, known_at).filter(enterprise__zone_id__in=list(zones))
    eligible = Enterprise.objects.filter(pk__in=figures.filter(meets).values("enterprise_id"))
    eligible = eligible.annotate(has_organisation=has_active_organisation(organisation_type, end))
    counts = eligible.aggregate(total=Sum(1), having=Sum(1, filter=Q(has_organisation=True)))
    total, having = counts["total"] or 0, counts["having"] or 0
    if not total:
        return RuleResult(None, enterprises=eligible)
    share = (Decimal(100 * having) / Decimal(total)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return RuleResult(share, enterprises=eligible)


def people_reached(
    zones: Iterable[int],
    start: datetime.date,
    end: datetime.date,
    *,
    organisation_type: OrganisationType | None = None,
    known_at: datetime.datetime | None = None,
    program=None,
) -> RuleResult:
    """Participants of the program's activities held within the period, all groups together."""
    from sinergi.programs.models import Activity

    activities = Activity.objects.filter(program=program, held_on__gte=start, held_on__lte=end)
    totals = activities.aggregate(**{field: Sum(field) for field in PARTICIPANT_FIELDS})
    value = sum(totals[field] or 0 for field in PARTICIPANT_FIELDS)
    return RuleResult(Decimal(value), activities=activities)


RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        Rule(
            "enterprises_with_organisation",
            _("Enterprises in the zones with an organisation of the type at the period's end"),
            Measure.LEVEL,
            True,
            enterprises_with_organisation,
        ),
        Rule(
            "organisations_founded",
            _("Organisations of the type founded in the period"),
            Measure.FLOW,
            True,
            organisations_founded,
        ),
        Rule(
            "new_party_members",
            _("Party members newly admitted in the period"),
            Measure.FLOW,
            False,
            new_party_members,
        ),
        Rule(
            "eligible_share_with_organisation",
            _("Share of the enterprises meeting the type's founding rule that have one (%)"),
            Measure.LEVEL,
            True,
            eligible_share_with_organisation,
        ),
        Rule(
            "people_reached",
            _("People reached by the program's activities in the period"),
            Measure.FLOW,
            False,
            people_reached,
        ),
    )
}


def rule_choices() -> list[tuple[str, str | Promise]]:
    return [(code, rule.label) for code, rule in RULES.items()]


def compute(indicator, start: datetime.date, end: datetime.date, known_at=None) -> RuleResult:
    """The value of a computed indicator over [start, end] in its program's zones."""
    rule = RULES[indicator.rule]
    program = indicator.program
    return rule.function(
        program.zone_ids,
        start,
        end,
        organisation_type=indicator.organisation_type,
        known_at=known_at,
        program=program,
    )
