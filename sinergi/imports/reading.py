"""Reading the cells of a spreadsheet or CSV file, whatever program wrote it."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from python_calamine import CalamineWorkbook

from sinergi.core.uploads import CSV, ODS, XLS, XLSX

# Legacy code pages tried, in order, when a CSV file is not UTF-8 (Windows Vietnamese first for a
# Vietnamese deployment, Windows Western for an Indonesian one; see `read_rows`).
LEGACY_ENCODINGS = {"VN": ("cp1258", "cp1252"), "ID": ("cp1252", "cp1258")}


@dataclass
class Table:
    """The cells of one sheet, as rows of Python values ("" for an empty cell)."""

    rows: list[list[Any]]
    sheet: str = ""
    encoding: str = ""


def _decode(raw: bytes, country: str) -> tuple[str, str]:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for encoding in LEGACY_ENCODINGS.get(country, ("cp1252",)):
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1"), "latin-1"


def read_csv(raw: bytes, country: str = "VN") -> Table:
    text, encoding = _decode(raw, country)
    sample = text[:20000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows = [list(row) for row in csv.reader(io.StringIO(text), dialect)]
    width = max((len(r) for r in rows), default=0)
    return Table(rows=[r + [""] * (width - len(r)) for r in rows], encoding=encoding)


def read_workbook(stream: IO[bytes]) -> Table:
    """The first sheet of an XLSX, XLS or ODS workbook (python-calamine reads all three)."""
    stream.seek(0)
    workbook = CalamineWorkbook.from_filelike(stream)
    sheet = workbook.get_sheet_by_index(0)
    return Table(rows=sheet.to_python(skip_empty_area=False), sheet=sheet.name)


def read_table(stream: IO[bytes], kind: str, country: str | None = None) -> Table:
    """The first sheet of a workbook, or a CSV file (whose legacy code page follows the
    deployment's country unless `country` is given)."""
    if kind in (XLSX, XLS, ODS):
        return read_workbook(stream)
    if kind == CSV:
        stream.seek(0)
        return read_csv(stream.read(), country or settings.SINERGI_COUNTRY)
    raise ValueError(f"Cannot read files of kind {kind!r}")
