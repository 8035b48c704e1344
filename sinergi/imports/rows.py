"""Reading and checking a file's rows on their own, before the registry is consulted: the rows
that are not data (empty, totals, footers) set aside, then every cell parsed by its column's
parser, a column at a time, and the rules across a row's cells checked."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from itertools import compress, repeat
from operator import itemgetter
from typing import Any, Literal

from django.utils import translation

from sinergi.imports import layout as shape
from sinergi.imports import values
from sinergi.imports.messages import Message
from sinergi.imports.messages import deferred as _  # said now, msgid kept for later
from sinergi.imports.results import (
    NO_ISSUES,
    NOTHING_BEFORE,
    ROW_FIELDS,
    Issue,
    RowPlan,
    Skipped,
)
from sinergi.registry.choices import FIGURE_FIELDS, FIGURE_FLAGS, FIGURE_VALUES, PARTY_SPLIT
from sinergi.registry.models import (
    OrganisationType,
    Zone,
    complete_party_split_columns,
    figure_rule_violations,
)


def data_rows(
    rows: list[list], start: int, columns: dict[str, int]
) -> tuple[list[list], list[int], list[Skipped]]:
    """The rows from `start` on that hold data, with their numbers as the spreadsheet numbers
    them, and the others set aside: empty, totals and footers. Most rows have a tax id: only the
    others need looking at more closely."""
    body = rows[start:]
    taxes = _columns(body, {"tax_id": columns["tax_id"]})["tax_id"]
    blank = list(compress(range(len(body)), map(values.is_blank, taxes)))
    numbers = list(range(start + 1, len(rows) + 1))
    skipped: list[Skipped] = []
    dropped: set[int] = set()
    for k in blank:
        row, number = body[k], numbers[k]
        if shape.is_empty(row):
            skipped.append(Skipped(number, "empty"))
        elif shape.is_total_row(row):
            skipped.append(Skipped(number, "total", _first_text(row)))
        elif shape.is_footer_row(row) or not _has_data(row, columns):
            skipped.append(Skipped(number, "footer", _first_text(row)))
        else:
            continue
        dropped.add(k)
    if dropped:
        body = [row for k, row in enumerate(body) if k not in dropped]
        numbers = [number for k, number in enumerate(numbers) if k not in dropped]
    return body, numbers, skipped


def column_readers(
    columns: dict[str, int], org_types: list[OrganisationType], country: str
) -> dict[str, list[tuple]]:
    """Per step of `read_rows`, the columns it reads: (code, index, parser, args, cache). Most
    columns repeat a few values (counts, dates, Có/Không, ownership words): each distinct
    cell of such a column is parsed once (cache; 1, 1.0 and True are told apart)."""

    def readers(*specs):
        return [
            (code, columns[code], parser, args, None if code in UNIQUE_COLUMNS else {})
            for code, parser, *args in specs
            if code in columns
        ]

    return {
        "identity": readers(("tax_id", values.tax_id, country), ("name", values.text)),
        "fields": readers(
            ("sector", values.text),
            ("address", values.text),
            ("latitude", values.degrees, 90),
            ("longitude", values.degrees, 180),
            ("founded_on", values.day),
            ("ownership", values.ownership),
            ("status", values.status),
        ),
        "zone": readers(("zone", values.text)),
        "figures": readers(
            *((code, values.count) for code in FIGURE_FIELDS),
            *((code, values.yes_no) for code in FIGURE_FLAGS),
            ("as_of", values.day),
        ),
        "organisations": readers(*((f"org:{t.code}", values.yes_no, True) for t in org_types)),
    }


def row_cells(
    table: list[list], columns: dict[str, int], readers: dict[str, list[tuple]]
) -> dict[str, list]:
    """The cells `read_rows` reads, a column each (see `column_readers`). The table's rows are
    not needed after this: the caller can let them go before the cells are parsed."""
    return _columns(table, {code: columns[code] for step in readers.values() for code, *_r in step})


def read_rows(
    numbers: list[int],
    cells: dict[str, list],
    columns: dict[str, int],
    labels: dict[str, str],
    file_date: datetime.date | None,
    *,
    readers: dict[str, list[tuple]],
    zone_of: Callable[[str], Zone | Literal[False] | None],
    today: datetime.date,
    progress: Callable[[int, int], None],
) -> list[RowPlan]:
    """Every candidate row read and checked on its own, a column at a time: each cell is
    parsed by its column's parser (once per distinct value, for the columns that repeat a
    few), then the rules across a row's cells are checked. The row's issues come in the
    order of its cells, as one reading the row would find them. `numbers`: each row's number
    in the spreadsheet. `cells`: the rows' cells, a column each (`row_cells`); each column
    is emptied once it is parsed and its cells are no longer shown in a message, so the file's
    values are not held twice."""
    count = len(numbers)
    steps = sum(len(step) for step in readers.values()) or 1
    issues: dict[int, list[Issue]] = {}
    # Cells a message may still show after their column is parsed.
    shown_later = {"founded_on", *FIGURE_VALUES}

    # The fields each row already has an issue in (so a rule across cells can keep quiet).
    flagged: dict[int, set[str]] = {}

    def issue(k: int, code: str, shown: str, message: str) -> None:
        issues.setdefault(k, []).append(Issue(numbers[k], labels.get(code, code), shown, message))
        flagged.setdefault(k, set()).add(code)

    got: dict[str, list] = {}

    def read(step: str) -> None:
        for code, _index, parser, args, seen in readers[step]:
            got[code] = _read_column(cells[code], parser, args, seen is not None, code, issue)
            if code not in shown_later:
                cells[code] = []
            progress(len(got) * count // steps, count * 2)

    nothing: list[Any] = [None] * count

    def across(codes: list[str]) -> list[tuple]:
        """Per row, the values read in these columns (empty tuples when there are none)."""
        return list(zip(*(got[code] for code in codes), strict=True)) or [()] * count

    read("identity")
    tax_ids = [value or "" for value in got.get("tax_id", nothing)]
    names = got.get("name", nothing)
    if "name" in columns:
        for k in [k for k, name in enumerate(names) if not name]:
            issue(k, "name", "", _("The name is missing."))
    read("fields")
    field_codes = [code for code, *_rest in readers["fields"]]
    if "founded_on" in got:
        founded, shown = got["founded_on"], cells["founded_on"]
        for k in [k for k, day in enumerate(founded) if day is not None and day > today]:
            issue(
                k,
                "founded_on",
                _shown(shown[k]),
                _("The founding date cannot be in the future."),
            )
        cells["founded_on"] = []
    if "latitude" in got or "longitude" in got:
        # A location is both coordinates or neither (a file with one of the two columns gives
        # no location at all); a cell already reported as unreadable is not reported again.
        pairs = zip(got.get("latitude", nothing), got.get("longitude", nothing), strict=True)
        for k in [k for k, (lat, lon) in enumerate(pairs) if (lat is None) != (lon is None)]:
            if not flagged.get(k, set()) & {"latitude", "longitude"}:
                issue(k, "longitude", "", _("Give both latitude and longitude, or neither."))
    zones: list[Zone | None] = nothing
    if readers["zone"]:
        read("zone")
        zones = [None] * count
        for k, raw in enumerate(got["zone"]):
            if not raw:
                continue
            zone = zone_of(raw)
            if zone is False:
                issue(k, "zone", raw, _("No zone has this name, short name or alias."))
            elif zone is None:
                issue(k, "zone", raw, _("More than one zone is known by this name."))
            else:
                zones[k] = zone
    read("figures")
    if sum(code in columns for code in PARTY_SPLIT) >= 2:
        # The total from its split, or the missing part of the split from the total.
        got |= complete_party_split_columns({c: got[c] for c in PARTY_SPLIT if c in got}, count)
    figure_codes = [code for code in FIGURE_VALUES if code in got]
    figure_rows = across(figure_codes)
    empty = (None,) * len(figure_codes)
    as_of = [day or file_date for day in got["as_of"]] if "as_of" in got else [file_date] * count
    for k in [k for k, day in enumerate(as_of) if day is None or day > today]:
        if figure_rows[k] == empty:
            continue
        if as_of[k] is None:
            message = _("No reporting date for these figures: fill the column or give the date.")
            issue(k, "as_of", "", message)
        else:
            message = _("Figures cannot describe a date in the future.")
            issue(k, "as_of", str(as_of[k]), message)
    # The registry's rules say their messages in the active language: asked with none
    # active, they give the msgids, kept so the messages can be said in the reader's.
    with translation.override(None):
        broken = figure_rule_violations({code: got[code] for code in figure_codes})
    for k, code, msgid in broken:
        shown_cells = cells.get(code)
        issue(k, code, _shown(shown_cells[k]) if shown_cells else "", Message(msgid))
    for code in FIGURE_VALUES:
        cells.pop(code, None)
    read("organisations")
    org_codes = [code for code, *_rest in readers["organisations"]]
    org_rows = across(org_codes)
    founding = [code[4:] for code in org_codes]
    # A row's yes/no per column -> the type codes it says exist (a few patterns repeat).
    said = {
        orgs: [c for c, yes in zip(founding, orgs, strict=True) if yes] for orgs in set(org_rows)
    }

    # A row's fields: its name, the fields read, its zone, leaving out the empty ones.
    keys = ("name", *field_codes, "zone")
    field_rows = list(zip(names, *(got[code] for code in field_codes), zones, strict=True))
    fields = list(map(dict, map(zip, repeat(keys), field_rows)))
    for k in [k for k, full in enumerate(map(all, field_rows)) if not full]:
        given = zip(keys, field_rows[k], strict=True)
        fields[k] = {key: value for key, value in given if value}
    errors: list[Sequence[Issue]] = [NO_ISSUES] * count
    for k, found in issues.items():
        errors[k] = found
    # The rows are built column by column, with no Python code per row but RowPlan's own.
    by_field: dict[str, Any] = {
        "row": numbers,
        "action": repeat("create"),  # the comparison with the registry decides
        "tax_id": tax_ids,
        "name": [name or "" for name in names],
        "enterprise_id": repeat(None),
        "fields": fields,
        "before": repeat(NOTHING_BEFORE),
        "figures": map(dict, map(zip, repeat(figure_codes), figure_rows)),
        "as_of": as_of,
        # Any figure given; for an enterprise already registered, the comparison decides.
        "figure_changed": map(empty.__ne__, figure_rows),
        "previous_figure_id": repeat(None),
        "organisations": map(list, map(said.__getitem__, org_rows)),
        "name_key": repeat(""),
        "errors": errors,
        "warnings": repeat(NO_ISSUES),
        "figures_before": repeat(NOTHING_BEFORE),
    }
    return list(map(RowPlan, *(by_field[name] for name in ROW_FIELDS)))


# Columns whose cells are (nearly) all different: caching their parsed values would not pay.
UNIQUE_COLUMNS = frozenset({"tax_id", "name", "address", "latitude", "longitude"})
# Cell types a cache must tell apart: True == 1 == 1.0 as dictionary keys.
NUMBERS = frozenset({bool, int, float})


def _columns(table: list[list], columns: dict[str, int]) -> dict[str, list]:
    """The cells of the named columns ({code: index}), a column each; a row too short for a
    column gives None there."""
    width = min(map(len, table), default=0)
    # A column at a time, each one pass in C (transposing the rows at once costs three times as
    # much: it builds a tuple per row first).
    return {
        code: list(map(itemgetter(index), table))
        if index < width
        else [row[index] if index < len(row) else None for row in table]
        for code, index in columns.items()
    }


def _read_cell(parser, raw, args) -> tuple[Any, str | None]:
    """(value, None), or (None, the message) when the cell cannot be read."""
    try:
        return parser(raw, *args), None
    except values.CellError as error:
        return None, error.message


def _read_column(cells: Sequence, parser, args, repeats: bool, code: str, issue) -> list:
    """The column's cells parsed; `issue(k, code, shown, message)` for each one that cannot be
    (its value is then None). A column that repeats few values (`repeats`) is parsed once per
    distinct value."""
    if not repeats:
        parsed: list[Any] = []
        append = parsed.append
        for k, raw in enumerate(cells):
            try:
                append(parser(raw, *args))
            except values.CellError as error:
                append(None)
                issue(k, code, _shown(raw), error.message)
        return parsed
    distinct = set(cells)
    keys = cells
    # True == 1 == 1.0 as keys: a column holding numbers of more than one type (say, yes and 1)
    # is keyed by (type, value) so that each is parsed as what it is.
    if any(type(v) in NUMBERS for v in distinct) and len(set(map(type, cells)) & NUMBERS) > 1:
        keys = list(zip(map(type, cells), cells, strict=True))
        distinct = set(keys)
    results = {key: _read_cell(parser, key if keys is cells else key[1], args) for key in distinct}
    parsed = list(map({key: value for key, (value, _m) in results.items()}.__getitem__, keys))
    if any(message is not None for _value, message in results.values()):
        for k, key in enumerate(keys):
            message = results[key][1]
            if message is not None:
                issue(k, code, _shown(cells[k]), message)
    return parsed


def _first_text(row) -> str:
    return next((str(c).strip() for c in row if isinstance(c, str) and c.strip()), "")[:80]


def _has_data(row, columns: dict[str, int]) -> bool:
    """Whether a row without a tax id still carries enterprise data (then it is an error row)."""
    for code in ("name", *FIGURE_VALUES):
        index = columns.get(code)
        if index is not None and index < len(row) and not values.is_blank(row[index]):
            return True
    return False


def _shown(raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)
