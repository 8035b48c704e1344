"""The program's charts, drawn on the server as SVG (no script, works offline, strict CSP)."""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from sinergi.programs.choices import Measure, TaskStatus
from sinergi.programs.deadlines import OVERDUE, TaskDeadlines
from sinergi.programs.indicator_values import PeriodValue
from sinergi.programs.models import Activity, Indicator, Program, Task
from sinergi.registry.charts import number_ticks

# The colours of task states; app.css uses the same ones for the matrix and the chips.
STATE_COLOURS = {
    TaskStatus.NOT_STARTED: "#9ca3af",
    TaskStatus.IN_PROGRESS: "#2563eb",
    TaskStatus.STALLED: "#d97706",
    TaskStatus.DONE: "#059669",
    TaskStatus.CANCELLED: "#d1d5db",
    OVERDUE: "#dc2626",
}


def _svg(fig) -> bytes:
    try:
        fig.tight_layout()
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg")
        return buffer.getvalue().encode("utf-8")
    finally:
        plt.close(fig)


def indicator_chart(indicator: Indicator, values: Sequence[PeriodValue]) -> bytes:
    """The indicator over its periods against its yearly targets. A flow is shown accumulated
    within each year, so it meets the year's target where the lines cross."""
    fig, ax = plt.subplots(figsize=(9, 3.2), dpi=100)
    labels = [str(item.period.label) for item in values]
    positions = list(range(len(values)))
    shown: list[float | None] = []
    running, year = Decimal(0), None
    for item in values:
        if indicator.measure == Measure.FLOW:
            if item.period.year != year:
                running, year = Decimal(0), item.period.year
            running += item.value or 0
            shown.append(float(running) if item.value is not None else None)
        else:
            shown.append(float(item.value) if item.value is not None else None)
    points = [(x, y) for x, y in zip(positions, shown, strict=True) if y is not None]
    value_label = _("Accumulated in the year") if indicator.measure == Measure.FLOW else _("Value")
    if points:
        ax.plot(
            [p[0] for p in points],
            [p[1] for p in points],
            marker="o",
            color="#1d4ed8",
            linewidth=1.8,
            label=value_label,
        )
    target_drawn = False
    for target_year in {item.period.year for item in values}:
        target = indicator.target_for(target_year)
        xs = [
            x for x, item in zip(positions, values, strict=True) if item.period.year == target_year
        ]
        if target is None or not xs:
            continue
        ax.hlines(
            float(target),
            min(xs) - 0.4,
            max(xs) + 0.4,
            colors="#b45309",
            linestyles="-",
            linewidth=2,
            label=None if target_drawn else _("Target of the year"),
        )
        target_drawn = True
    if indicator.baseline is not None:
        ax.axhline(
            float(indicator.baseline),
            color="#6b7280",
            linestyle="--",
            linewidth=1,
            label=_("Baseline"),
        )
    ax.set_xticks(positions, labels, rotation=30, ha="right", fontsize=8)
    ax.set_xlim(-0.6, max(len(positions) - 0.4, 0.6))
    ax.set_ylim(bottom=0)
    known = [item.value for item in values if item.value is not None]
    if all(value == int(value) for value in known):
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    number_ticks(ax.yaxis)
    ax.grid(axis="y", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_ylabel(indicator.unit_of_measure, fontsize=9)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=3, frameon=False, fontsize=8)
    return _svg(fig)


def timeline_size(task_count: int) -> tuple[float, float]:
    """The timeline's size in inches: a fixed width, a row per task and one for activities."""
    return 10.0, 1.4 + 0.32 * (task_count + 1)


def timeline_chart(
    program: Program,
    tasks: Sequence[Task],
    deadlines: dict[int, TaskDeadlines],
    activities: Sequence[Activity],
    today: datetime.date,
) -> bytes:
    """A bar per task from its start to its end, coloured by status, with its due dates (a cross
    where overdue); the activities along the top row; today as a vertical line."""
    rows = len(tasks) + 1
    fig, ax = plt.subplots(figsize=timeline_size(len(tasks)), dpi=100)
    start = mdates.date2num(program.starts_on)
    end = mdates.date2num(program.ends_on)
    labels = [_("Activities")]
    for index, task in enumerate(tasks, start=1):
        deadline = deadlines.get(task.pk)
        colour = STATE_COLOURS.get(task.status, "#9ca3af")
        left = mdates.date2num(task.starts_on)
        ax.barh(
            index, mdates.date2num(task.ends_on) - left + 1, left=left, height=0.55, color=colour
        )
        overdue = set(deadline.overdue) if deadline else set()
        for day in task.due_dates():
            ax.plot(
                mdates.date2num(day),
                index,
                marker="x" if day in overdue else "|",
                color="#7f1d1d" if day in overdue else "#111827",
                markersize=7 if day in overdue else 9,
                linestyle="none",
            )
        title = task.title if len(task.title) <= 38 else task.title[:37] + "…"
        labels.append(f"{task.code} {title}")
    if activities:
        ax.plot(
            [mdates.date2num(a.held_on) for a in activities],
            [0] * len(activities),
            marker="^",
            color="#7c3aed",
            linestyle="none",
            markersize=6,
        )
    if start <= mdates.date2num(today) <= end:
        ax.axvline(mdates.date2num(today), color="#dc2626", linewidth=1, linestyle="--")
    ax.set_yticks(range(rows), labels, fontsize=8)
    ax.set_ylim(rows - 0.5, -0.7)
    ax.set_xlim(start - 10, end + 10)
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
    ax.xaxis.set_major_formatter(
        matplotlib.ticker.FuncFormatter(
            lambda x, _pos: date_format(mdates.num2date(x).date(), "YEAR_MONTH_FORMAT")
        )
    )
    ax.tick_params(axis="x", labelsize=8, labelrotation=30)
    ax.grid(axis="x", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    legend = [Patch(color=STATE_COLOURS[s], label=str(s.label)) for s in TaskStatus]
    legend.append(
        Line2D([], [], marker="x", color="#7f1d1d", linestyle="none", label=_("Overdue due date"))
    )
    legend.append(
        Line2D([], [], marker="^", color="#7c3aed", linestyle="none", label=_("Activity"))
    )
    ax.legend(
        handles=legend,
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncols=4,
        frameon=False,
        fontsize=8,
    )
    return _svg(fig)
