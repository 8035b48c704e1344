"""The dashboard's number cells, one row's worth at a time as HTML. A dashboard's tables hold a
few hundred such cells (a count per organisation type, its share and its bar, its link to the
enterprises behind it); a template loop resolving each cell's variables cost more than reading
the figures. The markup is the one the template gave, with the same localised numbers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import floatformat
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def coverage(row: Mapping[str, Any], list_url: str, *, shares: bool) -> SafeString:
    """A `<td>` per organisation type of a coverage row: the count of enterprises with it (a
    link to them when the row has a query), its share as a bar, and with `shares` the share
    as a rounded percentage too."""
    query = row["query"]
    base = None if query is None else f"{list_url}?status=operating{escape(query)}&amp;has="
    klass = "num bar-cell" if shares else "num"
    parts = []
    for cell in row["with"]:
        count, share = intcomma(cell["count"]), cell["share"]
        shown = count if base is None else f'<a href="{base}{escape(cell["code"])}">{count}</a>'
        text = f' <span class="share">{floatformat(share, 0)}%</span>' if shares else " "
        parts.append(
            f'<td class="{klass}">{shown}{text}<meter min="0" max="100" value="{share}">'
            f"{localize(share)}%</meter></td>"
        )
    return _safe(parts)


def gaps(row: Mapping[str, Any], gap_url: str) -> SafeString:
    """A `<td>` per organisation type: the enterprises that could found one, linked to the gap
    list when the row has a query."""
    query = row["gap_query"]
    parts = []
    for cell in row["gaps"]:
        count = intcomma(cell["count"])
        if query is not None:
            count = f'<a href="{gap_url}?type={escape(cell["code"])}{escape(query)}">{count}</a>'
        parts.append(f'<td class="num">{count}</td>')
    return _safe(parts)


def numbers(values: Iterable[int]) -> SafeString:
    """A `<td class="num">` per number, localised with its thousands separator."""
    return _safe(f'<td class="num">{intcomma(n)}</td>' for n in values)


def _safe(parts: Iterable[str]) -> SafeString:
    # Built from escaped text (codes, queries) and localised numbers.
    return mark_safe("".join(parts))
