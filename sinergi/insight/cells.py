"""The dashboard's number cells, one row's worth at a time as HTML. A dashboard's tables hold a
few hundred such cells (a count per organisation type, its share and its bar, its link to the
enterprises behind it); a template loop resolving each cell's variables cost more than reading
the figures. The markup is the one the template gave, with the same localised numbers."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import floatformat
from django.utils.dateformat import format as format_date
from django.utils.formats import get_format, localize
from django.utils.safestring import SafeString, mark_safe


def escape(text: Any) -> str:
    """Django's `escape` without its lazy-string wrapper, which cost more than the
    escaping itself on a table or a map of hundreds of zones (the same text comes out; the
    caller marks the markup it builds safe)."""
    return html.escape(str(text))


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


def decimals() -> Callable[[Any], str]:
    """`localize` for the active language, made once per table, for the shares (0 to 100, one
    decimal) a dashboard writes by the hundred: below a thousand a float or an integer needs no
    grouping, only the language's decimal separator. Anything else goes to localize."""
    separator = get_format("DECIMAL_SEPARATOR")

    def write(value: Any) -> str:
        kind = type(value)
        if kind is int and -1000 < value < 1000:
            return str(value)
        if kind is float and -1000 < value < 1000:
            text = repr(value)
            if "e" not in text and "n" not in text:  # not 1e-05, nan or inf
                return text.replace(".", separator)
        return localize(value)

    return write


def coverage(row: Mapping[str, Any], list_url: str, *, shares: bool) -> SafeString:
    """A `<td>` per organisation type of a coverage row: the count of enterprises with it (a
    link to them when the row has a query), its share as a bar, and with `shares` the share
    as a rounded percentage too."""
    query = row["query"]
    base = None if query is None else f"{list_url}?status=operating{escape(query)}&amp;has="
    klass = "num bar-cell" if shares else "num"
    parts, number, decimal = [], integers(), decimals()
    for cell in row["with"]:
        count, share = number(cell["count"]), cell["share"]
        shown = count if base is None else f'<a href="{base}{escape(cell["code"])}">{count}</a>'
        text = f' <span class="share">{whole(share)}%</span>' if shares else " "
        parts.append(
            f'<td class="{klass}">{shown}{text}<meter min="0" max="100" value="{share}">'
            f"{decimal(share)}%</meter></td>"
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
        share = "—" if zone.share is None else whole(zone.share)
        rows.append(
            f'<tr><th scope="row"><a href="{list_url}?status=operating&amp;zone={zone.pk}">'
            f'{escape(zone.label)}</a>{group}</th><td class="num">{number(zone.enterprises)}</td>'
            f'<td class="num">{number(zone.with_type)}</td><td class="num">{share}</td></tr>'
        )
    return _safe(rows)


def compared_zones(
    rows: Iterable[Mapping[str, Any]], urls: tuple[str, str], cover: str
) -> SafeString:
    """The rows of the compared zones' table: each zone's name (a link to its own dashboard,
    shaded by `cover`), its operating enterprises (a link to them), its coverage cells (made
    by `coverage`, in the row's `with_html`), its party and union members. `urls` are the
    dashboard's and the enterprise list's."""
    dashboard_url, list_url = urls
    number, cover = integers(), escape(cover)
    parts = []
    for row in rows:
        label, zone_id = escape(row["label"]), row["zone_id"]
        if zone_id:
            label = f'<a href="{dashboard_url}?zone={zone_id}&amp;cover={cover}">{label}</a>'
        parts.append(_coverage_row(label, row, list_url, number))
    return _safe(parts)


def breakdown(rows: Iterable[Mapping[str, Any]], list_url: str) -> SafeString:
    """The rows of a coverage table by ownership or by workforce: the row's label, its operating
    enterprises (a link to them when the row has a query), its coverage cells (`with_html`), its
    party and union members and the enterprises that could found each type (`gaps_html`)."""
    number, parts = integers(), []
    for row in rows:
        label = escape(row["label"])
        parts.append(_coverage_row(label, row, list_url, number, row["gaps_html"]))
    return _safe(parts)


def _coverage_row(
    label: str,
    row: Mapping[str, Any],
    list_url: str,
    number: Callable[[Any], str],
    tail: str = "",
) -> str:
    """One row of a coverage table: its heading (`label`, HTML), its operating enterprises, its
    coverage cells (`with_html`), its party and union members, then `tail` (HTML)."""
    count = _operating(row, list_url, number)
    return (
        f'<tr><th scope="row">{label}</th><td class="num">{count}</td>{row["with_html"]}'
        f'<td class="num">{number(row["party_members"])}</td>'
        f'<td class="num">{number(row["union_members"])}</td>{tail}</tr>'
    )


def _operating(row: Mapping[str, Any], list_url: str, number: Callable[[Any], str]) -> str:
    """A row's operating enterprises, a link to them when the row has a query."""
    count = number(row["enterprises"])
    if row["query"] is None:
        return count
    return f'<a href="{list_url}?status=operating{escape(row["query"])}">{count}</a>'


def reporting_zones(
    rows: Iterable[Mapping[str, Any]], urls: tuple[str, str], date: str, export: str
) -> SafeString:
    """The rows of the completeness table by zone for one reporting date: expected, reported
    (with a bar), on time, and the enterprises that did not report, linked to their list and
    to its export (`export` the link's words). `urls` are the enterprise list's and its
    export's."""
    list_url, export_url = urls
    number, decimal = integers(), decimals()
    missing_query = f"?not_reported={escape(date)}"
    parts = []
    for row in rows:
        missing, link, query = row["missing"], "", escape(row["query"])
        shown = "0"
        if missing:
            shown = f'<a data-missing href="{list_url}{missing_query}{query}">{number(missing)}</a>'
            link = f'<a data-missing-export href="{export_url}{missing_query}{query}">{export}</a>'
        parts.append(
            f'<tr><th scope="row">{escape(row["label"])}</th>'
            f'<td class="num">{number(row["expected"])}</td>'
            f'<td class="num">{number(row["reported"])} <meter min="0" max="100" '
            f'value="{row["share"]}">{decimal(row["share"])}%</meter></td>'
            f'<td class="num">{number(row["on_time"])}</td><td class="num">{shown}</td>'
            f"<td>{link}</td></tr>"
        )
    return _safe(parts)


def reporting_dates(
    rows: Iterable[Mapping[str, Any]],
    selected: str | None,
    urls: tuple[str, str],
    scope: tuple[str, str, str],
) -> SafeString:
    """The rows of the completeness table by reporting date: the date (a link to the page with
    that date chosen), expected, reported and on time with their shares, and the enterprises
    that did not report, linked to their list. `urls` are the dashboard's and the enterprise
    list's; `scope` is the page's zone ("all" or an id), its shading and its zone query."""
    dashboard_url, list_url = urls
    zone, cover, scope_query = (escape(part) for part in scope)
    number, day_format = integers(), get_format("SHORT_DATE_FORMAT")
    parts, chosen = [], ' class="selected"'
    for row in rows:
        date = escape(row["date"])
        missing = "0"
        if row["missing"]:
            missing = (
                f'<a href="{list_url}?not_reported={date}{scope_query}">'
                f"{number(row['missing'])}</a>"
            )
        parts.append(
            f"<tr{chosen if row['date'] == selected else ''}>"
            f'<th scope="row"><a href="{dashboard_url}?zone={zone}&amp;cover={cover}&amp;'
            f'date={date}#reporting-heading">{format_date(row["day"], day_format)}</a></th>'
            f'<td class="num">{number(row["expected"])}</td>'
            f'<td class="num">{number(row["reported"])} <span class="share">'
            f"{whole(row['share'])}%</span></td>"
            f'<td class="num">{number(row["on_time"])} <span class="share">'
            f"{whole(row['on_time_share'])}%</span></td>"
            f'<td class="num">{missing}</td></tr>'
        )
    return _safe(parts)


def trend_rows(rows: Iterable[Mapping[str, Any]]) -> tuple[SafeString, SafeString]:
    """The rows of the trend's two tables: beside the chart (each date's organisations by
    type, the `counts_html` of `numbers`), and in full (with the enterprises operating and
    reporting, party and union members, and the newly admitted)."""
    number, day_format = integers(), get_format("SHORT_DATE_FORMAT")
    short, full = [], []
    for row in rows:
        day = f'<th scope="row">{format_date(row["day"], day_format)}</th>'
        short.append(f"<tr>{day}{row['counts_html']}</tr>")
        full.append(
            f'<tr>{day}<td class="num">{number(row["enterprises"])}</td>'
            f'<td class="num">{number(row["reported"] or 0)}</td>{row["counts_html"]}'
            f'<td class="num">{number(row["party_members"])}</td>'
            f'<td class="num">{number(row["union_members"])}</td>'
            f'<td class="num">{number(row["new_party_members"])}</td></tr>'
        )
    return _safe(short), _safe(full)


def whole(share: Any) -> str:
    """A share (0 to 100) as `floatformat:0` writes it: rounded half up, from its shortest
    decimal form (below 999 no rounding reaches a thousand and its separator). Anything else
    goes to floatformat."""
    if type(share) in (int, float) and 0 <= share < 999:
        # A half is exact in binary, so the float lies on the same side of it as its shortest
        # decimal form, and `share - below` is exact (Sterbenz): no Decimal needed.
        below = int(share)
        return str(below + (share - below >= 0.5))
    return floatformat(share, 0)


def _safe(parts: Iterable[str]) -> SafeString:
    # Built from escaped text (codes, queries) and localised numbers.
    return mark_safe("".join(parts))
