"""Charts drawn on the server as SVG (no script needed, works offline and under a strict CSP)."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.ticker import MaxNLocator

from sinergi.registry.choices import FIGURE_FIELDS

PALETTE = ["#1d4ed8", "#db2777", "#b91c1c", "#047857", "#7c3aed", "#b45309"]


def figures_over_time(figures) -> bytes:
    """A line per figure (workers, party members, …) across the reporting dates, as SVG."""
    fig, ax = plt.subplots(figsize=(7, 3), dpi=100)
    try:
        dates = [f.as_of for f in figures]
        for colour, field in zip(PALETTE, FIGURE_FIELDS, strict=False):
            points = [
                (d, getattr(f, field))
                for d, f in zip(dates, figures, strict=True)
                if getattr(f, field) is not None
            ]
            if not points:
                continue
            label = str(figures[0]._meta.get_field(field).verbose_name)
            ax.plot(
                [p[0] for p in points],
                [p[1] for p in points],
                marker="o",
                label=label,
                color=colour,
                linewidth=1.8,
            )
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="y", alpha=0.3)
        ax.spines[["top", "right"]].set_visible(False)
        if dates:
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8)
        fig.autofmt_xdate()
        fig.tight_layout()
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg")
        return buffer.getvalue().encode("utf-8")
    finally:
        plt.close(fig)
