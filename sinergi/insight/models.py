"""Insight: data-quality rules, and the pre-aggregates the dashboards and the gap list read.

The pre-aggregates (coverage cells, trend points, gaps, violations) are derived data: the
refresh in `aggregates.py` rebuilds them all, in one transaction, when the registry moved.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sinergi.registry.choices import FIGURE_FIELDS


class Left(models.TextChoices):
    WORKERS = "workers", _("workers")
    WOMEN_WORKERS = "women_workers", _("women workers")
    PARTY_MEMBERS = "party_members", _("party members")
    UNION_MEMBERS = "union_members", _("union members")
    YOUTH_MEMBERS = "youth_members", _("youth union members")
    NEW_PARTY_MEMBERS = "new_party_members", _("newly admitted party members")
    FIGURES_AGE = "figures_age_months", _("age of the newest figures (months)")
    CLOSED_ORGANISATIONS = (
        "closed_active_organisations",
        _("active organisations of a dissolved or suspended enterprise"),
    )
    ZONE = "zone", _("zone")
    NAME = "name", _("name")


class Operator(models.TextChoices):
    LE = "le", "≤"
    LT = "lt", "<"
    GE = "ge", "≥"
    GT = "gt", ">"
    EQ = "eq", "="
    NE = "ne", "≠"
    IS_SET = "is_set", _("is set")
    IS_UNIQUE = "is_unique", _("is unique")


COMPARISONS = {Operator.LE, Operator.LT, Operator.GE, Operator.GT, Operator.EQ, Operator.NE}


# The rules a new deployment starts with (migration 0002) are stored under these English names;
# while a rule keeps its name, it is shown in the reader's language.
DEFAULT_RULE_NAMES = {
    "Party members within workers": pgettext_lazy(
        "data-quality rule", "Party members within workers"
    ),
    "Women workers within workers": pgettext_lazy(
        "data-quality rule", "Women workers within workers"
    ),
    "Union members within workers": pgettext_lazy(
        "data-quality rule", "Union members within workers"
    ),
    "Youth union members within workers": pgettext_lazy(
        "data-quality rule", "Youth union members within workers"
    ),
    "Figures not older than 18 months": pgettext_lazy(
        "data-quality rule", "Figures not older than 18 months"
    ),
    "Enterprise placed in a zone": pgettext_lazy(
        "data-quality rule", "Enterprise placed in a zone"
    ),
    "No likely duplicate by name": pgettext_lazy(
        "data-quality rule", "No likely duplicate by name"
    ),
    "No active organisation in a dissolved or suspended enterprise": pgettext_lazy(
        "data-quality rule", "No active organisation in a dissolved or suspended enterprise"
    ),
}


class QualityRule(models.Model):
    """What every enterprise's data should satisfy, as left side, operator and right side
    (a figure or a whole number); the enterprises that do not are its violations."""

    name = models.CharField(_("name"), max_length=200)
    left = models.CharField(_("left side"), max_length=40, choices=Left.choices)
    operator = models.CharField(_("operator"), max_length=10, choices=Operator.choices)
    right = models.CharField(
        _("right side"),
        max_length=40,
        blank=True,
        help_text=_(
            "A figure (e.g. workers) or a whole number; empty for “is set” and “is unique”."
        ),
    )
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("data-quality rule")
        verbose_name_plural = _("data-quality rules")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return str(DEFAULT_RULE_NAMES.get(self.name, self.name))

    def get_absolute_url(self) -> str:
        return reverse("insight:quality") + f"?rule={self.pk}"

    def clean(self) -> None:
        errors = {}
        if self.left == Left.ZONE and self.operator != Operator.IS_SET:
            errors["operator"] = _("The zone can only be required to be set.")
        elif self.left == Left.NAME and self.operator != Operator.IS_UNIQUE:
            errors["operator"] = _("The name can only be required to be unique.")
        elif self.left not in (Left.ZONE, Left.NAME) and self.operator not in COMPARISONS:
            errors["operator"] = _("Compare a figure with ≤, <, ≥, >, = or ≠.")
        if self.operator in COMPARISONS:
            if self.left == Left.FIGURES_AGE and not self.right.isdigit():
                errors["right"] = _("Give the number of months.")
            elif self.left == Left.CLOSED_ORGANISATIONS and not self.right.isdigit():
                errors["right"] = _("Give a whole number of organisations.")
            elif self.right not in FIGURE_FIELDS and not self.right.isdigit():
                errors["right"] = _("Give a figure (e.g. workers) or a whole number.")
        elif self.right:
            errors["right"] = _("This operator takes no right side.")
        if errors:
            raise ValidationError(errors)

    @property
    def expression(self) -> str:
        right = self.right
        if right in FIGURE_FIELDS:
            right = str(Left(right).label)
        return f"{self.get_left_display()} {self.get_operator_display()} {right}".strip()


class Snapshot(models.Model):
    """One refresh of the pre-aggregates: the registry version it was computed from, when,
    how long it took, and the newest reporting date it covers."""

    version = models.CharField(max_length=100)
    computed_at = models.DateTimeField(auto_now_add=True)
    figures_as_of = models.DateField(null=True)
    seconds = models.FloatField(default=0)
    # Reporting dates with totals, the sources of the newest figures, indicator values …
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["-id"]
        get_latest_by = "id"

    def __str__(self) -> str:
        return f"{self.version} @ {self.computed_at:%Y-%m-%d %H:%M}"


class Digest(models.Model):
    """The dashboard's picture of one scope, summed at the refresh (insight.dashboard.stored):
    of every zone together ("all") or of one zone with zones under it ("zone-<id>"), for the
    organisation types it was summed for. Each page reads its own scope's row alone."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=30)
    types = models.JSONField(default=list)
    data = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "scope"], name="insight_digest_scope")
        ]

    def __str__(self) -> str:
        return f"{self.snapshot_id}:{self.scope}"


class CoverageCell(models.Model):
    """Operating enterprises of one zone, ownership and workforce band: their newest figures
    summed, and per organisation type how many have one and how many could found one."""

    zone = models.ForeignKey(
        "registry.Zone",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    ownership = models.CharField(max_length=20)
    band = models.CharField(max_length=20)
    enterprises = models.PositiveIntegerField(default=0)
    workers = models.BigIntegerField(default=0)
    women_workers = models.BigIntegerField(default=0)
    party_members = models.BigIntegerField(default=0)
    union_members = models.BigIntegerField(default=0)
    youth_members = models.BigIntegerField(default=0)
    new_this_year = models.BigIntegerField(default=0)
    # {type code: count}
    with_organisation = models.JSONField(default=dict)
    gaps = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"{self.zone_id}/{self.ownership}/{self.band}"


class TrendPoint(models.Model):
    """The counts of one zone on one date (`registry.counting`): operating enterprises, those
    reporting figures, their members (figures carried forward) and organisations."""

    zone = models.ForeignKey(
        "registry.Zone",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    as_of = models.DateField()
    enterprises = models.PositiveIntegerField(default=0)
    reported = models.PositiveIntegerField(default=0)
    workers = models.BigIntegerField(default=0)
    party_members = models.BigIntegerField(default=0)
    union_members = models.BigIntegerField(default=0)
    new_party_members = models.BigIntegerField(default=0)
    with_organisation = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["as_of"])]

    def __str__(self) -> str:
        return f"{self.zone_id}@{self.as_of}"


class GapStatus(models.TextChoices):
    """The groups of the gap list, in rank order."""

    ELIGIBLE = "eligible", _("Can found one now")
    UNREPORTED = "unreported", _("Figures the rule reads not reported")
    POTENTIAL = "potential", _("Could found one soon")


GAP_RANK = {GapStatus.ELIGIBLE: 0, GapStatus.UNREPORTED: 1, GapStatus.POTENTIAL: 2}


class Gap(models.Model):
    """An operating enterprise without an organisation of a type whose founding rule it meets
    (or, ranked lower, whose rule's figures are not reported, or that meets the rule's
    "potential" conditions): a row of the gap list."""

    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.CASCADE, db_constraint=False, related_name="+"
    )
    type = models.ForeignKey(
        "registry.OrganisationType",
        on_delete=models.CASCADE,
        db_constraint=False,
        related_name="+",
    )
    figure = models.ForeignKey(
        "registry.Figure",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    zone = models.ForeignKey(
        "registry.Zone",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    ownership = models.CharField(_("ownership"), max_length=20)
    members = models.PositiveIntegerField(_("members"), default=0)
    workers = models.PositiveIntegerField(_("workers"), default=0)
    party_members = models.PositiveIntegerField(default=0)
    union_members = models.PositiveIntegerField(default=0)
    youth_members = models.PositiveIntegerField(default=0)
    women_workers = models.PositiveIntegerField(default=0)
    eligible_since = models.DateField(_("eligible since"), null=True)
    status = models.CharField(
        _("group"), max_length=20, choices=GapStatus.choices, default=GapStatus.ELIGIBLE
    )
    rank = models.PositiveSmallIntegerField(default=0)
    # Every figure of the newest reporting date by name, None where not reported.
    figures = models.JSONField(default=dict)
    # The first probationary members admitted within the probation before the newest figures
    # become official by this date (admission date + 12 months, from the reporting dates).
    probation_ends = models.DateField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["type", "rank", "-members", "-workers", "eligible_since"]),
            models.Index(fields=["rank", "-members", "-workers", "eligible_since", "id"]),
            models.Index(fields=["type", "zone"]),
            # One zone's gaps in the page's order (the gap list of a park or a province): without
            # it the planner walks the whole country's order and filters by zone.
            models.Index(
                fields=["zone", "rank", "-members", "-workers", "eligible_since", "id"],
                name="insight_gap_zone_order_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id}:{self.type_id}"

    def figure_value(self, field: str) -> int | None:
        """The figure as reported (None: not reported)."""
        if field in self.figures:
            return self.figures[field]
        return getattr(self, field, None)


class Violation(models.Model):
    """An enterprise that breaks a data-quality rule, with the values that break it."""

    rule = models.ForeignKey(QualityRule, on_delete=models.CASCADE, related_name="violations")
    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.CASCADE, db_constraint=False, related_name="+"
    )
    zone = models.ForeignKey(
        "registry.Zone",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [models.Index(fields=["rule", "enterprise"])]

    def __str__(self) -> str:
        return f"{self.rule_id}:{self.enterprise_id}"
