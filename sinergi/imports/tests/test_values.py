"""Cell values as offices type them: grouped numbers, dashes for nothing, Có/Không, dates in the
local order, tax ids stored as numbers, ownership and status in three languages."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from sinergi.imports import values
from sinergi.imports.values import CellError
from sinergi.registry.choices import EnterpriseStatus, Ownership

# --- Counts -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (120, 120),
        (120.0, 120),
        ("120", 120),
        (" 120 ", 120),
        ("1.250", 1250),  # Vietnamese and Indonesian thousands separator
        ("1,250", 1250),  # English thousands separator
        ("1 250", 1250),
        ("1\u00a0250", 1250),  # a non-breaking space, as spreadsheet programs format it
        ("1.250.000", 1250000),
        (0, 0),
    ],
)
def test_count_reads_whole_numbers_with_any_thousands_separator(raw, expected):
    assert values.count(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "  ", "-", "–", "—"])
def test_count_reads_a_blank_or_a_dash_as_no_value(raw):
    assert values.count(raw) is None


@pytest.mark.parametrize("raw", ["12.5", 12.5, "12,5", "abc", "1,250.000", "1.25"])
def test_count_refuses_what_is_not_a_whole_number(raw):
    with pytest.raises(CellError):
        values.count(raw)


@pytest.mark.parametrize("raw", ["-3", -3, "- 3", "-1.250"])
def test_count_refuses_a_negative_number_and_says_so(raw):
    with translation.override("en"), pytest.raises(CellError, match="negative"):
        values.count(raw)


@pytest.mark.parametrize("raw", [True, False])
def test_count_refuses_a_yes_no_cell(raw):
    with pytest.raises(CellError):
        values.count(raw)


@pytest.mark.parametrize("raw", ["²", "①"])
def test_count_reports_a_digit_like_symbol_as_a_cell_error_rather_than_crashing(raw):
    # str.isdigit() accepts these but int() does not; a plain ValueError would escape the
    # planner (which catches CellError only) and fail the whole check instead of one cell.
    with pytest.raises(CellError):
        values.count(raw)


# --- Yes / no ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw", ["Có", "có", "CÓ", "Ya", "Ada", "x", "X", "Yes", "yes", 1, 1.0, "1", True, "Đã có"]
)
def test_yes_no_reads_yes_in_every_language(raw):
    assert values.yes_no(raw) is True


@pytest.mark.parametrize(
    "raw", ["Không", "không", "Tidak", "Tidak ada", "No", 0, 0.0, "0", False, "Chưa có", "Belum"]
)
def test_yes_no_reads_no_in_every_language(raw):
    assert values.yes_no(raw) is False


def test_yes_no_reads_decomposed_vietnamese_text():
    assert values.yes_no("Co\u0301") is True  # "Có" typed with a combining accent
    assert values.yes_no("Kho\u0302ng") is False


@pytest.mark.parametrize("raw", [None, "", "-"])
def test_yes_no_reads_a_blank_as_unknown_outside_organisation_columns(raw):
    assert values.yes_no(raw) is None


@pytest.mark.parametrize("raw", [None, "", "-"])
def test_yes_no_reads_a_blank_organisation_cell_as_no(raw):
    assert values.yes_no(raw, organisation=True) is False


@pytest.mark.parametrize("raw", ["Chi bộ", "Đảng bộ", "Công đoàn cơ sở", "CĐCS", "Chi đoàn"])
def test_yes_no_reads_the_organisation_named_in_its_column_as_yes(raw):
    assert values.yes_no(raw, organisation=True) is True


@pytest.mark.parametrize("raw", ["Chi bộ", "Công đoàn cơ sở"])
def test_yes_no_refuses_an_organisation_name_outside_organisation_columns(raw):
    with pytest.raises(CellError):
        values.yes_no(raw)


@pytest.mark.parametrize(
    "raw", ["Không có chi bộ", "Chưa có chi bộ", "Chưa thành lập công đoàn", "Không có công đoàn"]
)
def test_yes_no_never_reads_a_sentence_denying_the_organisation_as_yes(raw):
    # "No party cell" names the organisation too; recording one that does not exist is the
    # worst possible reading. It may be read as no or refused, never as yes.
    try:
        read = values.yes_no(raw, organisation=True)
    except CellError:
        read = "refused"
    assert read in (False, "refused")


@pytest.mark.parametrize("raw", ["abc", "có lẽ", "maybe", 2, 0.5])
@pytest.mark.parametrize("organisation", [False, True])
def test_yes_no_refuses_other_text_and_numbers(raw, organisation):
    with pytest.raises(CellError):
        values.yes_no(raw, organisation=organisation)


# --- Dates ------------------------------------------------------------------------------------

NEW_YEARS_EVE = datetime.date(2023, 12, 31)


@pytest.mark.parametrize(
    "raw",
    [
        "31/12/2023",
        "31-12-2023",
        "31.12.2023",
        "2023-12-31",
        " 31/12/2023 ",
        datetime.datetime(2023, 12, 31, 10, 30),
        datetime.date(2023, 12, 31),
        45291,  # the spreadsheet's serial number for 31 December 2023
        45291.0,
    ],
)
def test_day_reads_every_way_a_date_is_written_or_stored(raw):
    assert values.day(raw) == NEW_YEARS_EVE


def test_day_reads_day_first_when_both_orders_are_possible():
    assert values.day("01/02/2023") == datetime.date(2023, 2, 1)


@pytest.mark.parametrize("raw", [None, "", "-"])
def test_day_reads_a_blank_as_no_value(raw):
    assert values.day(raw) is None


@pytest.mark.parametrize("raw", ["31/02/2023", "29/02/2023", "00/01/2023", "31/13/2023"])
def test_day_refuses_a_date_that_does_not_exist(raw):
    with translation.override("en"), pytest.raises(CellError, match="does not exist"):
        values.day(raw)


@pytest.mark.parametrize("raw", ["yesterday", "2023/12/31", "31/12/23", "12.2023", 0, 100000])
def test_day_refuses_what_is_not_a_date(raw):
    with pytest.raises(CellError):
        values.day(raw)


# --- Tax ids ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("5300100003", "5300100003"),
        (" 5300100003 ", "5300100003"),
        ("5300100003-001", "5300100003-001"),
        (5300100003, "5300100003"),  # a number cell that kept all ten digits
        (5300100003.0, "5300100003"),
        ("0100109106", "0100109106"),  # typed as text, the leading zero survives
    ],
)
def test_tax_id_reads_vietnamese_tax_ids_and_branch_suffixes(raw, expected):
    assert values.tax_id(raw, "VN") == expected


@pytest.mark.parametrize("raw", [100109106, 100109106.0, "100109106"])
def test_tax_id_that_lost_its_leading_zero_is_reported_and_never_repaired(raw):
    with translation.override("en"), pytest.raises(CellError, match="leading zero") as caught:
        values.tax_id(raw, "VN")
    assert "9" in str(caught.value) and "10" in str(caught.value)  # the digits found and needed


@pytest.mark.parametrize("raw", ["53001000031", "5300100003-01", "53OO100003", "MST 5300100003"])
def test_tax_id_of_another_shape_is_refused(raw):
    with pytest.raises(CellError):
        values.tax_id(raw, "VN")


@pytest.mark.parametrize("raw", [None, "", "-"])
def test_tax_id_that_is_missing_is_an_error(raw):
    with translation.override("en"), pytest.raises(CellError, match="missing"):
        values.tax_id(raw, "VN")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("01.234.567.8-901.000", "012345678901000"),
        ("01-234-567-8-901-000", "012345678901000"),
        ("012345678901000", "012345678901000"),
        ("0123 4567 8901 2345", "0123456789012345"),  # the 16-digit NPWP
        (123456789012345, "123456789012345"),
    ],
)
def test_tax_id_reads_an_npwp_with_dots_and_dashes(raw, expected):
    assert values.tax_id(raw, "ID") == expected


def test_tax_id_reports_an_npwp_stored_as_a_number_without_its_leading_zero():
    with translation.override("en"), pytest.raises(CellError, match="leading zero"):
        values.tax_id(12345678901000, "ID")


@pytest.mark.parametrize("raw", ["01.234.567.8-901.00", "01.234.567.8-9O1.000"])
def test_tax_id_refuses_an_npwp_of_the_wrong_length_or_with_letters(raw):
    with pytest.raises(CellError):
        values.tax_id(raw, "ID")


# --- Ownership and status ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Nhà nước", "state"),
        ("DNNN", "state"),
        ("Tư nhân", "domestic_private"),
        ("Cổ phần", "domestic_private"),
        ("TNHH", "domestic_private"),
        ("FDI", "foreign_invested"),
        ("Có vốn đầu tư nước ngoài", "foreign_invested"),
        ("Liên doanh", "foreign_invested"),
        ("Hợp tác xã", "cooperative"),
        ("HTX", "cooperative"),
        ("Khác", "other"),
        ("BUMN", "state"),
        ("PMDN", "domestic_private"),
        ("Swasta", "domestic_private"),
        ("PMA", "foreign_invested"),
        ("Asing", "foreign_invested"),
        ("Koperasi", "cooperative"),
        ("Lainnya", "other"),
        ("State-owned", "state"),
        ("Private", "domestic_private"),
        ("Foreign-invested", "foreign_invested"),
        ("Cooperative", "cooperative"),
        ("Other", "other"),
        ("  nha nuoc ", "state"),  # without accents, stray spaces
        ("Swasta dalam negeri (PMDN)", "domestic_private"),  # Sinergi's Indonesian label
    ],
)
def test_ownership_reads_vietnamese_indonesian_and_english_words(raw, expected):
    assert values.ownership(raw) == expected


@pytest.mark.parametrize("language", ["id", "en", "vi"])
@pytest.mark.parametrize(("code", "label"), Ownership.choices)
def test_ownership_reads_back_the_label_sinergi_exports_in_each_language(language, code, label):
    with translation.override(language):
        shown = str(label)
    assert values.ownership(shown) == code


@pytest.mark.parametrize("raw", ["xyz", "Công ty", "Nhà nước và tư nhân"])
def test_ownership_refuses_an_unknown_word(raw):
    with pytest.raises(CellError):
        values.ownership(raw)


def test_ownership_reads_a_blank_as_no_value():
    assert values.ownership("") is None
    assert values.ownership("-") is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Hoạt động", "operating"),
        ("Đang hoạt động", "operating"),
        ("Tạm ngừng", "suspended"),
        ("Tạm ngừng hoạt động", "suspended"),
        ("Giải thể", "dissolved"),
        ("Ngừng hoạt động", "dissolved"),
        ("Aktif", "operating"),
        ("Beroperasi", "operating"),
        ("Berhenti sementara", "suspended"),
        ("Ditangguhkan", "suspended"),
        ("Dibubarkan", "dissolved"),
        ("Tutup", "dissolved"),
        ("Operating", "operating"),
        ("Active", "operating"),
        ("Suspended", "suspended"),
        ("Dissolved", "dissolved"),
        ("Closed", "dissolved"),
    ],
)
def test_status_reads_vietnamese_indonesian_and_english_words(raw, expected):
    assert values.status(raw) == expected


@pytest.mark.parametrize("language", ["id", "en", "vi"])
@pytest.mark.parametrize(("code", "label"), EnterpriseStatus.choices)
def test_status_reads_back_the_label_sinergi_exports_in_each_language(language, code, label):
    with translation.override(language):
        shown = str(label)
    assert values.status(shown) == code


def test_status_refuses_an_unknown_word_and_reads_a_blank_as_no_value():
    with pytest.raises(CellError):
        values.status("sleeping")
    assert values.status(None) is None


def test_text_keeps_a_tax_like_number_whole_and_normalises_accents():
    assert values.text(5300100003.0) == "5300100003"
    assert values.text("  Co\u0302ng  ty  ") == "Công ty"
    assert values.text("-") is None


def test_degrees_are_decimal_with_a_point_or_a_comma_and_within_range():
    from decimal import Decimal

    assert values.degrees("-6,2", 90) == Decimal("-6.20000")
    assert values.degrees(103.97791234, 180) == Decimal("103.97791")
    assert values.degrees(" - ", 90) is None
    for bad, limit in (("181", 180), (95, 90), (True, 90), ("22°28'N", 90)):
        with pytest.raises(values.CellError):
            values.degrees(bad, limit)
