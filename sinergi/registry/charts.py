"""Charts drawn on the server as SVG (no script needed, works offline and under a strict CSP)."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.ticker import MaxNLocator

from sinergi.registry.models import Figure

# Workforce figures run in the hundreds, party figures in units: two panels keep both readable.
PANELS = (
    (
        ("workers", "#1d4ed8"),
        ("women_workers", "#db2777"),
        ("union_members", "#047857"),
        ("youth_members", "#7c3aed"),
    ),
    (("party_members", "#b91c1c"), ("new_party_members", "#b45309")),
)


def figures_over_time(figures: list[Figure]) -> bytes:
    """Lines of each figure across the reporting dates, as an SVG document."""
    fig, axes = plt.subplots(1, 2, figsize=(9, 3), dpi=100, width_ratios=(3, 2))
    try:
        dates = [f.as_of for f in figures]
        for ax, series in zip(axes, PANELS, strict=True):
            for field, colour in series:
                points = [
                    (d, getattr(f, field))
                    for d, f in zip(dates, figures, strict=True)
                    if getattr(f, field) is not None
                ]
                if not points:
                    continue
                ax.plot(
                    [p[0] for p in points],
                    [p[1] for p in points],
                    marker="o",
                    color=colour,
                    linewidth=1.8,
                    label=str(Figure._meta.get_field(field).verbose_name),
                )
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
            ax.set_ylim(bottom=0)
            ax.grid(axis="y", alpha=0.3)
            ax.spines[["top", "right"]].set_visible(False)
            ax.tick_params(axis="x", labelrotation=30, labelsize=8)
            if ax.has_data():
                ax.legend(loc="upper left", frameon=False, fontsize=8)
        fig.tight_layout()
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg")
        return buffer.getvalue().encode("utf-8")
    finally:
        plt.close(fig)
