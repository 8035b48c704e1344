"""Who may do what in a program: each rule as a predicate (for one object, used by the services
and the pages) and, where a list needs it, as a queryset (the same rule over many rows, used by
the pages and the API). The services check the predicates; nothing else restates them."""

from __future__ import annotations

from sinergi.accounts.models import Unit
from sinergi.core.actors import Actor
from sinergi.programs.choices import ReportStatus
from sinergi.programs.models import (
    Activity,
    Program,
    ProgressReport,
    ProgressReportQuerySet,
    Task,
    body_id_of,
)

# --- Predicates -------------------------------------------------------------------------------


def can_read_program(actor: Actor, program: Program) -> bool:
    if not actor.is_authenticated:
        return False
    return actor.is_admin or Program.objects.visible_to(actor).filter(pk=program.pk).exists()


def can_create_program(actor: Actor) -> bool:
    return actor.is_authenticated and (actor.is_admin or actor.is_coordinator)


def can_manage_program(actor: Actor, program: Program) -> bool:
    """The program's content: administrators and the coordinators of its parties."""
    if not actor.is_authenticated:
        return False
    if actor.is_admin:
        return True
    return actor.is_coordinator and body_id_of(actor) in program.party_ids


def reporting_units(actor: Actor, task: Task) -> list[Unit]:
    """The units of `task` (lead first, then supporting) the actor may report for."""
    if not actor.is_authenticated:
        return []
    units = [task.lead_unit, *task.supporting_units.all()]
    if actor.is_admin:
        return units
    if actor.is_coordinator:
        return [unit for unit in units if unit.body_id == body_id_of(actor)]
    if actor.is_editor:
        return [unit for unit in units if unit.pk == actor.unit_id]
    return []


def can_report(actor: Actor, task: Task, unit: Unit) -> bool:
    return any(u.pk == unit.pk for u in reporting_units(actor, task))


def partner_body_ids(task: Task) -> set[int]:
    """The parties other than the lead unit's body: they sign off the task's reports."""
    return task.area.program.party_ids - {task.lead_unit.body_id}


def can_acknowledge(actor: Actor, report: ProgressReport) -> bool:
    """Acknowledging or returning is the partner body's act, done by its coordinator."""
    if not actor.is_authenticated or not report.is_lead:
        return False
    if actor.is_admin:
        return True
    return actor.is_coordinator and body_id_of(actor) in partner_body_ids(report.task)


def can_record_activities(actor: Actor, program: Program) -> bool:
    """Whether the actor may record activities of the program at all (for some unit)."""
    if not actor.is_authenticated:
        return False
    if actor.is_admin:
        return True
    return (actor.is_coordinator or actor.is_editor) and body_id_of(actor) in program.party_ids


def can_edit_activity(actor: Actor, activity: Activity) -> bool:
    if not can_record_activities(actor, activity.program):
        return False
    return actor.is_admin or _organises(actor, list(activity.organisers.all()))


def _organises(actor: Actor, organisers: list[Unit]) -> bool:
    if actor.is_admin:
        return True
    if actor.is_coordinator:
        return any(unit.body_id == body_id_of(actor) for unit in organisers)
    return any(unit.pk == actor.unit_id for unit in organisers)


def can_change_attachments(actor: Actor, parent) -> bool:
    if isinstance(parent, Task):
        return can_manage_program(actor, parent.area.program)
    if isinstance(parent, ProgressReport):
        return can_report(actor, parent.task, parent.unit)
    return can_edit_activity(actor, parent)


# --- Querysets --------------------------------------------------------------------------------


def acknowledgeable_reports(
    actor: Actor, reports: ProgressReportQuerySet
) -> ProgressReportQuerySet:
    """`can_acknowledge` over many reports: the submitted lead reports among `reports` that the
    actor may acknowledge or return (administrators: all; a coordinator: those of programs their
    body is a party to, led by another body; others: none)."""
    if not actor.is_authenticated:
        return reports.none()
    if actor.is_admin:
        return reports.leads().filter(status=ReportStatus.SUBMITTED)
    if actor.is_coordinator:
        body = body_id_of(actor)
        return (
            reports.leads()
            .filter(status=ReportStatus.SUBMITTED, task__area__program__parties=body)
            .exclude(task__lead_unit__body_id=body)
        )
    return reports.none()


def may_report_or_record(actor: Actor) -> bool:
    """Whether the actor may report on some task or record some activity at all (the API's
    create checks; the object's own rule decides the rest)."""
    return actor.is_authenticated and (actor.is_admin or actor.is_coordinator or actor.is_editor)
