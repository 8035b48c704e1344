"""Indicators computed from the registry: one function per named rule.

Every rule takes the zones (ids, the zones below already included), the first and last day of a
period, and returns the value with the rows behind it, so a page can show how a number was
reached. The numbers come from `registry.counting`, so they are the review report's, the
dashboard's and the API's numbers for the same date and zones: figures current at the period's
end (valid time) as the registry knew them at `known_at` (now, or the moment a review locked the
period), organisations active then, enterprises operating then.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sinergi.programs.choices import PARTICIPANT_FIELDS, Measure
from sinergi.registry import counting
from sinergi.registry.models import Enterprise, OrganisationType


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
    """Enterprises operating in the zones at the period's end with an organisation of the type
    active then."""
    counts = counting.in_zones_total(end, zones, known_at=known_at, start=start)
    enterprises = counting.enterprises_operating_on(end, zones).filter(
        counting.has_organisation_on(organisation_type, end)
    )
    return RuleResult(
        Decimal(counts.with_organisation[organisation_type.pk]), enterprises=enterprises
    )


def organisations_founded(
    zones: Iterable[int],
    start: datetime.date,
    end: datetime.date,
    *,
    organisation_type: OrganisationType,
    known_at: datetime.datetime | None = None,
    program=None,
) -> RuleResult:
    """Organisations of the type founded within the period in enterprises of the zones
    operating at its end."""
    counts = counting.in_zones_total(end, zones, known_at=known_at, start=start)
    founded = counting.organisations_founded(start, end, zones).filter(type=organisation_type)
    enterprises = Enterprise.objects.filter(pk__in=founded.values("enterprise_id"))
    return RuleResult(Decimal(counts.founded[organisation_type.pk]), enterprises=enterprises)


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
    whose reporting date falls in the period, as known at `known_at`, of the enterprises
    operating at its end."""
    counts = counting.in_zones_total(end, zones, known_at=known_at, start=start)
    figures = counting.newly_admitted_figures(start, end, known_at, zones).filter(
        new_party_members__gt=0
    )
    enterprises = Enterprise.objects.filter(pk__in=figures.values("enterprise_id"))
    return RuleResult(Decimal(counts.newly_admitted), enterprises=enterprises)


def eligible_share_with_organisation(
    zones: Iterable[int],
    start: datetime.date,
    end: datetime.date,
    *,
    organisation_type: OrganisationType,
    known_at: datetime.datetime | None = None,
    program=None,
) -> RuleResult:
    """Of the operating enterprises whose figures at the period's end meet the type's founding
    rule, the share (in %) with an organisation of the type active then. None when none is
    eligible."""
    meets = organisation_type.rule_condition()
    if meets is None:
        return RuleResult(None, enterprises=Enterprise.objects.none())
    counts = counting.in_zones_total(end, zones, known_at=known_at, start=start)
    figures = counting.figures_current_on(end, known_at, zones).filter(meets)
    eligible = Enterprise.objects.filter(pk__in=figures.values("enterprise_id")).annotate(
        has_organisation=counting.has_organisation_on(organisation_type, end)
    )
    return RuleResult(counts.eligible_share(organisation_type.pk), enterprises=eligible)


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
