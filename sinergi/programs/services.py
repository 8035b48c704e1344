"""Writes to the coordination program: permission, validation, one transaction, one audit entry.

Who may do what:
- program content (the program, its areas, tasks, indicators and entered values, periods):
  administrators, and coordinators of the bodies that are parties to the program;
- progress reports: for each unit a task involves (its lead and supporting units), that unit's
  editors, the coordinators of its body and administrators; only the lead unit submits;
- sign-off (acknowledge or return): coordinators of a partner body, i.e. a party other than the
  lead unit's body, and administrators;
- activities: editors of an organising unit, coordinators of an organising unit's body,
  administrators.
"""

from __future__ import annotations

import datetime
import os
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sinergi.accounts.models import Unit
from sinergi.core import audit
from sinergi.core.actors import Actor, user_of
from sinergi.core.models import AuditAction
from sinergi.core.services import assign, normalise_text, require, save_audited
from sinergi.core.text import nfc
from sinergi.core.uploads import CSV, EVIDENCE, TEXT, validate_upload
from sinergi.programs import schedule
from sinergi.programs.choices import PARTICIPANT_FIELDS, PeriodKind, ReportStatus, TaskStatus
from sinergi.programs.models import (
    Activity,
    Area,
    Attachment,
    Indicator,
    IndicatorValue,
    Program,
    ProgressReport,
    ReportingPeriod,
    Task,
    body_id_of,
)

# Re-exported for the callers that know the rules as services (the rules live in permissions.py).
from sinergi.programs.permissions import (
    _organises as _organises,
)
from sinergi.programs.permissions import (
    can_acknowledge as can_acknowledge,
)
from sinergi.programs.permissions import (
    can_change_attachments as can_change_attachments,
)
from sinergi.programs.permissions import (
    can_create_program as can_create_program,
)
from sinergi.programs.permissions import (
    can_edit_activity as can_edit_activity,
)
from sinergi.programs.permissions import (
    can_manage_program as can_manage_program,
)
from sinergi.programs.permissions import (
    can_read_program as can_read_program,
)
from sinergi.programs.permissions import (
    can_record_activities as can_record_activities,
)
from sinergi.programs.permissions import (
    can_report as can_report,
)
from sinergi.programs.permissions import (
    partner_body_ids as partner_body_ids,
)
from sinergi.programs.permissions import (
    reporting_units as reporting_units,
)

PROGRAM_FIELDS = (
    "code",
    "title",
    "basis_number",
    "basis_date",
    "starts_on",
    "ends_on",
    "status",
    "report_every",
    "description",
)
PROGRAM_RELATIONS = ("parties", "overseers", "zones")
AREA_FIELDS = ("number", "title", "description")
TASK_FIELDS = (
    "area",
    "number",
    "title",
    "description",
    "lead_unit",
    "responsible",
    "starts_on",
    "due_on",
    "recurrence",
    "status",
    "priority",
)
TASK_RELATIONS = ("supporting_units", "zones", "enterprises", "indicators")
INDICATOR_FIELDS = (
    "area",
    "code",
    "name",
    "unit_of_measure",
    "baseline",
    "baseline_year",
    "yearly_targets",
    "target",
    "direction",
    "measure",
    "period_kind",
    "rule",
    "organisation_type",
    "description",
)
REPORT_FIELDS = ("task_status", "percent_done", "narrative")
ACTIVITY_FIELDS = ("kind", "title", "held_on", "place", "topic", *PARTICIPANT_FIELDS, "notes")
ACTIVITY_RELATIONS = ("organisers", "zones", "enterprises", "tasks")

# Timestamps say nothing a reader needs: the audit entry has its own time.
TIMESTAMPS = ("created_at", "updated_at")


# --- Permission rules -------------------------------------------------------------------------


_user = user_of  # the actor as a user row to store, or None for the system


# The rules live in programs/permissions.py, with their queryset forms; named here too for the
# callers that know them as services.


# --- Shared steps -----------------------------------------------------------------------------


def _split(data: dict[str, Any], fields, relations) -> tuple[dict[str, Any], dict[str, list]]:
    unknown = set(data) - set(fields) - set(relations)
    if unknown:
        raise ValidationError(f"Unknown fields: {', '.join(sorted(unknown))}")
    plain = {key: value for key, value in data.items() if key in fields}
    related = {key: list(value or []) for key, value in data.items() if key in relations}
    return plain, related


def _current(obj, related: dict[str, list], names) -> dict[str, list]:
    """The many-to-many values after the write: the given ones, else those stored."""
    return {
        name: related[name] if name in related else list(getattr(obj, name).all()) if obj.pk else []
        for name in names
    }


def _save(obj, *, actor: Actor, before, related=None, check=None, message="", exclude=TIMESTAMPS):
    """Validate the row and its many-to-many choices together (so every error shows at once),
    save both and audit the change. Call inside atomic()."""
    errors: dict = {}
    try:
        obj.full_clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if check is not None:
        try:
            check()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    obj.save()
    for name, values in (related or {}).items():
        getattr(obj, name).set(values)
    after = audit.snapshot(obj, exclude)
    if before is not None and before == after:
        return obj
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
        obj=obj,
        before=before,
        after=after,
        message=message,
    )
    return obj


def _locked_error(field: str = "period") -> ValidationError:
    return ValidationError({field: _("This period is locked: a review has closed it.")})


def _date_is_locked(program: Program, day: datetime.date) -> bool:
    return program.periods.filter(
        starts_on__lte=day, ends_on__gte=day, locked_at__isnull=False
    ).exists()


# --- Programs and periods ---------------------------------------------------------------------


def _sync_periods(program: Program) -> int:
    """Create the program's months, quarters, half-years and years; drop those its new dates no
    longer cover. Periods with reports or values, and locked ones, are never dropped or moved."""
    wanted = {
        (s.kind, s.year, s.number): s
        for s in schedule.all_spans(program.starts_on, program.ends_on)
    }
    existing = {(p.kind, p.year, p.number): p for p in program.periods.all()}
    for key, period in existing.items():
        span = wanted.get(key)
        moved = span is None or (span.start, span.end) != (period.starts_on, period.ends_on)
        if not moved:
            continue
        if period.is_locked or (
            span is None and (period.reports.exists() or period.indicator_values.exists())
        ):
            field = "starts_on" if period.starts_on < program.starts_on else "ends_on"
            raise ValidationError(
                {
                    field: _(
                        "%(period)s has reports, values or a lock; the new dates would drop "
                        "or move it."
                    )
                    % {"period": period.label}
                }
            )
    for key, period in existing.items():
        span = wanted.get(key)
        if span is None:
            period.delete()
        elif (span.start, span.end) != (period.starts_on, period.ends_on):
            period.starts_on, period.ends_on = span.start, span.end
            period.save(update_fields=["starts_on", "ends_on"])
    new = [
        ReportingPeriod(
            program=program,
            kind=span.kind,
            year=span.year,
            number=span.number,
            starts_on=span.start,
            ends_on=span.end,
        )
        for key, span in wanted.items()
        if key not in existing
    ]
    ReportingPeriod.objects.bulk_create(new)
    return len(new)


def _check_program_contents(program: Program) -> None:
    """New dates must still hold the program's tasks and activities."""
    if not program.pk:
        return
    start, end = program.starts_on, program.ends_on
    tasks = Task.objects.filter(area__program=program)
    errors = {}
    if tasks.filter(starts_on__lt=start).exists():
        errors["starts_on"] = _("Some tasks start before the new start.")
    if tasks.filter(Q(starts_on__gt=end) | Q(due_on__gt=end)).exists():
        errors["ends_on"] = _("Some tasks run past the new end.")
    activities = program.activities.all()
    if activities.filter(held_on__lt=start).exists():
        errors.setdefault("starts_on", _("Some activities took place before the new start."))
    if activities.filter(held_on__gt=end).exists():
        errors.setdefault("ends_on", _("Some activities took place after the new end."))
    if errors:
        raise ValidationError(errors)


def _write_program(actor: Actor, program: Program, data: dict[str, Any], before) -> Program:
    plain, related = _split(data, PROGRAM_FIELDS, PROGRAM_RELATIONS)
    assign(program, plain, PROGRAM_FIELDS)
    relations = _current(program, related, PROGRAM_RELATIONS)
    if not actor.is_admin and body_id_of(actor) not in {u.pk for u in relations["parties"]}:
        raise ValidationError({"parties": _("Your own body must be one of the parties.")})
    if program.pk:
        leading = Unit.objects.filter(led_tasks__area__program=program).values_list(
            "body_id", flat=True
        )
        if set(leading) - {u.pk for u in relations["parties"]}:
            raise ValidationError(
                {"parties": _("A body whose units lead tasks cannot leave the program.")}
            )
    if program.starts_on and program.ends_on:
        _check_program_contents(program)
    _save(
        program,
        actor=actor,
        before=before,
        related=related,
        check=lambda: Program.clean_relations(relations["parties"], relations["overseers"]),
    )
    program.__dict__.pop("party_ids", None)
    program.__dict__.pop("zone_ids", None)
    _sync_periods(program)
    return program


def program_create(*, actor: Actor, data: dict[str, Any]) -> Program:
    """Create a program with its parties; its reporting periods follow from its dates."""
    require(can_create_program(actor))
    with transaction.atomic():
        return _write_program(actor, Program(), data, None)


def program_update(*, actor: Actor, program: Program, data: dict[str, Any]) -> Program:
    """Change a program; new dates add or drop reporting periods (never used or locked ones)."""
    require(can_manage_program(actor, program))
    with transaction.atomic():
        before = audit.snapshot(program, TIMESTAMPS)
        return _write_program(actor, program, data, before)


def period_lock(
    *, actor: Actor, period: ReportingPeriod, at: datetime.datetime | None = None
) -> list[ReportingPeriod]:
    """Lock a period and every period inside it: their reports, entered values and activities
    can no longer change, and computed values keep the registry's knowledge of that moment.
    Called when a review closes the period."""
    require(can_manage_program(actor, period.program))
    if period.is_locked:
        raise ValidationError({"period": _("This period is already locked.")})
    moment = at or timezone.now()
    with transaction.atomic():
        inside = ReportingPeriod.objects.select_for_update().filter(
            program_id=period.program_id,
            starts_on__gte=period.starts_on,
            ends_on__lte=period.ends_on,
            locked_at__isnull=True,
        )
        locked = []
        for item in inside:
            before = audit.snapshot(item)
            item.locked_at, item.locked_by = moment, _user(actor)
            item.save(update_fields=["locked_at", "locked_by"])
            audit.record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=item,
                before=before,
                after=audit.snapshot(item),
                message=_("locked"),
            )
            locked.append(item)
    return locked


def period_unlock(*, actor: Actor, period: ReportingPeriod) -> list[ReportingPeriod]:
    """Reopen a locked period (administrators only), with the periods inside and around it."""
    require(actor.is_authenticated and actor.is_admin)
    with transaction.atomic():
        around = ReportingPeriod.objects.select_for_update().filter(
            program_id=period.program_id,
            starts_on__lte=period.ends_on,
            ends_on__gte=period.starts_on,
            locked_at__isnull=False,
        )
        opened = []
        for item in around:
            before = audit.snapshot(item)
            item.locked_at, item.locked_by = None, None
            item.save(update_fields=["locked_at", "locked_by"])
            audit.record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=item,
                before=before,
                after=audit.snapshot(item),
                message=_("unlocked"),
            )
            opened.append(item)
    return opened


# --- Areas ------------------------------------------------------------------------------------


def _next_number(queryset) -> int:
    return (queryset.aggregate(top=Max("number"))["top"] or 0) + 1


def area_create(*, actor: Actor, program: Program, data: dict[str, Any]) -> Area:
    """Add a coordination area; without a number it takes the next one."""
    require(can_manage_program(actor, program))
    with transaction.atomic():
        area = assign(Area(program=program), data, AREA_FIELDS)
        if not area.number:
            area.number = _next_number(program.areas.all())
        return save_audited(area, actor=actor, before=None)


def area_update(*, actor: Actor, area: Area, data: dict[str, Any]) -> Area:
    """Change an area's number, title or description."""
    require(can_manage_program(actor, area.program))
    with transaction.atomic():
        before = audit.snapshot(area)
        assign(area, data, AREA_FIELDS)
        return save_audited(area, actor=actor, before=before)


# --- Tasks ------------------------------------------------------------------------------------


def _write_task(actor: Actor, task: Task, program: Program, data: dict[str, Any], before) -> Task:
    plain, related = _split(data, TASK_FIELDS, TASK_RELATIONS)
    assign(task, plain, TASK_FIELDS)
    if task.area_id and task.area.program_id != program.pk:
        raise ValidationError({"area": _("This area belongs to another program.")})
    if task.area_id and not task.number:
        task.number = _next_number(Task.objects.filter(area_id=task.area_id))
    if task.status == TaskStatus.DONE:
        task.percent_done = 100
    relations = _current(task, related, TASK_RELATIONS)
    return _save(
        task,
        actor=actor,
        before=before,
        related=related,
        check=lambda: task.clean_relations(relations["supporting_units"], relations["indicators"]),
    )


def task_create(*, actor: Actor, program: Program, data: dict[str, Any]) -> Task:
    """Add a task under one of the program's areas, with its lead and supporting units."""
    require(can_manage_program(actor, program))
    with transaction.atomic():
        return _write_task(actor, Task(), program, data, None)


def task_update(*, actor: Actor, task: Task, data: dict[str, Any]) -> Task:
    """Change a task; a task marked done is 100% done."""
    program = task.area.program
    require(can_manage_program(actor, program))
    with transaction.atomic():
        before = audit.snapshot(task, TIMESTAMPS)
        return _write_task(actor, task, program, data, before)


# --- Indicators -------------------------------------------------------------------------------


def indicator_create(*, actor: Actor, program: Program, data: dict[str, Any]) -> Indicator:
    """Add an indicator, entered or computed by a named rule, with its targets."""
    require(can_manage_program(actor, program))
    with transaction.atomic():
        indicator = assign(Indicator(program=program), data, INDICATOR_FIELDS)
        return save_audited(indicator, actor=actor, before=None)


def indicator_update(*, actor: Actor, indicator: Indicator, data: dict[str, Any]) -> Indicator:
    """Change an indicator; one with entered values cannot become computed."""
    require(can_manage_program(actor, indicator.program))
    with transaction.atomic():
        before = audit.snapshot(indicator)
        assign(indicator, data, INDICATOR_FIELDS)
        if indicator.rule and indicator.values.exists():
            raise ValidationError(
                {"rule": _("This indicator has entered values; it cannot become computed.")}
            )
        return save_audited(indicator, actor=actor, before=before)


def _write_value(
    actor: Actor, indicator: Indicator, period: ReportingPeriod, fields: dict[str, Any]
) -> IndicatorValue:
    if period.is_locked:
        raise _locked_error()
    value = IndicatorValue.objects.filter(indicator=indicator, period=period).first()
    before = audit.snapshot(value, ("recorded_at",)) if value else None
    value = value or IndicatorValue(indicator=indicator, period=period)
    for key, item in normalise_text(fields).items():
        setattr(value, key, item)
    value.recorded_by = _user(actor)
    return save_audited(value, actor=actor, before=before, exclude_from_audit=("recorded_at",))


def indicator_value_set(
    *,
    actor: Actor,
    indicator: Indicator,
    period: ReportingPeriod,
    value: Decimal,
    source: str,
    note: str = "",
) -> IndicatorValue:
    """Enter (or correct) an indicator's value for a period, with its source."""
    require(can_manage_program(actor, indicator.program))
    with transaction.atomic():
        return _write_value(
            actor,
            indicator,
            period,
            {"value": value, "source": source, "note": note, "report": None},
        )


# --- Progress reports -------------------------------------------------------------------------


def _check_period(task: Task, period: ReportingPeriod) -> None:
    if period.program_id != task.area.program_id:
        raise ValidationError({"period": _("This period is not part of the task's program.")})
    if period.is_locked:
        raise _locked_error()
    if period.kind != task.report_period_kind:
        raise ValidationError(
            {
                "period": _("Progress on this task is reported per %(kind)s.")
                % {"kind": str(PeriodKind(task.report_period_kind).label).lower()}
            }
        )
    if not task.runs_in(period):
        raise ValidationError({"period": _("The task does not run in this period.")})


def _proposed_values(
    task: Task, unit: Unit, period: ReportingPeriod, values: dict
) -> dict[str, str]:
    """Indicator values a lead report states, keyed by indicator id. Errors are keyed
    `indicator_<id>`, the name of the report form's field for that indicator."""
    stated = {indicator: value for indicator, value in values.items() if value not in (None, "")}
    if not stated:
        return {}
    if unit.pk != task.lead_unit_id:
        raise ValidationError(_("Only the lead unit states indicator values."))
    linked = {i.pk: i for i in task.indicators.all()}
    errors, clean = {}, {}
    for indicator, value in stated.items():
        key = f"indicator_{indicator.pk}"
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            number = None
        if indicator.pk not in linked or indicator.is_computed:
            errors[key] = _("This indicator is not entered through this task's reports.")
        elif indicator.period_kind != period.kind:
            errors[key] = _("This indicator is reported per %(kind)s.") % {
                "kind": indicator.get_period_kind_display().lower()
            }
        elif number is None or not number.is_finite() or number < 0:
            errors[key] = _("A value cannot be negative.")
        else:
            clean[str(indicator.pk)] = str(number)
    if errors:
        raise ValidationError(errors)
    return clean


def progress_report_save(
    *,
    actor: Actor,
    task: Task,
    unit: Unit,
    period: ReportingPeriod,
    data: dict[str, Any],
    values: dict | None = None,
) -> ProgressReport:
    """Write a unit's report on a task for a period; a second call for the same task, unit and
    period updates the draft. `values` maps indicators to the values the lead unit states."""
    require(can_report(actor, task, unit))
    _check_period(task, period)
    with transaction.atomic():
        report = (
            ProgressReport.objects.select_for_update()
            .filter(task=task, unit=unit, period=period)
            .first()
        )
        if report is not None and not report.is_editable:
            raise ValidationError(
                _("This report has been submitted; it can change again only if it is returned.")
            )
        if unit.pk != task.lead_unit_id:
            lead = ProgressReport.objects.filter(
                task=task, unit_id=task.lead_unit_id, period=period
            ).first()
            if lead is not None and not lead.is_editable:
                raise ValidationError(
                    _("The lead unit has already submitted the report of this period.")
                )
        before = audit.snapshot(report, TIMESTAMPS) if report else None
        if report is None:
            report = ProgressReport(task=task, unit=unit, period=period, created_by=_user(actor))
        assign(report, data, REPORT_FIELDS)
        report.proposed_values = _proposed_values(task, unit, period, values or {})
        return save_audited(report, actor=actor, before=before, exclude_from_audit=TIMESTAMPS)


def _move(reports, status: str, actor: Actor, message: str, **fields) -> None:
    for report in reports:
        before = audit.snapshot(report, TIMESTAMPS)
        report.status = status
        for key, value in fields.items():
            setattr(report, key, value)
        report.save()
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=report,
            before=before,
            after=audit.snapshot(report, TIMESTAMPS),
            message=message,
        )


def _locked_for_change(report: ProgressReport) -> ProgressReport:
    report = ProgressReport.objects.select_for_update().select_related("period").get(pk=report.pk)
    if report.period.is_locked:
        raise _locked_error()
    return report


def _contributions(report: ProgressReport, statuses):
    """The supporting units' reports of the same task and period, in the given states."""
    return (
        ProgressReport.objects.select_for_update()
        .filter(task_id=report.task_id, period_id=report.period_id, status__in=statuses)
        .exclude(pk=report.pk)
    )


def progress_report_submit(
    *, actor: Actor, report: ProgressReport, at: datetime.datetime | None = None
) -> ProgressReport:
    """The lead unit sends the period's report (with the supporting units' contributions) to
    the partner body for sign-off."""
    require(report.is_lead and can_report(actor, report.task, report.unit))
    moment = at or timezone.now()
    with transaction.atomic():
        report = _locked_for_change(report)
        if not report.is_editable:
            raise ValidationError(_("This report has already been submitted."))
        fields = {"submitted_at": moment, "submitted_by": _user(actor)}
        _move(
            _contributions(report, (ReportStatus.DRAFT, ReportStatus.RETURNED)),
            ReportStatus.SUBMITTED,
            actor,
            _("submitted with the lead unit's report"),
            **fields,
        )
        _move([report], ReportStatus.SUBMITTED, actor, _("submitted"), **fields)
    return report


def _apply_to_task(actor: Actor, report: ProgressReport) -> None:
    """The newest acknowledged lead report sets the task's status and share done."""
    task = report.task
    newer = ProgressReport.objects.filter(
        task=task,
        unit_id=task.lead_unit_id,
        status=ReportStatus.ACKNOWLEDGED,
        period__ends_on__gt=report.period.ends_on,
    ).exclude(pk=report.pk)
    if newer.exists():
        return
    task = Task.objects.select_for_update().get(pk=task.pk)
    before = audit.snapshot(task, TIMESTAMPS)
    task.status, task.percent_done = report.task_status, report.percent_done
    _save(task, actor=actor, before=before, message=_("from the acknowledged progress report"))


def _apply_values(actor: Actor, report: ProgressReport) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        source = _("Progress report %(report)s") % {"report": report}
    indicators = Indicator.objects.in_bulk([int(pk) for pk in report.proposed_values])
    for pk, value in report.proposed_values.items():
        indicator = indicators.get(int(pk))
        if indicator is None:
            continue
        _write_value(
            actor,
            indicator,
            report.period,
            {"value": Decimal(value), "source": source[:300], "note": "", "report": report},
        )


def progress_report_acknowledge(
    *, actor: Actor, report: ProgressReport, comment: str = "", at: datetime.datetime | None = None
) -> ProgressReport:
    """The partner body signs the report off: the task takes the reported status and share
    done, and the indicator values the report states become the period's values."""
    require(can_acknowledge(actor, report))
    moment = at or timezone.now()
    with transaction.atomic():
        report = _locked_for_change(report)
        if report.status != ReportStatus.SUBMITTED:
            raise ValidationError(_("Only a submitted report can be acknowledged."))
        fields = {"reviewed_at": moment, "reviewed_by": _user(actor)}
        _move(
            _contributions(report, (ReportStatus.SUBMITTED,)),
            ReportStatus.ACKNOWLEDGED,
            actor,
            _("acknowledged with the lead unit's report"),
            **fields,
        )
        _move(
            [report],
            ReportStatus.ACKNOWLEDGED,
            actor,
            _("acknowledged"),
            review_comment=nfc(comment),
            **fields,
        )
        _apply_to_task(actor, report)
        _apply_values(actor, report)
    return report


def progress_report_return(
    *, actor: Actor, report: ProgressReport, comment: str, at: datetime.datetime | None = None
) -> ProgressReport:
    """The partner body sends the report back with a comment; its units may edit and the lead
    unit may submit it again."""
    require(can_acknowledge(actor, report))
    comment = nfc(comment or "")
    if not comment:
        raise ValidationError({"review_comment": _("Say what should change in the report.")})
    moment = at or timezone.now()
    with transaction.atomic():
        report = _locked_for_change(report)
        if report.status != ReportStatus.SUBMITTED:
            raise ValidationError(_("Only a submitted report can be returned."))
        fields = {"reviewed_at": moment, "reviewed_by": _user(actor)}
        _move(
            _contributions(report, (ReportStatus.SUBMITTED,)),
            ReportStatus.RETURNED,
            actor,
            _("returned with the lead unit's report"),
            **fields,
        )
        _move(
            [report], ReportStatus.RETURNED, actor, _("returned"), review_comment=comment, **fields
        )
    return report


# --- Attachments ------------------------------------------------------------------------------


def _check_parent_open(parent) -> None:
    """Evidence changes with its report: only while the report is editable and unlocked."""
    if isinstance(parent, ProgressReport):
        if parent.period.is_locked:
            raise _locked_error("file")
        if not parent.is_editable:
            raise ValidationError(
                _("Evidence can change only while the report is a draft or returned.")
            )
    if isinstance(parent, Activity) and _date_is_locked(parent.program, parent.held_on):
        raise _locked_error("file")


def attachment_add(*, actor: Actor, parent, data: dict[str, Any]) -> Attachment:
    """Attach a file (checked by its content) or a link to a task, report or activity."""
    require(can_change_attachments(actor, parent))
    unknown = set(data) - {"title", "file", "link"}
    if unknown:
        raise ValidationError(f"Unknown fields: {', '.join(sorted(unknown))}")
    _check_parent_open(parent)
    upload, link = data.get("file"), nfc(data.get("link") or "")
    attachment = Attachment(link=link, added_by=_user(actor))
    setattr(
        attachment,
        {Task: "task", ProgressReport: "report", Activity: "activity"}[type(parent)],
        parent,
    )
    if upload:
        try:
            kind = validate_upload(upload, EVIDENCE)
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from error
        # Text and CSV read alike; the name tells which the person meant.
        if kind in (CSV, TEXT):
            kind = CSV if upload.name.lower().endswith(".csv") else TEXT
        attachment.file_kind = kind
        attachment.file = upload
        attachment.filename = nfc(os.path.basename(upload.name))[:255]
        attachment.size = upload.size
    attachment.title = nfc(data.get("title") or "") or attachment.filename or link
    with transaction.atomic():
        try:
            return save_audited(attachment, actor=actor, before=None, exclude_from_audit=("file",))
        except BaseException:
            if attachment.file and attachment.pk is None:
                attachment.file.delete(save=False)
            raise


def attachment_delete(*, actor: Actor, attachment: Attachment) -> None:
    """Remove an attachment; its file goes once the transaction has committed."""
    parent = attachment.parent
    require(can_change_attachments(actor, parent))
    _check_parent_open(parent)
    with transaction.atomic():
        before = audit.snapshot(attachment, ("file",))
        stored = attachment.file.name if attachment.file else ""
        audit.record(actor=actor, action=AuditAction.DELETE, obj=attachment, before=before)
        attachment.delete()
        if stored:
            storage = attachment.file.storage
            transaction.on_commit(lambda: storage.delete(stored))


# --- Activities -------------------------------------------------------------------------------


def _write_activity(actor: Actor, activity: Activity, data: dict[str, Any], before) -> Activity:
    plain, related = _split(data, ACTIVITY_FIELDS, ACTIVITY_RELATIONS)
    old_day = activity.held_on
    assign(activity, plain, ACTIVITY_FIELDS)
    relations = _current(activity, related, ACTIVITY_RELATIONS)
    if relations["organisers"] and not _organises(actor, relations["organisers"]):
        raise ValidationError({"organisers": _("Your unit must be among the organising units.")})
    for day in {old_day, activity.held_on} - {None}:
        if _date_is_locked(activity.program, day):
            raise _locked_error("held_on")
    return _save(
        activity,
        actor=actor,
        before=before,
        related=related,
        check=lambda: activity.clean_relations(relations["organisers"], relations["tasks"]),
    )


def activity_create(*, actor: Actor, program: Program, data: dict[str, Any]) -> Activity:
    """Record an activity the actor's unit (or body) organised, with participants by group."""
    require(can_record_activities(actor, program))
    with transaction.atomic():
        return _write_activity(
            actor, Activity(program=program, created_by=_user(actor)), data, None
        )


def activity_update(*, actor: Actor, activity: Activity, data: dict[str, Any]) -> Activity:
    """Change an activity the actor's unit (or body) organised."""
    require(can_edit_activity(actor, activity))
    with transaction.atomic():
        before = audit.snapshot(activity, TIMESTAMPS)
        return _write_activity(actor, activity, data, before)
