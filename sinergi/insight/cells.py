"""The dashboard's number cells, one row's worth at a time as HTML. A dashboard's tables hold a
few hundred such cells (a count per organisation type, its share and its bar, its link to the
enterprises behind it); a template loop resolving each cell's variables cost more than reading
the figures. The markup is the one the template gave, with the same localised numbers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import floatformat
from django.utils.formats import get_format, localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ONE = Decimal(1)


def integers() -> Callable[[Any], str]:
    """`intcomma` for the active language, made once per table: an integer written with
    Python's own grouping and the language's separator (every language here groups by three;
    intcomma looks the language's formats up again for each number, a third of a national
    map's table). Anything but an integer, or another grouping, goes to intcomma."""
    separator, grouping = get_format("THOUSAND_SEPARATOR"), get_format("NUMBER_GROUPING")
    if grouping != 3:
        return intcomma

    def write(n: Any) -> str:
        return f"{n:,}".replace(",", separator) if type(n) is int else intcomma(n)

    return write


def coverage(row: Mapping[str, Any], list_url: str, *, shares: bool) -> SafeString:
    """A `<td>` per organisation type of a coverage row: the count of enterprises with it (a
    link to them when the row has a query), its share as a bar, and with `shares` the share
    as a rounded percentage too."""
    query = row["query"]
    base = None if query is None else f"{list_url}?status=operating{escape(query)}&amp;has="
    klass = "num bar-cell" if shares else "num"
    parts, number = [], integers()
    for cell in row["with"]:
        count, share = number(cell["count"]), cell["share"]
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
    parts, number = [], integers()
    for cell in row["gaps"]:
        count = number(cell["count"])
        if query is not None:
            count = f'<a href="{gap_url}?type={escape(cell["code"])}{escape(query)}">{count}</a>'
        parts.append(f'<td class="num">{count}</td>')
    return _safe(parts)


def numbers(values: Iterable[int]) -> SafeString:
    """A `<td class="num">` per number, localised with its thousands separator."""
    number = integers()
    return _safe(f'<td class="num">{number(n)}</td>' for n in values)


def map_values(zones: Iterable[Any], list_url: str) -> SafeString:
    """The rows of the map's table (its text alternative): per zone a link to its operating
    enterprises, the compared zone it lies in, its enterprises, those with the shaded type and
    their share. A national map has hundreds of zones."""
    rows, number = [], integers()
    for zone in zones:
        group = (
            f' <span class="share">{escape(zone.group_label)}</span>' if zone.group_label else ""
        )
        share = "—" if zone.share is None else _whole(zone.share)
        rows.append(
            f'<tr><th scope="row"><a href="{list_url}?status=operating&amp;zone={zone.pk}">'
            f'{escape(zone.label)}</a>{group}</th><td class="num">{number(zone.enterprises)}</td>'
            f'<td class="num">{number(zone.with_type)}</td><td class="num">{share}</td></tr>'
        )
    return _safe(rows)


def _whole(share: float) -> str:
    """A share (0 to 100) as `floatformat:0` writes it: rounded half up, from its shortest
    decimal form (no separator is needed below a thousand)."""
    return str(int(Decimal(repr(share)).quantize(ONE, rounding=ROUND_HALF_UP)))


def _safe(parts: Iterable[str]) -> SafeString:
    # Built from escaped text (codes, queries) and localised numbers.
    return mark_safe("".join(parts))
