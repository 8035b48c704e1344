"""Charts of the review report, drawn by matplotlib as PNG images to embed in DOCX and PDF."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure as Canvas
from matplotlib.ticker import MaxNLocator

COLOURS = ("#1d4ed8", "#047857", "#b45309", "#7c3aed", "#6b7280", "#b91c1c")


def _png(fig: Canvas) -> bytes:
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=130)
    return buffer.getvalue()


def stacked_bars(categories: list[str], series: list[tuple[str, list[int]]], title: str) -> bytes:
    """Horizontal bars, one per category, stacked by series (e.g. zones by ownership)."""
    fig = Canvas(figsize=(7.5, 0.45 * max(len(categories), 3) + 1.8))
    ax = fig.subplots()
    left = [0] * len(categories)
    positions = list(range(len(categories)))
    for (label, values), colour in zip(series, COLOURS, strict=False):
        ax.barh(positions, values, left=left, color=colour, label=label, height=0.6)
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_yticks(positions, [c[:40] for c in categories], fontsize=8)
    ax.invert_yaxis()
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title, fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=7, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=3)
    return _png(fig)


def grouped_bars(categories: list[str], series: list[tuple[str, list[float]]], title: str) -> bytes:
    """Vertical bars grouped by category (e.g. target against actual per indicator)."""
    fig = Canvas(figsize=(7.5, 3.4))
    ax = fig.subplots()
    width = 0.8 / max(len(series), 1)
    for index, ((label, values), colour) in enumerate(zip(series, COLOURS, strict=False)):
        xs = [i + (index - (len(series) - 1) / 2) * width for i in range(len(categories))]
        ax.bar(xs, values, width=width, color=colour, label=label)
    ax.set_xticks(range(len(categories)), [c[:18] for c in categories], fontsize=7, rotation=20)
    ax.set_title(title, fontsize=10)
    ax.grid(axis="y", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=7, frameon=False)
    return _png(fig)
