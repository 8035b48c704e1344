"""The coordination program: its areas, tasks, reporting periods, progress reports with their
sign-off, indicators with their values, activities, and the files attached to them."""

from __future__ import annotations

import datetime
import os
import uuid
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.programs import schedule
from sinergi.programs.choices import (
    PARTICIPANT_FIELDS,
    RECURRENCE_PERIOD,
    ActivityKind,
    Direction,
    Measure,
    PeriodKind,
    Priority,
    ProgramStatus,
    Recurrence,
    ReportStatus,
    TaskStatus,
)

# A program longer than this is almost certainly a typing error in a year.
MAX_PROGRAM_YEARS = 10


def body_id_of(user) -> int | None:
    """The id of the body the user's unit belongs to (None without a unit)."""
    unit = getattr(user, "unit", None)
    return unit.body_id if unit is not None else None


# --- Programs ---------------------------------------------------------------------------------


class ProgramQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProgramQuerySet:
        """Administrators see every program; anyone else the programs their body is a party to
        or oversees (the committees the program reports to)."""
        if user.is_admin:
            return self
        body = body_id_of(user)
        if body is None:
            return self.none()
        party = Program.parties.through.objects.filter(
            program_id=OuterRef("pk"), unit__body_id=body
        )
        overseer = Program.overseers.through.objects.filter(
            program_id=OuterRef("pk"), unit__body_id=body
        )
        return self.filter(Exists(party) | Exists(overseer))


class Program(models.Model):
    """A work coordination program between bodies (the parties), over a period."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=400)
    basis_number = models.CharField(
        _("document number"),
        max_length=100,
        blank=True,
        help_text=_("The number of the document that adopted the program."),
    )
    basis_date = models.DateField(_("document date"), null=True, blank=True)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    status = models.CharField(
        _("status"), max_length=20, choices=ProgramStatus.choices, default=ProgramStatus.DRAFT
    )
    report_every = models.CharField(
        _("one-off tasks report every"),
        max_length=10,
        choices=PeriodKind.choices,
        default=PeriodKind.QUARTER,
        help_text=_("Recurring tasks report at their own rhythm."),
    )
    description = models.TextField(_("description"), blank=True)
    parties = models.ManyToManyField(
        "accounts.Unit",
        verbose_name=_("parties"),
        related_name="programs",
        help_text=_("The bodies that agreed the program; each one signs off the other's reports."),
    )
    overseers = models.ManyToManyField(
        "accounts.Unit",
        verbose_name=_("reports to"),
        related_name="overseen_programs",
        blank=True,
        help_text=_("Committees the program advises; their users may read it."),
    )
    zones = models.ManyToManyField(
        "registry.Zone",
        verbose_name=_("zones"),
        related_name="programs",
        blank=True,
        help_text=_("The zones the program covers (with the zones below them)."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        verbose_name = _("coordination program")
        verbose_name_plural = _("coordination programs")
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="program_ends_after_start",
                violation_error_message=_("The program cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programs:program_detail", args=[self.pk])

    def clean(self) -> None:
        if self.starts_on and self.ends_on:
            if self.ends_on < self.starts_on:
                raise ValidationError({"ends_on": _("The program cannot end before it starts.")})
            if self.ends_on.year - self.starts_on.year >= MAX_PROGRAM_YEARS:
                raise ValidationError(
                    {
                        "ends_on": _("A program runs for at most %(years)d years.")
                        % {"years": MAX_PROGRAM_YEARS}
                    }
                )

    @staticmethod
    def clean_relations(parties, overseers) -> None:
        """Parties are bodies (the top of a unit tree), at least two, and oversee nothing."""
        errors = {}
        parties = list(parties)
        if len(parties) < 2:
            errors["parties"] = _("A coordination program has at least two parties.")
        elif any(unit.parent_id is not None for unit in parties):
            errors["parties"] = _("Parties are bodies, not departments.")
        if {u.pk for u in parties} & {u.pk for u in overseers}:
            errors["overseers"] = _("A party cannot also be a committee the program reports to.")
        if errors:
            raise ValidationError(errors)

    @cached_property
    def party_ids(self) -> set[int]:
        return set(self.parties.values_list("id", flat=True))

    @cached_property
    def zone_ids(self) -> set[int]:
        """The program's zones and every zone below them."""
        from sinergi.registry.counting import subtree

        return subtree(zone.pk for zone in self.zones.all())

    @property
    def years(self) -> list[int]:
        return list(range(self.starts_on.year, self.ends_on.year + 1))

    def period_for(self, kind: str, day: datetime.date) -> ReportingPeriod | None:
        return self.periods.filter(kind=kind, starts_on__lte=day, ends_on__gte=day).first()


class Area(models.Model):
    """A coordination area of a program: a heading under which tasks are grouped."""

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="areas"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=400)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("coordination area")
        verbose_name_plural = _("coordination areas")
        ordering = ["program_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "number"],
                name="area_number_unique_in_program",
                violation_error_message=_("The program already has an area with this number."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("programs:program_detail", args=[self.program_id]) + f"#area-{self.pk}"


# --- Reporting periods ------------------------------------------------------------------------


class ReportingPeriod(models.Model):
    """A month, quarter, half-year or year of a program, clipped to its dates. Locked when a
    review closes it: its reports, values and activities can no longer change."""

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="periods"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("number"))
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("locked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["program_id", "starts_on", "ends_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "kind", "year", "number"], name="period_unique_in_program"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="period_ends_after_start",
                violation_error_message=_("A period cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("programs:period_list", args=[self.program_id]) + f"#period-{self.pk}"

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return f"{self.number:02d}/{self.year}"
        if self.kind == PeriodKind.QUARTER:
            return _("Q%(number)d/%(year)d") % {"number": self.number, "year": self.year}
        if self.kind == PeriodKind.HALF:
            return _("H%(number)d/%(year)d") % {"number": self.number, "year": self.year}
        return str(self.year)

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def span(self) -> schedule.Span:
        return schedule.Span(self.kind, self.year, self.number, self.starts_on, self.ends_on)

    def has_started(self, today: datetime.date | None = None) -> bool:
        return self.starts_on <= (today or timezone.localdate())


# --- Indicators -------------------------------------------------------------------------------


class IndicatorQuerySet(models.QuerySet):
    def visible_to(self, user) -> IndicatorQuerySet:
        return self.filter(program__in=Program.objects.visible_to(user))


class Indicator(models.Model):
    """A measure of the program's progress: entered per period with a source, or computed from
    the registry by a named rule (see indicator_rules.py)."""

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="indicators"
    )
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
        help_text=_("Empty for an indicator of the whole program."),
    )
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=300)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=60)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    # {"2023": "10", "2024": "15"}: the target of each program year.
    yearly_targets = models.JSONField(_("targets per year"), default=dict, blank=True)
    target = models.DecimalField(
        _("target for the whole period"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    direction = models.CharField(
        _("direction"), max_length=4, choices=Direction.choices, default=Direction.UP
    )
    measure = models.CharField(
        _("measure"), max_length=5, choices=Measure.choices, default=Measure.LEVEL
    )
    period_kind = models.CharField(
        _("reported per"), max_length=10, choices=PeriodKind.choices, default=PeriodKind.QUARTER
    )
    rule = models.CharField(
        _("computed by"),
        max_length=60,
        blank=True,
        help_text=_("Empty for an indicator whose values are entered with their source."),
    )
    organisation_type = models.ForeignKey(
        "registry.OrganisationType",
        verbose_name=_("organisation type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The organisation type the rule counts, for rules that need one."),
    )
    description = models.TextField(_("description"), blank=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["program_id", "area__number", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "code"],
                name="indicator_code_unique_in_program",
                violation_error_message=_("The program already has an indicator with this code."),
            ),
            models.CheckConstraint(
                condition=Q(target__isnull=True) | Q(target__gte=0),
                name="indicator_target_not_negative",
                violation_error_message=_("A target cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programs:indicator_detail", args=[self.pk])

    def clean(self) -> None:
        from sinergi.programs.indicator_rules import RULES

        errors: dict[str, object] = {}
        area = self.area if self.area_id else None
        if area is not None and self.program_id and area.program_id != self.program_id:
            errors["area"] = _("This area belongs to another program.")
        if self.rule:
            rule = RULES.get(self.rule)
            if rule is None:
                errors["rule"] = _("Unknown rule.")
            else:
                # A rule decides what it measures; the stored value follows it.
                self.measure = rule.measure
                if rule.needs_organisation_type and self.organisation_type_id is None:
                    errors["organisation_type"] = _("This rule needs an organisation type.")
        targets = {}
        years = self.program.years if self.program_id else []
        for year, value in (self.yearly_targets or {}).items():
            if value in (None, ""):
                continue
            try:
                number = Decimal(str(value))
            except ArithmeticError:
                number = None
            if str(year) not in {str(y) for y in years}:
                errors["yearly_targets"] = _("Targets can only be set for the program's years.")
            elif number is None or not number.is_finite() or number < 0:
                errors["yearly_targets"] = _("Each target is a number, zero or more.")
            else:
                targets[str(year)] = str(number)
        if "yearly_targets" not in errors:
            self.yearly_targets = dict(sorted(targets.items()))
        if self.target is not None and self.target < 0:
            errors["target"] = _("A target cannot be negative.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_computed(self) -> bool:
        return bool(self.rule)

    def target_for(self, year: int) -> Decimal | None:
        value = (self.yearly_targets or {}).get(str(year))
        return Decimal(value) if value not in (None, "") else None


# --- Tasks ------------------------------------------------------------------------------------


class TaskQuerySet(models.QuerySet):
    def visible_to(self, user) -> TaskQuerySet:
        return self.filter(area__program__in=Program.objects.visible_to(user))

    def involving(self, *unit_ids: int) -> TaskQuerySet:
        """Tasks one of the units leads or supports."""
        supports = Task.supporting_units.through.objects.filter(
            task_id=OuterRef("pk"), unit_id__in=unit_ids
        )
        return self.filter(Q(lead_unit_id__in=unit_ids) | Exists(supports))

    def open(self) -> TaskQuerySet:
        return self.exclude(status__in=(TaskStatus.DONE, TaskStatus.CANCELLED))


class Task(models.Model):
    """Work under an area: led by one unit, supported by others, due once or recurring."""

    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="tasks"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=400)
    description = models.TextField(_("description"), blank=True)
    lead_unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("lead unit"),
        on_delete=models.PROTECT,
        related_name="led_tasks",
    )
    supporting_units = models.ManyToManyField(
        "accounts.Unit",
        verbose_name=_("supporting units"),
        related_name="supported_tasks",
        blank=True,
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="program_tasks",
    )
    starts_on = models.DateField(_("start"))
    due_on = models.DateField(
        _("due date"),
        null=True,
        blank=True,
        help_text=_("For a recurring task: the last day it recurs (empty: to the program's end)."),
    )
    recurrence = models.CharField(
        _("recurrence"), max_length=20, choices=Recurrence.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    percent_done = models.PositiveSmallIntegerField(_("% done"), default=0)
    zones = models.ManyToManyField(
        "registry.Zone", verbose_name=_("zones"), related_name="program_tasks", blank=True
    )
    enterprises = models.ManyToManyField(
        "registry.Enterprise",
        verbose_name=_("enterprises"),
        related_name="program_tasks",
        blank=True,
    )
    indicators = models.ManyToManyField(
        Indicator,
        verbose_name=_("indicators"),
        related_name="tasks",
        blank=True,
        help_text=_("Indicators this task moves; its lead unit's reports may state their values."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["area__program_id", "area__number", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "number"],
                name="task_number_unique_in_area",
                violation_error_message=_("The area already has a task with this number."),
            ),
            models.CheckConstraint(
                condition=Q(due_on__isnull=True) | Q(due_on__gte=F("starts_on")),
                name="task_due_after_start",
                violation_error_message=_("The due date is before the start."),
            ),
            models.CheckConstraint(
                condition=Q(due_on__isnull=False) | ~Q(recurrence=""),
                name="task_due_date_or_recurrence",
                violation_error_message=_("Give a due date or a recurrence."),
            ),
            models.CheckConstraint(
                condition=Q(percent_done__lte=100),
                name="task_percent_within_100",
                violation_error_message=_("The share done is a percentage from 0 to 100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("programs:task_detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, object] = {}
        if self.starts_on and self.due_on and self.due_on < self.starts_on:
            errors["due_on"] = _("The due date is before the start.")
        if not self.recurrence and not self.due_on:
            errors["due_on"] = _("Give a due date or a recurrence.")
        if self.percent_done is not None and not 0 <= self.percent_done <= 100:
            errors["percent_done"] = _("The share done is a percentage from 0 to 100.")
        program = self.area.program if self.area_id else None
        if program and self.starts_on:
            if not program.starts_on <= self.starts_on <= program.ends_on:
                errors["starts_on"] = _("The task starts outside the program's period.")
            elif self.due_on and self.due_on > program.ends_on:
                errors["due_on"] = _("The due date is after the program ends.")
            elif self.recurrence and "due_on" not in errors and not self.due_dates():
                errors["recurrence"] = _(
                    "This recurrence yields no due date between the task's start and its end."
                )
        if program and self.lead_unit_id and self.lead_unit.body_id not in program.party_ids:
            errors["lead_unit"] = _("The lead unit must belong to one of the program's parties.")
        if errors:
            raise ValidationError(errors)

    def clean_relations(self, supporting_units, indicators) -> None:
        """Checks on the many-to-many choices, which clean() cannot see before saving."""
        errors: dict[str, object] = {}
        program = self.area.program if self.area_id else None
        if self.lead_unit_id and any(u.pk == self.lead_unit_id for u in supporting_units):
            errors["supporting_units"] = _("The lead unit cannot also be a supporting unit.")
        elif program and any(u.body_id not in program.party_ids for u in supporting_units):
            errors["supporting_units"] = _(
                "Supporting units must belong to one of the program's parties."
            )
        if program and any(i.program_id != program.pk for i in indicators):
            errors["indicators"] = _("These indicators belong to another program.")
        if errors:
            raise ValidationError(errors)

    @property
    def code(self) -> str:
        return f"{self.area.number}.{self.number}"

    @property
    def program(self) -> Program:
        return self.area.program

    @property
    def report_period_kind(self) -> str:
        """Recurring tasks report at their recurrence; one-off tasks at the program's rhythm."""
        if self.recurrence:
            return RECURRENCE_PERIOD[Recurrence(self.recurrence)]
        return self.area.program.report_every

    @property
    def ends_on(self) -> datetime.date:
        return self.due_on or self.area.program.ends_on

    def due_dates(self) -> list[datetime.date]:
        program = self.area.program
        return schedule.due_dates(
            self.recurrence,
            start=self.starts_on,
            until=self.due_on,
            program_start=program.starts_on,
            program_end=program.ends_on,
        )

    def runs_in(self, period: ReportingPeriod) -> bool:
        return period.ends_on >= self.starts_on and period.starts_on <= self.ends_on

    def involved_unit_ids(self) -> list[int]:
        return [self.lead_unit_id, *(u.pk for u in self.supporting_units.all())]


# --- Progress reports -------------------------------------------------------------------------


class ProgressReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProgressReportQuerySet:
        return self.filter(task__area__program__in=Program.objects.visible_to(user))

    def leads(self) -> ProgressReportQuerySet:
        """The lead unit's reports: the ones that go to the partner for sign-off."""
        return self.filter(unit_id=F("task__lead_unit_id"))


class ProgressReport(models.Model):
    """One unit's report on one task for one period. The lead unit submits; a coordinator of the
    partner body acknowledges it or returns it with a comment."""

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.PROTECT, related_name="reports"
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="progress_reports",
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="reports"
    )
    status = models.CharField(
        _("sign-off"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    task_status = models.CharField(_("task status"), max_length=20, choices=TaskStatus.choices)
    percent_done = models.SmallIntegerField(_("% done"))
    narrative = models.TextField(_("what was done"))
    # {"<indicator id>": "12"}: values the lead unit states for the task's entered indicators;
    # they become the indicators' values for the period when the partner acknowledges.
    proposed_values = models.JSONField(_("indicator values"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_comment = models.TextField(_("partner's comment"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-period__starts_on", "task_id", "unit_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "unit", "period"],
                name="report_one_per_task_unit_period",
                violation_error_message=_("This unit already has a report for this period."),
            ),
            models.CheckConstraint(
                condition=Q(percent_done__gte=0) & Q(percent_done__lte=100),
                name="report_percent_within_100",
                violation_error_message=_("The share done is a percentage from 0 to 100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task.code} · {self.period} · {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("programs:progressreport_detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, object] = {}
        if self.percent_done is not None and not 0 <= self.percent_done <= 100:
            errors["percent_done"] = _("The share done is a percentage from 0 to 100.")
        for key, value in (self.proposed_values or {}).items():
            try:
                ok = str(int(key)) == str(key) and Decimal(str(value)) >= 0
            except (ArithmeticError, ValueError):
                ok = False
            if not ok:
                errors["proposed_values"] = _("Each indicator value is a number, zero or more.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_lead(self) -> bool:
        return self.unit_id == self.task.lead_unit_id

    @property
    def is_editable(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)


# --- Indicator values -------------------------------------------------------------------------


class IndicatorValue(models.Model):
    """The entered value of an indicator for one period, with where it comes from."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="values"
    )
    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("period"),
        on_delete=models.PROTECT,
        related_name="indicator_values",
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    source = models.CharField(
        _("source"),
        max_length=300,
        help_text=_("Where the value comes from, e.g. the survey report of the quarter."),
    )
    note = models.TextField(_("note"), blank=True)
    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("progress report"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicator_values",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    audit_hidden_fields = ("indicator", "recorded_at")

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator_id", "period__starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"], name="indicator_value_one_per_period"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="indicator_value_not_negative",
                violation_error_message=_("A value cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("programs:indicator_detail", args=[self.indicator_id])

    def clean(self) -> None:
        errors: dict[str, object] = {}
        if self.value is not None and self.value < 0:
            errors["value"] = _("A value cannot be negative.")
        if self.indicator_id and self.period_id:
            if self.indicator.is_computed:
                errors["value"] = _("This indicator is computed from the registry.")
            elif self.period.program_id != self.indicator.program_id:
                errors["period"] = _("This period is not part of the indicator's program.")
            elif self.period.kind != self.indicator.period_kind:
                errors["period"] = _("This indicator is reported per %(kind)s.") % {
                    "kind": self.indicator.get_period_kind_display().lower()
                }
        if errors:
            raise ValidationError(errors)


# --- Activities -------------------------------------------------------------------------------


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, user) -> ActivityQuerySet:
        return self.filter(program__in=Program.objects.visible_to(user))


class Activity(models.Model):
    """Something the parties did — a dissemination session, a training, a survey — with who
    took part, by group. Feeds the indicators of people reached."""

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=300)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    topic = models.TextField(_("topic"), blank=True)
    organisers = models.ManyToManyField(
        "accounts.Unit", verbose_name=_("organising units"), related_name="organised_activities"
    )
    zones = models.ManyToManyField(
        "registry.Zone", verbose_name=_("zones reached"), related_name="activities", blank=True
    )
    enterprises = models.ManyToManyField(
        "registry.Enterprise",
        verbose_name=_("enterprises reached"),
        related_name="activities",
        blank=True,
    )
    tasks = models.ManyToManyField(
        Task, verbose_name=_("tasks"), related_name="activities", blank=True
    )
    cadres = models.PositiveIntegerField(_("cadres"), default=0)
    party_members = models.PositiveIntegerField(_("party members"), default=0)
    workers = models.PositiveIntegerField(_("workers"), default=0)
    business_owners = models.PositiveIntegerField(_("business owners"), default=0)
    others = models.PositiveIntegerField(_("others"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["program", "held_on"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programs:activity_detail", args=[self.pk])

    def clean(self) -> None:
        if self.held_on and self.program_id:
            program = self.program
            if not program.starts_on <= self.held_on <= program.ends_on:
                raise ValidationError({"held_on": _("The date is outside the program's period.")})
            if self.held_on > timezone.localdate():
                raise ValidationError(
                    {"held_on": _("An activity is recorded once it has taken place.")}
                )

    def clean_relations(self, organisers, tasks) -> None:
        errors: dict[str, object] = {}
        program = self.program if self.program_id else None
        if not organisers:
            errors["organisers"] = _("Name at least one organising unit.")
        elif program and any(u.body_id not in program.party_ids for u in organisers):
            errors["organisers"] = _("Organising units must belong to the program's parties.")
        if program and any(t.area.program_id != program.pk for t in tasks):
            errors["tasks"] = _("These tasks belong to another program.")
        if errors:
            raise ValidationError(errors)

    @property
    def participants(self) -> int:
        return sum(getattr(self, field) or 0 for field in PARTICIPANT_FIELDS)


# --- Attachments ------------------------------------------------------------------------------


def attachment_path(instance: Attachment, filename: str) -> str:
    """A random stored name: the original name is kept in the row, never trusted on disk."""
    extension = os.path.splitext(filename)[1].lower()[:10]
    return f"programs/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


class AttachmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> AttachmentQuerySet:
        programs = Program.objects.visible_to(user)
        return self.filter(
            Q(task__area__program__in=programs)
            | Q(report__task__area__program__in=programs)
            | Q(activity__program__in=programs)
        )


class Attachment(models.Model):
    """A file or a link attached to a task, to a progress report (its evidence) or to an
    activity. Files are served only through a view that checks who may read them."""

    task = models.ForeignKey(
        Task,
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("progress report"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200, blank=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    file_kind = models.CharField(_("file kind"), max_length=10, blank=True)
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    objects = AttachmentQuerySet.as_manager()

    audit_hidden_fields = ("task", "report", "activity", "file", "added_by", "added_at")

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["added_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(task__isnull=False, report__isnull=True, activity__isnull=True)
                    | Q(task__isnull=True, report__isnull=False, activity__isnull=True)
                    | Q(task__isnull=True, report__isnull=True, activity__isnull=False)
                ),
                name="attachment_has_one_parent",
            ),
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(link="")) | (~Q(file="") & Q(link="")),
                name="attachment_file_or_link",
                violation_error_message=_("Attach a file or give a link, not both."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        if self.report_id:
            return reverse("programs:progressreport_detail", args=[self.report_id])
        if self.activity_id:
            return reverse("programs:activity_detail", args=[self.activity_id])
        return reverse("programs:task_detail", args=[self.task_id])

    def clean(self) -> None:
        if bool(self.file) == bool(self.link):
            raise ValidationError({"file": _("Attach a file or give a link, not both.")})

    @property
    def parent(self) -> Task | ProgressReport | Activity:
        parent = self.report or self.activity or self.task
        if parent is None:  # the database's check: exactly one of the three is set
            raise ValueError("An attachment belongs to a report, an activity or a task.")
        return parent


# --- Reminders --------------------------------------------------------------------------------


class Reminder(models.Model):
    """One reminder e-mail sent to a user on a day; at most one a day, however often the job
    runs."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="program_reminders",
    )
    sent_on = models.DateField(_("sent on"))
    items = models.PositiveIntegerField(_("items"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_on", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "sent_on"], name="reminder_one_per_user_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.sent_on}"
