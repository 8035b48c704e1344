"""The dashboard's trend chart, drawn on the server as SVG (see registry/charts.py)."""

from __future__ import annotations

import datetime
import io

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from matplotlib.ticker import MaxNLocator

from sinergi.registry.charts import number_ticks, plt  # matplotlib with the Agg backend selected

COLOURS = ("#b91c1c", "#047857", "#7c3aed", "#db2777", "#1d4ed8")


TREND_SIZE = (10.0, 4.6)


def coverage_bars_size(row_count: int, type_count: int) -> tuple[float, float]:
    """The coverage bars' size in inches: a fixed width, a band of bars per row. The SVG has
    exactly this size, so the page reserves its box before the image arrives (no layout shift)."""
    return 7.0, max(3.0, 0.3 * row_count * max(1, type_count) + 1.9)


def coverage_over_time(trend: list[dict], types) -> bytes:
    """Enterprises with each organisation type, and enterprises reporting, per reporting date."""
    # Large enough to read, the legend outside the plot so it never covers a line; the figure
    # keeps its size (constrained layout makes room for the legend inside it).
    fig, ax = plt.subplots(figsize=TREND_SIZE, dpi=100, layout="constrained")
    try:
        labels = [
            date_format(datetime.date.fromisoformat(row["date"]), "SHORT_DATE_FORMAT")
            for row in trend
        ]
        x = list(range(len(trend)))
        for org_type, colour in zip(types, COLOURS, strict=False):
            ax.plot(
                x,
                [row["with_organisation"].get(org_type.code, 0) for row in trend],
                marker="o",
                color=colour,
                label=org_type.name,
            )
        ax.set_xticks(x, labels, rotation=30, ha="right", fontsize=10)
        ax.tick_params(axis="y", labelsize=10)
        ax.set_ylim(bottom=0, top=max(ax.get_ylim()[1], 5))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        number_ticks(ax.yaxis)
        ax.set_title(_("Enterprises with an organisation, by reporting date"), fontsize=12)
        ax.grid(axis="y", alpha=0.3)
        ax.spines[["top", "right"]].set_visible(False)
        if trend:
            fig.legend(fontsize=10, loc="outside right upper", frameon=False)
        out = io.BytesIO()
        fig.savefig(out, format="svg")
        return out.getvalue()
    finally:
        plt.close(fig)


def coverage_bars(rows: list[dict], types, title: str) -> bytes:
    """Per row (an ownership or a workforce band), the share of its operating enterprises with
    each organisation type, as grouped horizontal bars; the legend sits under the plot."""
    size = coverage_bars_size(len(rows), len(types))
    fig, ax = plt.subplots(figsize=size, dpi=100, layout="constrained")
    try:
        count = max(1, len(types))
        bar = 0.8 / count
        positions = list(range(len(rows)))
        for i, (org_type, colour) in enumerate(zip(types, COLOURS, strict=False)):
            shares = [row["with"][i]["share"] if row["with"] else 0 for row in rows]
            ax.barh(
                [p + i * bar for p in positions],
                shares,
                height=bar,
                color=colour,
                label=org_type.name,
            )
        ax.set_yticks(
            [p + bar * (count - 1) / 2 for p in positions],
            [r["label"] for r in rows],
            fontsize=11,
        )
        ax.tick_params(axis="x", labelsize=10)
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        number_ticks(ax.xaxis)
        # xgettext:no-python-format
        ax.set_xlabel(_("Share of operating enterprises (%)"), fontsize=11)
        ax.set_title(title, fontsize=12)
        ax.grid(axis="x", alpha=0.3)
        ax.spines[["top", "right"]].set_visible(False)
        if rows:
            # Under the axis label, inside the figure.
            fig.legend(fontsize=10, loc="outside lower center", ncol=min(2, count), frameon=False)
        out = io.BytesIO()
        fig.savefig(out, format="svg")
        return out.getvalue()
    finally:
        plt.close(fig)
