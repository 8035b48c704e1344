"""Charts drawn on the server as SVG (no script needed, works offline and under a strict CSP)."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from django.utils.formats import date_format
from django.utils.text import capfirst
from matplotlib.ticker import FuncFormatter, MaxNLocator

from sinergi.core.formatting import Shown
from sinergi.registry.models import Figure

# Workforce figures run in the hundreds, party figures in units: two panels keep both readable.
PANELS = (
    (
        ("workers", "#1d4ed8"),
        ("women_workers", "#db2777"),
        ("union_members", "#047857"),
        ("youth_members", "#7c3aed"),
    ),
    (
        ("party_members", "#b91c1c"),
        ("official_party_members", "#7f1d1d"),
        ("probationary_party_members", "#f97316"),
        ("admission_candidates", "#0e7490"),
        ("new_party_members", "#b45309"),
    ),
)


def sparse_labels(labels: list[str], most: int) -> list[str]:
    """At most `most` of `labels` kept (every k-th, counted back from the newest, which is always
    kept), the others blank: twenty dates side by side under a panel would overlap. The table
    beside every chart lists each date."""
    step = -(-len(labels) // most) if most > 0 else 1  # ceiling division
    last = len(labels) - 1
    return [label if (last - index) % step == 0 else "" for index, label in enumerate(labels)]


def number_ticks(axis) -> None:
    """An axis's numbers written as the page writes them, in its language: 27.000 and 2,5 in
    Indonesian and Vietnamese, 27,000 and 2.5 in English (matplotlib writes 27000 and 2.5 in
    every language, and a large axis as a multiple of a power of ten)."""
    shown = Shown()

    def label(value: float, _position) -> str:
        value = round(float(value), 6)  # 0.30000000000000004, a tick's sum, is 0.3
        return shown.number(int(value) if value.is_integer() else value, force_grouping=True)

    axis.set_major_formatter(FuncFormatter(label))


def figures_over_time(figures: list[Figure]) -> bytes:
    """Lines of each figure across the reporting dates, as an SVG document.

    Reporting dates are evenly spaced categories, labelled in the current language's format, so a
    single date or an irregular calendar still reads clearly."""
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.2), dpi=100, width_ratios=(3, 2))
    try:
        labels = [date_format(f.as_of, "SHORT_DATE_FORMAT") for f in figures]
        positions = list(range(len(figures)))
        # Dates a panel has room for at 8 points, slanted: the panels share 9 inches 3 : 2.
        for ax, series, room in zip(axes, PANELS, (9, 6), strict=True):
            for field, colour in series:
                points = [
                    (x, getattr(f, field))
                    for x, f in zip(positions, figures, strict=True)
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
                    label=capfirst(str(Figure._meta.get_field(field).verbose_name)),
                )
            ax.set_xticks(
                positions, sparse_labels(labels, room), rotation=30, ha="right", fontsize=8
            )
            ax.set_xlim(-0.5, max(len(positions) - 0.5, 0.5))
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
            number_ticks(ax.yaxis)
            # Never a fractional axis for counts: at least 0..5, however small the values.
            ax.set_ylim(0, max(ax.get_ylim()[1], 5))
            ax.grid(axis="y", alpha=0.3)
            ax.spines[["top", "right"]].set_visible(False)
            if ax.has_data():
                ax.legend(
                    loc="lower left", bbox_to_anchor=(0, 1.0), ncols=2, frameon=False, fontsize=8
                )
        fig.tight_layout()
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg")
        return buffer.getvalue().encode("utf-8")
    finally:
        plt.close(fig)
