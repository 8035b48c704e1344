"""The dashboard's trend chart, drawn on the server as SVG (see registry/charts.py)."""

from __future__ import annotations

import datetime
import io

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from matplotlib.ticker import MaxNLocator

from sinergi.registry.charts import plt  # matplotlib with the Agg backend selected

COLOURS = ("#b91c1c", "#047857", "#7c3aed", "#db2777", "#1d4ed8")


def coverage_over_time(trend: list[dict], types) -> bytes:
    """Enterprises with each organisation type, and enterprises reporting, per reporting date."""
    # Large enough to read, the legend outside the plot so it never covers a line.
    fig, ax = plt.subplots(figsize=(10, 4.6), dpi=100)
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
        ax.set_title(_("Enterprises with an organisation, by reporting date"), fontsize=12)
        ax.grid(axis="y", alpha=0.3)
        ax.spines[["top", "right"]].set_visible(False)
        if trend:
            ax.legend(fontsize=10, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="svg", bbox_inches="tight")
        return out.getvalue()
    finally:
        plt.close(fig)


def coverage_bars(rows: list[dict], types, title: str) -> bytes:
    """Per row (an ownership or a workforce band), the share of its operating enterprises with
    each organisation type, as grouped horizontal bars; the legend sits under the plot."""
    height = max(2.6, 0.3 * len(rows) * max(1, len(types)) + 1.4)
    fig, ax = plt.subplots(figsize=(7, height), dpi=100)
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
        # xgettext:no-python-format
        ax.set_xlabel(_("Share of operating enterprises (%)"), fontsize=11)
        ax.set_title(title, fontsize=12)
        ax.grid(axis="x", alpha=0.3)
        ax.spines[["top", "right"]].set_visible(False)
        if rows:
            # Under the axis label: about 0.6 inch below the plot, whatever the plot's height.
            ax.legend(
                fontsize=10,
                loc="upper center",
                bbox_to_anchor=(0.5, -0.6 / max(1.0, height - 1.0)),
                ncol=min(2, count),
                frameon=False,
            )
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="svg", bbox_inches="tight")
        return out.getvalue()
    finally:
        plt.close(fig)
