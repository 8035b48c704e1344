"""The shape of an office spreadsheet: the reporting date in its title, the header among the title
rows, the numbering row under it, total rows and the signature footer."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from sinergi.imports import layout
from sinergi.imports.reading import read_table

# A sample office file, kept in the repository's test data.
SAMPLE = Path(__file__).resolve().parent / "data" / "doanh_nghiep_kcn_2023.xlsx"
NEW_YEARS_EVE = datetime.date(2023, 12, 31)

# --- The reporting date in a title ------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "(Số liệu tính đến ngày 31/12/2023)",
        "Số liệu tính đến 31.12.2023",
        "Báo cáo tính đến 31-12-2023",
        "Danh sách doanh nghiệp, ngày 31 tháng 12 năm 2023",
        "NGÀY 31 THÁNG 12 NĂM 2023",
        "Data perusahaan per 31 Desember 2023",
        "Keadaan per 31 Des 2023",
        "Enterprises as of 31 December 2023",
        "Enterprises as of December 31, 2023",
        "Registry snapshot 2023-12-31",
        "Danh sa\u0301ch ti\u0301nh đê\u0301n nga\u0300y 31/12/2023",  # decomposed accents
    ],
)
def test_find_date_reads_the_reporting_date_however_the_title_writes_it(title):
    assert layout.find_date(title) == NEW_YEARS_EVE


def test_find_date_reads_single_digit_days_and_months():
    assert layout.find_date("ngày 5 tháng 1 năm 2024") == datetime.date(2024, 1, 5)
    assert layout.find_date("tính đến 5/1/2024") == datetime.date(2024, 1, 5)


@pytest.mark.parametrize(
    "title",
    [
        "DANH SÁCH DOANH NGHIỆP TRONG CÁC KHU CÔNG NGHIỆP",
        "Năm 2023",
        "Quý IV/2023",
        "Tháng 12 năm 2023",
        "ngày 31/02/2023",  # no such day
        "",
    ],
)
def test_find_date_finds_nothing_when_the_title_names_no_whole_day(title):
    assert layout.find_date(title) is None


# --- Rows that are not enterprises ------------------------------------------------------------


@pytest.mark.parametrize(
    "row",
    [
        ["(1)", "(2)", "(3)", "(4)", "(5)"],
        ["( 1 )", "( 2 )", "( 3 )"],
        [1, 2, 3, 4, 5],
        [1.0, 2.0, 3.0, 4.0],  # as a spreadsheet reader returns numbers
        ["1", "2", "3", "", "5"],
        ["A", "B", "C", "D"],
        ["(a)", "(b)", "(c)"],
    ],
)
def test_a_numbering_row_under_the_header_is_recognised(row):
    assert layout.is_numbering_row(row)


@pytest.mark.parametrize(
    "row",
    [
        [1, "Công ty TNHH Thử 1", "5300100003", "KCN Đông Phố Mới", 120],
        ["(1)", "(2)"],  # too short to tell
        [3, 2, 1],  # not in order
        [1, 120, 40],
        ["", "", ""],
    ],
)
def test_a_data_row_is_not_a_numbering_row(row):
    assert not layout.is_numbering_row(row)


@pytest.mark.parametrize(
    "row",
    [
        ["", "Cộng KCN Đông Phố Mới", "", "", 2846, "", 37],
        ["", "Tổng cộng", "", "", 15522],
        ["TỔNG CỘNG", "", 15522],
        ["", "Tổng số", 120],
        ["", "Jumlah", "", 500],
        ["Sub jumlah Kawasan A", 200],
        ["Total", 1000],
        ["", "Grand total", 1000],
        ["", "Subtotal", 10],
    ],
)
def test_a_total_or_subtotal_row_is_recognised(row):
    assert layout.is_total_row(row)


@pytest.mark.parametrize(
    "row",
    [
        [7, "Công ty TNHH Cộng Hòa", "", "KCN Đông Phố Mới", 120],
        [8, "Công ty Cổ phần Thử", "", "KCN Đông Phố Mới", 80],
        [9, "Tổng công ty Sông Thử", "", "KCN Bắc Duyên Hải", 900],
    ],
)
def test_an_enterprise_row_whose_tax_id_is_missing_is_not_a_total_row(row):
    # Rows without a tax id are asked whether they are totals; nearly every Vietnamese
    # enterprise name starts with "Công ty", which loses its accents to the same letters as
    # "Cộng". Taken for a total, the row would be skipped in silence instead of reported.
    assert not layout.is_total_row(row)


@pytest.mark.parametrize(
    "row",
    [
        [1, "Nguyễn Văn An", "5300100003"],
        ["", "", ""],
        [],
    ],
)
def test_a_row_without_total_words_is_not_a_total_row(row):
    assert not layout.is_total_row(row)


@pytest.mark.parametrize(
    "row",
    [
        ["", "", "", "Người lập biểu", "", "Thủ trưởng đơn vị"],
        ["", "", "(Ký, ghi rõ họ tên)"],
        ["", "Ký, ghi rõ họ tên"],
        ["Xác nhận của cơ quan quản lý"],
        ["", "Mengetahui", "", "Dibuat oleh"],
        ["Prepared by", "Approved by"],
    ],
)
def test_a_signature_footer_row_is_recognised(row):
    assert layout.is_footer_row(row)


@pytest.mark.parametrize(
    "row",
    [
        [1, "Công ty TNHH Thử", "5300100003", "KCN Đông Phố Mới", 120],
        ["", "", ""],
    ],
)
def test_a_data_or_empty_row_is_not_a_footer(row):
    assert not layout.is_footer_row(row)


@pytest.mark.parametrize("row", [[], ["", None, "  "], [None]])
def test_rows_of_blank_cells_are_empty(row):
    assert layout.is_empty(row)


# --- The whole sheet --------------------------------------------------------------------------

SYNTHETIC = [
    ["ĐẢNG ỦY KHỐI CƠ QUAN - DOANH NGHIỆP TỈNH", "", "", ""],
    ["DANH SÁCH DOANH NGHIỆP", "", "", ""],
    ["(Số liệu tính đến ngày 31/12/2023)", "", "", ""],
    ["", "", "", ""],
    ["STT", "Tên doanh nghiệp", "Mã số thuế", "Tổng số lao động (người)"],
    ["(1)", "(2)", "(3)", "(4)"],
    [1, "Công ty TNHH Thử 1", "5300100003", 120],
    [2, "Công ty TNHH Thử 2", "5300100031", 80],
    ["", "Tổng cộng", "", 200],
]


def test_detect_finds_the_header_below_the_title_rows_and_the_date_in_the_title():
    found = layout.detect(SYNTHETIC, [])
    assert found is not None
    assert found.header_index == 4
    assert found.first_data_index == 6  # the numbering row is passed over
    assert found.report_date == NEW_YEARS_EVE
    assert found.title_lines == [
        "ĐẢNG ỦY KHỐI CƠ QUAN - DOANH NGHIỆP TỈNH",
        "DANH SÁCH DOANH NGHIỆP",
        "(Số liệu tính đến ngày 31/12/2023)",
    ]


def test_detect_passes_over_empty_rows_between_the_header_and_the_data():
    rows = [SYNTHETIC[4], ["", "", "", ""], SYNTHETIC[5], ["", "", "", ""], *SYNTHETIC[6:]]
    found = layout.detect(rows, [])
    assert (found.header_index, found.first_data_index) == (0, 4)
    assert found.report_date is None  # no title, no date


def test_detect_gives_up_when_no_row_names_known_columns():
    rows = [["Họ và tên", "Ngày sinh", "Quê quán"], ["Nguyễn Văn An", "01/01/1990", "Hà Nội"]]
    assert layout.detect(rows, []) is None


def test_detect_reads_the_shape_of_the_sample_office_file():
    with SAMPLE.open("rb") as stream:
        table = read_table(stream, "xlsx")
    found = layout.detect(table.rows, [])
    assert found.report_date == NEW_YEARS_EVE
    assert table.rows[found.header_index][:3] == ["STT", "Tên doanh nghiệp", "Mã số thuế"]
    assert table.rows[found.first_data_index][2] == "5300100003"
    assert layout.is_numbering_row(table.rows[found.header_index + 1])
    assert layout.is_total_row(table.rows[-4])  # "Tổng cộng"
    assert layout.is_footer_row(table.rows[-2])  # "Người lập biểu"
    assert layout.is_footer_row(table.rows[-1])  # "(Ký, ghi rõ họ tên)"
