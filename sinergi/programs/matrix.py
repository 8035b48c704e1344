"""Who does what: the program's areas against the units that lead or support their tasks, with
each task's state; and the same matrix as CSV or XLSX."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from sinergi.accounts.models import Unit
from sinergi.core.spreadsheets import place
from sinergi.programs.charts import STATE_COLOURS
from sinergi.programs.choices import TaskStatus
from sinergi.programs.deadlines import OVERDUE, TaskDeadlines, deadlines_for
from sinergi.programs.models import Area, Program, Task

LEAD, SUPPORT = "lead", "support"
# Which status colours a cell holding several tasks: the one that most needs attention.
URGENCY = [
    TaskStatus.STALLED,
    TaskStatus.IN_PROGRESS,
    TaskStatus.NOT_STARTED,
    TaskStatus.DONE,
    TaskStatus.CANCELLED,
]


@dataclass
class Mark:
    task: Task
    role: str
    overdue: bool

    @property
    def state(self) -> str:
        return self.task.status

    @property
    def state_label(self) -> str:
        label = str(TaskStatus(self.task.status).label)
        return f"{label}, {_('overdue')}" if self.overdue else label

    @property
    def role_letter(self) -> str:
        # L and S as in the program documents' "chủ trì / phối hợp" columns.
        return _("L") if self.role == LEAD else _("S")


@dataclass
class Row:
    area: Area
    cells: list[list[Mark]] = field(default_factory=list)


@dataclass
class Matrix:
    program: Program
    units: list[Unit]
    rows: list[Row]
    deadlines: dict[int, TaskDeadlines]


def build_matrix(program: Program, today: datetime.date) -> Matrix:
    """Areas as rows, involved units (grouped by body) as columns, tasks as marks in cells."""
    tasks = list(
        Task.objects.filter(area__program=program)
        .select_related("area__program", "lead_unit")
        .prefetch_related("supporting_units")
    )
    deadlines = deadlines_for(tasks, today)
    involved: dict[int, Unit] = {}
    for task in tasks:
        involved[task.lead_unit_id] = task.lead_unit
        for unit in task.supporting_units.all():
            involved[unit.pk] = unit
    bodies = {u.pk: u for u in Unit.objects.filter(pk__in={u.body_id for u in involved.values()})}
    units = sorted(
        involved.values(),
        key=lambda u: (str(bodies[u.body_id]), u.parent_id is not None, str(u)),
    )
    column = {unit.pk: index for index, unit in enumerate(units)}
    rows = []
    for area in program.areas.all():
        row = Row(area, [[] for _unit in units])
        for task in (t for t in tasks if t.area_id == area.pk):
            late = _overdue(deadlines.get(task.pk))
            row.cells[column[task.lead_unit_id]].append(Mark(task, LEAD, late))
            for unit in task.supporting_units.all():
                row.cells[column[unit.pk]].append(Mark(task, SUPPORT, late))
        rows.append(row)
    return Matrix(program, units, rows, deadlines)


def _overdue(deadline: TaskDeadlines | None) -> bool:
    return deadline is not None and deadline.state == OVERDUE


def _cell_text(marks: list[Mark]) -> str:
    return "\n".join(f"{m.role_letter} {m.task.code} ({m.state_label})" for m in marks)


def header(matrix: Matrix) -> list[str]:
    return [_("Area"), *[str(unit) for unit in matrix.units]]


def rows(matrix: Matrix) -> Iterator[list[str]]:
    for row in matrix.rows:
        yield [str(row.area), *[_cell_text(cell).replace("\n", "; ") for cell in row.cells]]


def _fill(colour: str) -> PatternFill:
    return PatternFill("solid", fgColor=colour.lstrip("#").upper())


def _sheet_header(sheet, titles: list[str], widths: list[int]) -> None:
    for index, (title, width) in enumerate(zip(titles, widths, strict=True), start=1):
        cell = place(sheet.cell(row=1, column=index), title)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = _fill("#1e3a8a")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = width


def write_xlsx(matrix: Matrix, stream: IO[bytes]) -> None:
    """Two sheets: the matrix (cells coloured by their most urgent task) and the task list."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Who does what")[:31]
    _sheet_header(sheet, header(matrix), [48] + [24] * len(matrix.units))
    sheet.freeze_panes = "B2"
    for row_index, row in enumerate(matrix.rows, start=2):
        place(sheet.cell(row=row_index, column=1), str(row.area)).alignment = Alignment(
            wrap_text=True, vertical="top"
        )
        for column_index, marks in enumerate(row.cells, start=2):
            if not marks:
                continue
            cell = place(sheet.cell(row=row_index, column=column_index), _cell_text(marks))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            state = min((m.state for m in marks), key=URGENCY.index)
            cell.fill = _fill(STATE_COLOURS[state])
            late = any(m.overdue for m in marks)
            light = state in (TaskStatus.IN_PROGRESS, TaskStatus.DONE)
            # Overdue work shows in bold red on light fills, bold on dark ones.
            cell.font = Font(bold=late, color="FFFFFF" if light else ("B91C1C" if late else None))
    tasks = workbook.create_sheet(_("Tasks")[:31])
    _sheet_header(
        tasks,
        [
            _("No."),
            _("Task"),
            _("Area"),
            _("Lead unit"),
            _("Supporting units"),
            _("Status"),
            _("% done"),
            _("Next due"),
            _("Overdue since"),
        ],
        [8, 50, 36, 26, 36, 16, 10, 14, 14],
    )
    tasks.freeze_panes = "A2"
    ordered = sorted(_all_tasks(matrix), key=lambda t: (t.area.number, t.number))
    for row_index, task in enumerate(ordered, start=2):
        deadline = matrix.deadlines.get(task.pk)
        values = [
            task.code,
            task.title,
            str(task.area),
            str(task.lead_unit),
            ", ".join(str(u) for u in task.supporting_units.all()),
            Mark(task, LEAD, _overdue(deadline)).state_label,
            task.percent_done,
            deadline.next_due if deadline else None,
            deadline.first_overdue if deadline else None,
        ]
        for column_index, value in enumerate(values, start=1):
            place(tasks.cell(row=row_index, column=column_index), value)
    for column in ("H", "I"):
        for cell in tasks[column][1:]:
            cell.number_format = "yyyy-mm-dd"
    workbook.save(stream)


def _all_tasks(matrix: Matrix) -> list[Any]:
    seen: dict[int, Task] = {}
    for row in matrix.rows:
        for cell in row.cells:
            for mark in cell:
                seen[mark.task.pk] = mark.task
    return list(seen.values())
