"""Upload safety: a file's kind is judged by its content, never its name; size limits; and zipped
formats (XLSX, DOCX, ODS) may not unpack to more than they should."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from odf.opendocument import OpenDocumentSpreadsheet, OpenDocumentText
from odf.table import Table, TableCell, TableRow
from odf.text import P

from sinergi.core import uploads
from sinergi.core.uploads import validate_upload

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
CSV = "Mã số thuế,Tên doanh nghiệp\r\n5300100003,Công ty Đông Phố Mới\r\n".encode()


def xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Mã số thuế", "Tên doanh nghiệp"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ods() -> bytes:
    document = OpenDocumentSpreadsheet()
    table = Table(name="Sheet1")
    row = TableRow()
    cell = TableCell(valuetype="string")
    cell.addElement(P(text="Mã số thuế"))
    row.addElement(cell)
    table.addElement(row)
    document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def odt() -> bytes:
    document = OpenDocumentText()
    document.text.addElement(P(text="Biên bản làm việc"))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def zipped(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression, compresslevel=9) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx() -> bytes:
    return zipped(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "word/document.xml": b'<?xml version="1.0"?><w:document/>',
        }
    )


def upload(data: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def refusal(data: bytes, name: str, allowed=uploads.SPREADSHEETS) -> str:
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload(data, name), allowed)
    return caught.value.code


# --- The kind, from the content ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "name", "kind", "allowed"),
    [
        (xlsx, "danh_sach.xlsx", uploads.XLSX, uploads.SPREADSHEETS),
        (ods, "danh_sach.ods", uploads.ODS, uploads.SPREADSHEETS),
        (docx, "bien_ban.docx", uploads.DOCX, uploads.EVIDENCE),
        (odt, "bien_ban.odt", uploads.ODT, uploads.EVIDENCE),
        (lambda: PDF, "bien_ban.pdf", uploads.PDF, uploads.EVIDENCE),
        (lambda: CSV, "danh_sach.csv", uploads.CSV, uploads.SPREADSHEETS),
        (lambda: uploads._OLE2 + b"\x00" * 504, "danh_sach.xls", uploads.XLS, uploads.SPREADSHEETS),
        (lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "anh.png", uploads.PNG, uploads.EVIDENCE),
        (lambda: b"\xff\xd8\xff\xe0" + b"\x00" * 32, "anh.jpg", uploads.JPEG, uploads.EVIDENCE),
    ],
)
def test_a_valid_file_is_recognised_by_its_content(build, name, kind, allowed):
    assert validate_upload(upload(build(), name), allowed) == kind


def test_a_pdf_named_like_a_spreadsheet_is_refused():
    assert refusal(PDF, "list.xlsx") == "kind"


def test_a_csv_named_like_a_workbook_is_accepted_as_csv_where_csv_is_allowed():
    assert validate_upload(upload(CSV, "data.xlsx"), uploads.SPREADSHEETS) == uploads.CSV


def test_a_csv_named_like_a_workbook_is_refused_where_only_workbooks_are_allowed():
    assert refusal(CSV, "data.xlsx", allowed=(uploads.XLSX,)) == "kind"


def test_a_spreadsheet_named_like_a_pdf_is_still_a_spreadsheet():
    assert validate_upload(upload(xlsx(), "report.pdf"), uploads.SPREADSHEETS) == uploads.XLSX


def test_a_document_is_refused_where_spreadsheets_are_expected():
    assert refusal(docx(), "danh_sach.xlsx") == "kind"
    assert refusal(odt(), "danh_sach.ods") == "kind"


def test_a_zip_of_something_else_is_refused():
    assert refusal(zipped({"danh_sach.csv": CSV}), "danh_sach.xlsx") == "kind"


def test_a_broken_zip_is_refused():
    assert refusal(xlsx()[:200], "danh_sach.xlsx") == "kind"


def test_binary_junk_is_refused():
    assert refusal(bytes(range(256)) * 4, "danh_sach.csv") == "kind"


def test_the_refusal_names_the_kinds_that_are_accepted():
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload(PDF, "list.xlsx"), uploads.SPREADSHEETS)
    assert all(kind in caught.value.messages[0] for kind in ("CSV", "ODS", "XLS", "XLSX"))


def test_validation_leaves_the_file_ready_to_be_read_from_its_start():
    file = upload(xlsx(), "danh_sach.xlsx")
    validate_upload(file, uploads.SPREADSHEETS)
    assert file.tell() == 0


# --- Size -------------------------------------------------------------------------------------


def test_an_empty_file_is_refused():
    assert refusal(b"", "danh_sach.xlsx") == "empty"


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.SINERGI_MAX_UPLOAD_BYTES = 1000
    assert refusal(b"a,b\r\n" + b"1,2\r\n" * 200, "danh_sach.csv") == "too_large"


def test_a_file_exactly_at_the_size_limit_is_accepted(settings):
    settings.SINERGI_MAX_UPLOAD_BYTES = len(CSV)
    assert validate_upload(upload(CSV, "danh_sach.csv"), uploads.SPREADSHEETS) == uploads.CSV


# --- Zipped formats ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    """An XLSX-shaped archive whose one sheet is 50 MB of zeros, squeezed about 1000 to 1."""
    return zipped(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "xl/worksheets/sheet1.xml": bytes(50 * 1024 * 1024),
        }
    )


def test_a_zip_bomb_is_refused_for_its_compression_ratio(zip_bomb):
    # 50 MB is under the unpacked-size limit: the ratio alone gives the bomb away.
    assert len(zip_bomb) < 100 * 1024
    assert refusal(zip_bomb, "danh_sach.xlsx") == "zip_ratio"


def test_a_zip_bomb_is_refused_when_it_is_sent_as_evidence_too(zip_bomb):
    assert refusal(zip_bomb, "bien_ban.xlsx", allowed=uploads.EVIDENCE) == "zip_ratio"


def test_a_zip_that_unpacks_to_more_than_the_limit_is_refused(settings):
    settings.SINERGI_ZIP_MAX_UNPACKED_BYTES = 10_000
    settings.SINERGI_ZIP_MAX_RATIO = 10**6
    data = zipped(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "xl/worksheets/sheet1.xml": bytes(20_000),
        }
    )
    assert refusal(data, "danh_sach.xlsx") == "zip_size"


def test_a_zip_with_too_many_entries_is_refused(settings):
    settings.SINERGI_ZIP_MAX_ENTRIES = 5
    assert len(zipfile.ZipFile(io.BytesIO(xlsx())).namelist()) > 5
    assert refusal(xlsx(), "danh_sach.xlsx") == "zip_entries"


def test_a_zip_within_every_limit_is_accepted(settings):
    settings.SINERGI_ZIP_MAX_ENTRIES = len(zipfile.ZipFile(io.BytesIO(xlsx())).namelist())
    assert validate_upload(upload(xlsx(), "danh_sach.xlsx"), uploads.SPREADSHEETS) == "xlsx"
