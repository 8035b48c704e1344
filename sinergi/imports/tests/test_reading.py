"""Reading the cells of a file whatever program wrote it: CSV in UTF-8 (with or without a BOM), in
Windows Vietnamese (cp1258) or UTF-16, with commas, semicolons or tabs; XLSX, XLS and ODS
workbooks. Every file here is written by the test with the library offices' programs use."""

from __future__ import annotations

import datetime
import io
import unicodedata
from collections.abc import Callable

import openpyxl
import pytest
import xlwt
from django.core.files.uploadedfile import SimpleUploadedFile
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

from sinergi.core import uploads
from sinergi.imports import values
from sinergi.imports.reading import read_csv, read_table

ROWS = [
    ["Mã số thuế", "Tên doanh nghiệp", "Khu công nghiệp", "Số lao động", "Ngày thành lập"],
    ["5300100003", "Công ty Đông Phố Mới", "Đông Phố Mới", "120", "01/03/2015"],
    ["0100109106", "Công ty TNHH Ước Mơ, chi nhánh Hải Dương", "KCN Đông Phố Mới", "1.250", ""],
]

# Windows Vietnamese has letters with their vowel marks (â, ơ, ư, đ…) but writes the five tones
# as separate combining characters, as Vietnamese keyboards on Windows produce them.
TONES = "\u0300\u0301\u0303\u0309\u0323"


def windows_vietnamese(text: str) -> bytes:
    encoded = bytearray()
    for char in text:
        try:
            encoded += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            letter = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
            encoded += (letter + "".join(c for c in parts if c in TONES)).encode("cp1258")
    return bytes(encoded)


def csv_text(rows, delimiter=",") -> str:
    def quoted(cell: str) -> str:
        return f'"{cell}"' if delimiter in cell else cell

    return "".join(delimiter.join(quoted(c) for c in row) + "\r\n" for row in rows)


def xlsx_bytes(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Doanh nghiệp"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xls_bytes(rows) -> bytes:
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("Doanh nghiep")
    day_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, datetime.date):
                sheet.write(r, c, value, day_style)
            else:
                sheet.write(r, c, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ods_bytes(rows) -> bytes:
    document = OpenDocumentSpreadsheet()
    table = Table(name="Doanh nghiệp")
    for row in rows:
        table_row = TableRow()
        for value in row:
            if isinstance(value, datetime.date):
                cell = TableCell(valuetype="date", datevalue=value.isoformat())
            elif isinstance(value, int | float):
                cell = TableCell(valuetype="float", value=value)
            else:
                cell = TableCell(valuetype="string")
            if value != "":
                cell.addElement(P(text=str(value)))
            table_row.addElement(cell)
        table.addElement(table_row)
    document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


FILES: dict[str, tuple[str, Callable[[list], bytes]]] = {
    "csv-utf8-bom": ("danh_sach.csv", lambda rows: csv_text(rows).encode("utf-8-sig")),
    "csv-utf8": ("danh_sach.csv", lambda rows: csv_text(rows).encode("utf-8")),
    "csv-cp1258": ("danh_sach.csv", lambda rows: windows_vietnamese(csv_text(rows))),
    "csv-utf16": ("danh_sach.csv", lambda rows: csv_text(rows).encode("utf-16")),
    "csv-semicolons": ("danh_sach.csv", lambda rows: csv_text(rows, ";").encode("utf-8")),
    "txt-utf16-tabs": ("danh_sach.txt", lambda rows: csv_text(rows, "\t").encode("utf-16")),
    "xlsx": ("danh_sach.xlsx", xlsx_bytes),
    "xls": ("danh_sach.xls", xls_bytes),
    "ods": ("danh_sach.ods", ods_bytes),
}
CSV_FILES = [name for name in FILES if name.startswith(("csv", "txt"))]
WORKBOOKS = ["xlsx", "xls", "ods"]


def nfc_rows(rows) -> list[list]:
    """What the pipeline compares: every text in composed form (cp1258 decodes to decomposed)."""
    return [[unicodedata.normalize("NFC", c) if isinstance(c, str) else c for c in r] for r in rows]


def uploaded(name: str, rows=ROWS):
    file_name, build = FILES[name]
    return SimpleUploadedFile(file_name, build(rows))


@pytest.mark.parametrize("name", CSV_FILES)
def test_a_csv_file_in_any_encoding_or_delimiter_gives_the_same_cells(name):
    table = read_table(uploaded(name), uploads.CSV)
    assert nfc_rows(table.rows) == ROWS


@pytest.mark.parametrize("name", WORKBOOKS)
def test_a_workbook_of_any_format_gives_the_same_cells(name):
    upload = uploaded(name)
    kind = uploads.sniff(upload)
    assert kind == name
    table = read_table(upload, kind)
    assert table.rows == ROWS
    assert table.sheet  # the first sheet's name, kept for the error file


@pytest.mark.parametrize("name", list(FILES))
def test_every_format_is_accepted_as_an_upload_and_read_the_same(name):
    # The path a file takes: its kind is judged from its content, then it is read by kind.
    upload = uploaded(name)
    kind = uploads.validate_upload(upload, uploads.SPREADSHEETS)
    assert kind == (uploads.CSV if name in CSV_FILES else name)
    assert nfc_rows(read_table(upload, kind).rows) == ROWS


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("csv-utf8-bom", "utf-8-sig"),
        ("csv-utf8", "utf-8"),
        ("csv-cp1258", "cp1258"),
        ("csv-utf16", "utf-16"),
    ],
)
def test_the_encoding_a_csv_was_read_in_is_recorded(name, encoding):
    assert read_table(uploaded(name), uploads.CSV).encoding == encoding


def test_the_byte_order_mark_does_not_stick_to_the_first_header():
    table = read_table(uploaded("csv-utf8-bom"), uploads.CSV)
    assert table.rows[0][0] == "Mã số thuế"


def test_a_windows_western_csv_is_read_first_as_such_in_an_indonesian_deployment():
    raw = "NPWP;Nama Perusahaan\r\n012345678901000;PT Kopi Café Sejahtera\r\n".encode("cp1252")
    table = read_csv(raw, country="ID")
    assert table.encoding == "cp1252"
    assert table.rows[1] == ["012345678901000", "PT Kopi Café Sejahtera"]


def test_short_csv_rows_are_padded_to_the_widest_row():
    table = read_csv(b"a,b,c\r\n1\r\n1,2\r\n")
    assert table.rows == [["a", "b", "c"], ["1", "", ""], ["1", "2", ""]]


TYPED = [
    ["Mã số thuế", "Tên doanh nghiệp", "Số lao động", "Ngày thành lập"],
    ["0100109106", "Công ty Đông Phố Mới", 120, datetime.date(2015, 3, 1)],
]


@pytest.mark.parametrize("name", WORKBOOKS)
def test_numbers_and_dates_keep_their_type_and_a_tax_id_typed_as_text_its_leading_zero(name):
    upload = uploaded(name, TYPED)
    row = read_table(upload, uploads.sniff(upload)).rows[1]
    assert row[0] == "0100109106"
    assert values.count(row[2]) == 120
    assert values.day(row[3]) == datetime.date(2015, 3, 1)


@pytest.mark.parametrize("name", list(FILES))
def test_every_format_yields_the_same_enterprise_values(name):
    upload = uploaded(name)
    kind = uploads.sniff(upload)
    kind = uploads.CSV if kind in (uploads.TEXT, None) else kind
    rows = read_table(upload, kind).rows[1:]
    read = [
        (values.tax_id(r[0], "VN"), values.text(r[1]), values.count(r[3]), values.day(r[4]))
        for r in rows
    ]
    assert read == [
        ("5300100003", "Công ty Đông Phố Mới", 120, datetime.date(2015, 3, 1)),
        ("0100109106", "Công ty TNHH Ước Mơ, chi nhánh Hải Dương", 1250, None),
    ]


def test_a_kind_that_is_no_spreadsheet_cannot_be_read():
    with pytest.raises(ValueError):
        read_table(io.BytesIO(b"%PDF-1.4"), uploads.PDF)
