"""Writing tables as XLSX (formatted, header frozen) or CSV (UTF-8 with a BOM for spreadsheet
programs), row by row so large exports stay small in memory.

Every spreadsheet Sinergi hands out goes through `safe_text` (CSV) or `xlsx_cell` (XLSX): text
typed by someone — an enterprise's name, a task title — that starts like a formula (`=`, `+`,
`-`, `@`, a tab or a carriage return) must never run as one in the reader's spreadsheet program
(formula injection). Numbers, dates and booleans stay what they are."""

from __future__ import annotations

import csv
import datetime
import io
import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1E3A8A")
TITLE_FONT = Font(bold=True, size=13)


def write_xlsx(
    stream: IO[bytes],
    header: Sequence[str] | None,
    rows: Iterable[Sequence[Any]],
    *,
    title: str = "",
    sheet: str = "Sinergi",
    widths: Sequence[int] | None = None,
) -> None:
    """A one-sheet workbook: an optional title line, a bold frozen header, then the rows.
    Without a header the rows are written exactly as given."""
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet[:31])
    if header is None:
        for row in rows:
            worksheet.append(xlsx_row(worksheet, row))
        workbook.save(stream)
        return
    for index, width in enumerate(widths or [max(10, min(45, len(str(h)) + 4)) for h in header]):
        worksheet.column_dimensions[get_column_letter(index + 1)].width = width
    header_row = 2 if title else 1
    # A write-only sheet writes its view settings with the first row: freeze before appending.
    worksheet.freeze_panes = f"A{header_row + 1}"
    if title:
        cell = place(WriteOnlyCell(worksheet), title)
        cell.font = TITLE_FONT
        worksheet.append([cell])
    cells = []
    for text in header:
        cell = place(WriteOnlyCell(worksheet), str(text))
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cells.append(cell)
    worksheet.append(cells)
    for row in rows:
        worksheet.append(xlsx_row(worksheet, row))
    workbook.save(stream)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_FIRST = frozenset(FORMULA_STARTS)  # the same, as first characters


def safe_text(value: Any) -> Any:
    """`value`, except text starting like a formula, which gets a leading apostrophe: shown
    as typed, never evaluated (spreadsheet programs read a CSV cell `'=1+1` as text)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def place(cell: Any, value: Any) -> Any:
    """Put `value` into an openpyxl cell (normal or write-only) without letting text become a
    formula: openpyxl stores a string starting with `=` as one. Such text is stored as text and
    marked "quote prefix", so even editing the cell in a spreadsheet program keeps it text."""
    value = _plain(value)
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def xlsx_row(worksheet: Any, row: Sequence[Any]) -> list[Any]:
    """A row for `worksheet.append`: plain values, except text that starts like a formula,
    which goes in a text cell of its own (see `place`)."""
    return [
        place(WriteOnlyCell(worksheet), v)
        if isinstance(v, str) and v.startswith(FORMULA_STARTS)
        else _plain(v)
        for v in row
    ]


def csv_chunks(
    header: Sequence[str], rows: Iterable[Sequence[Any]], lines: int = 2000
) -> Iterator[str]:
    """CSV text (for streaming responses and files alike), a BOM and the header first, then
    `lines` rows at a time: one piece per row would cost more than the writing itself. None is
    written as an empty cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([safe_text(str(h)) for h in header])
    rows = iter(rows)
    starts = FORMULA_FIRST
    while batch := list(itertools.islice(rows, lines)):
        # safe_text, written out: a national export is millions of cells.
        writer.writerows(
            [("'" + v) if isinstance(v, str) and v[:1] in starts else v for v in row]
            for row in batch
        )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()
