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
    fig, ax = plt.subplots(figsize=(8, 3), dpi=100)
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
        ax.set_xticks(x, labels, rotation=30, ha="right", fontsize=8)
        ax.set_ylim(bottom=0, top=max(ax.get_ylim()[1], 5))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_title(_("Enterprises with an organisation, by reporting date"), fontsize=10)
        ax.grid(axis="y", alpha=0.3)
        if trend:
            ax.legend(fontsize=8, loc="upper left", frameon=False)
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="svg")
        return out.getvalue()
    finally:
        plt.close(fig)
