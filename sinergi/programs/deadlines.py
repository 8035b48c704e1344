"""What is due: each task's due dates, which of them are met, overdue or coming soon, and the
period its units should report on now.

A recurring task falls due at the end of each period of its recurrence; a due date is met when
the lead unit has submitted (or the partner acknowledged) the report of that period. A one-off
task falls due once and is met when it is done. Done and cancelled tasks owe nothing.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import F

from sinergi.programs.choices import REPORTED_STATUSES, TaskStatus
from sinergi.programs.models import ProgressReport, ReportingPeriod, Task

# How many days ahead a due date counts as "due soon" (pages and reminder e-mails).
DUE_SOON_DAYS: int = getattr(settings, "SINERGI_DUE_SOON_DAYS", 14)

OVERDUE, DUE_SOON, ON_TRACK, DONE = "overdue", "due_soon", "on_track", "done"


@dataclass
class TaskDeadlines:
    task: Task
    due_dates: list[datetime.date]
    overdue: list[datetime.date] = field(default_factory=list)
    next_due: datetime.date | None = None
    # The period the task's units should report on now: the first started one the lead unit
    # has not yet reported, else None.
    report_period: ReportingPeriod | None = None
    state: str = ON_TRACK

    @property
    def first_overdue(self) -> datetime.date | None:
        return self.overdue[0] if self.overdue else None


def deadlines_for(
    tasks: Iterable[Task], today: datetime.date, soon_days: int = DUE_SOON_DAYS
) -> dict[int, TaskDeadlines]:
    """Deadlines of each task (with `area__program` loaded), in two queries whatever the count."""
    tasks = list(tasks)
    if not tasks:
        return {}
    program_ids = {task.area.program_id for task in tasks}
    periods: dict[tuple[int, str], list[ReportingPeriod]] = defaultdict(list)
    for period in ReportingPeriod.objects.filter(program_id__in=program_ids).order_by("starts_on"):
        periods[(period.program_id, period.kind)].append(period)
    reported = set(
        ProgressReport.objects.filter(
            task_id__in=[task.pk for task in tasks],
            status__in=REPORTED_STATUSES,
            unit_id=F("task__lead_unit_id"),
        ).values_list("task_id", "period_id")
    )
    soon = today + datetime.timedelta(days=soon_days)
    result = {}
    for task in tasks:
        dates = task.due_dates()
        item = TaskDeadlines(task=task, due_dates=dates)
        result[task.pk] = item
        if task.status in (TaskStatus.DONE, TaskStatus.CANCELLED):
            item.state = DONE
            continue
        own = [
            p for p in periods[(task.area.program_id, task.report_period_kind)] if task.runs_in(p)
        ]
        item.report_period = next(
            (p for p in own if p.starts_on <= today and (task.pk, p.pk) not in reported), None
        )
        if task.recurrence:
            met_ends = {p.ends_on for p in own if (task.pk, p.pk) in reported}
            unmet = [day for day in dates if day not in met_ends]
        else:
            unmet = dates
        item.overdue = [day for day in unmet if day < today]
        item.next_due = next((day for day in unmet if day >= today), None)
        if item.overdue:
            item.state = OVERDUE
        elif item.next_due and item.next_due <= soon:
            item.state = DUE_SOON
    return result
