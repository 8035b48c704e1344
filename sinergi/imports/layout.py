"""The shape of an office spreadsheet: title rows, the header, a numbering row "(1) (2) …", data,
subtotal and total rows, empty rows and a signature footer."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from sinergi.core.text import search_key
from sinergi.imports.columns import header_key, header_score, synonyms

HEADER_SEARCH_ROWS = 30
_NUMBERING_CELL = re.compile(r"^\(?\s*\d{1,2}\s*\)?$|^\(?[a-zA-Z]\)?$")
TOTAL_WORDS = (
    "cong",
    "tong cong",
    "tong so",
    "tong",
    "total",
    "subtotal",
    "sub-total",
    "grand total",
    "jumlah",
    "sub jumlah",
    "subjumlah",
)
# Names that begin like a total once accents are gone ("Công ty" ~ "Cộng", "Tổng công ty").
NOT_TOTALS = ("cong ty", "tong cong ty", "cong hoa", "cong nghiep", "cong doan", "tong hop")
FOOTER_WORDS = (
    "nguoi lap bieu",
    "nguoi lap",
    "ky, ghi ro ho ten",
    "ky ghi ro ho ten",
    "thu truong don vi",
    "giam doc",
    "xac nhan",
    "ngay thang nam",
    "dibuat oleh",
    "mengetahui",
    "tanda tangan",
    "prepared by",
    "approved by",
    "signature",
)

MONTHS = {
    # Indonesian and English month names, accent-free.
    "januari": 1,
    "january": 1,
    "jan": 1,
    "februari": 2,
    "february": 2,
    "feb": 2,
    "maret": 3,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "may": 5,
    "juni": 6,
    "june": 6,
    "jun": 6,
    "juli": 7,
    "july": 7,
    "jul": 7,
    "agustus": 8,
    "august": 8,
    "aug": 8,
    "agu": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "october": 10,
    "oct": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "desember": 12,
    "december": 12,
    "dec": 12,
    "des": 12,
}
_DATE_NUMERIC = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
_DATE_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DATE_VI_WORDS = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")
_DATE_NAMED = re.compile(r"(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})")
_DATE_NAMED_US = re.compile(r"([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})")


@dataclass
class Layout:
    header_index: int  # 0-based index of the header row in the table
    first_data_index: int
    title_lines: list[str] = field(default_factory=list)
    report_date: datetime.date | None = None
    # Each column's header: the header row's cells, or with a second header row below (merged
    # cells: "Đảng viên" over "Chính thức" / "Dự bị") both levels ("Đảng viên Chính thức").
    headers: list = field(default_factory=list)


def two_level_headers(top: Sequence, below: Sequence, table: dict[str, str]) -> list | None:
    """The headers of a two-level header: a group title in the top row (merged across its
    columns, so only its first cell holds it) over the sub-headers below. None when the row below
    is not a sub-header row (it is data, a numbering row or empty). `table` from `synonyms()`."""
    if is_empty(below) or is_numbering_row(below):
        return None
    width = max(len(top), len(below))

    def cell(row: Sequence, i: int) -> str:
        return str(row[i]).strip() if i < len(row) and row[i] not in (None, "") else ""

    # A sub-header row has text only; data rows carry numbers and tax ids.
    texts = [cell(below, i) for i in range(width)]
    if any(t and not any(ch.isalpha() for ch in t) for t in texts):
        return None
    joined: list[str] = []
    group = ""
    for i in range(width):
        head, sub = cell(top, i), texts[i]
        if head:
            group = head
        if not sub:
            joined.append(head)
            continue
        parent = head or group
        both = f"{parent} {sub}".strip()
        # The joined words when known ("Đảng viên Chính thức"), else the sub-header alone.
        joined.append(both if header_key(both) in table or header_key(sub) not in table else sub)
    # Worth it only when the second level names more columns than the first alone.
    if header_score(joined, table) <= header_score(top, table):
        return None
    return joined


def _cells_text(row: Sequence) -> list[str]:
    return [str(c).strip() for c in row if c not in (None, "") and str(c).strip()]


def is_empty(row: Sequence) -> bool:
    for cell in row:
        if cell is None or cell == "" or (isinstance(cell, str) and not cell.strip()):
            continue
        return False
    return True


def is_numbering_row(row: Sequence) -> bool:
    """ "(1) (2) (3) …" or "1 2 3 …" or "A B C …" under the header."""
    cells = _cells_text(row)
    if len(cells) < 3:
        return False
    if not all(_NUMBERING_CELL.match(c.replace(".0", "")) for c in cells):
        return False
    numbers = [int(re.sub(r"\D", "", c.replace(".0", ""))) for c in cells if re.search(r"\d", c)]
    return len(numbers) < 3 or numbers == sorted(numbers)


def is_total_row(row: Sequence) -> bool:
    """A subtotal or total row: its first text says so ("Cộng KCN …", "Tổng cộng", "Jumlah").
    Only asked of rows without a tax id, so "Công ty …" is never taken for one."""
    for cell in row:
        if isinstance(cell, str) and cell.strip() and not cell.strip().isdigit():
            key = search_key(cell)
            if key.startswith(NOT_TOTALS):
                return False
            return any(key == w or key.startswith(w + " ") for w in TOTAL_WORDS)
    return False


def is_footer_row(row: Sequence) -> bool:
    cells = _cells_text(row)
    if not cells or len(cells) > 3:
        return False
    key = search_key(" ".join(cells)).strip("() ")
    return any(key.startswith(w) for w in FOOTER_WORDS) or key in ("ky", "ky ten", "ky, dong dau")


def find_date(text: str) -> datetime.date | None:
    """The first date written in a title: 31/12/2023, ngày 31 tháng 12 năm 2023,
    31 Desember 2023, 31 December 2023, December 31, 2023."""
    key = search_key(text)
    if match := _DATE_ISO.search(key):
        y, m, d = (int(g) for g in match.groups())
        try:
            return datetime.date(y, m, d)
        except ValueError:
            pass
    for pattern in (_DATE_VI_WORDS, _DATE_NUMERIC):
        if match := pattern.search(key):
            d, m, y = (int(g) for g in match.groups())
            try:
                return datetime.date(y, m, d)
            except ValueError:
                continue
    if match := _DATE_NAMED.search(key):
        day, month, year = match.groups()
        if month in MONTHS:
            try:
                return datetime.date(int(year), MONTHS[month], int(day))
            except ValueError:
                pass
    if match := _DATE_NAMED_US.search(key):
        month, day, year = match.groups()
        if month in MONTHS:
            try:
                return datetime.date(int(year), MONTHS[month], int(day))
            except ValueError:
                pass
    return None


def detect(rows: Sequence[Sequence], org_types) -> Layout | None:
    """Where the header is (the row among the first ones that names most known columns), where
    data starts, and the reporting date written in the title rows, if any."""
    best, best_score = None, 1
    table = synonyms(org_types)
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        score = header_score(row, table)
        if score > best_score:
            best, best_score = index, score
    if best is None:
        return None
    first_data = best + 1
    headers = list(rows[best])
    if first_data < len(rows):
        joined = two_level_headers(rows[best], rows[first_data], table)
        if joined is not None:
            headers, first_data = joined, first_data + 1
    while first_data < len(rows) and (
        is_empty(rows[first_data]) or is_numbering_row(rows[first_data])
    ):
        first_data += 1
    titles = [" ".join(_cells_text(row)) for row in rows[:best] if not is_empty(row)]
    report_date = next((d for d in map(find_date, titles) if d), None)
    return Layout(best, first_data, titles, report_date, headers)
