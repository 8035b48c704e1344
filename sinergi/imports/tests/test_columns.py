"""Which column holds what: headers in Vietnamese, Indonesian or English, however they are
accented, cased or annotated, and the headers Sinergi's own export writes."""

from __future__ import annotations

import unicodedata

import pytest
from django.utils import translation

from sinergi.imports.columns import FIELDS, header_key, match_headers, targets
from sinergi.registry.choices import FIGURE_VALUES
from sinergi.registry.exporting import enterprise_header
from sinergi.registry.models import OrganisationType

VIETNAMESE = {
    "STT": "row_number",
    "Tên doanh nghiệp": "name",
    "Mã số thuế": "tax_id",
    "Khu công nghiệp / khu chức năng": "zone",
    "Loại hình doanh nghiệp": "ownership",
    "Ngành nghề": "sector",
    "Ngày thành lập": "founded_on",
    "Tình trạng hoạt động": "status",
    "Địa chỉ": "address",
    "Tổng số lao động": "workers",
    "Trong đó: nữ": "women_workers",
    "Số đảng viên": "party_members",
    "Số đoàn viên công đoàn": "union_members",
    "Đoàn viên thanh niên": "youth_members",
    "Đảng viên kết nạp mới": "new_party_members",
    "Ghi chú": "note",
}
INDONESIAN = {
    "No.": "row_number",
    "Nama Perusahaan": "name",
    "NPWP": "tax_id",
    "Kawasan Industri": "zone",
    "Kepemilikan": "ownership",
    "Bidang Usaha": "sector",
    "Tanggal Berdiri": "founded_on",
    "Status": "status",
    "Alamat": "address",
    "Jumlah Pekerja": "workers",
    "Pekerja Perempuan": "women_workers",
    "Anggota Partai": "party_members",
    "Anggota Serikat Pekerja": "union_members",
    "Keterangan": "note",
}
ENGLISH = {
    "#": "row_number",
    "Company name": "name",
    "Tax ID": "tax_id",
    "Industrial park": "zone",
    "Ownership": "ownership",
    "Industry": "sector",
    "Date founded": "founded_on",
    "Status": "status",
    "Address": "address",
    "Number of workers": "workers",
    "Women workers": "women_workers",
    "Party members": "party_members",
    "Trade union members": "union_members",
    "Youth union members": "youth_members",
    "Newly admitted": "new_party_members",
    "Remarks": "note",
}


@pytest.mark.parametrize("headers", [VIETNAMESE, INDONESIAN, ENGLISH], ids=["vi", "id", "en"])
def test_headers_in_each_language_map_to_their_columns(headers):
    assert match_headers(list(headers), []) == dict(enumerate(headers.values()))


@pytest.mark.parametrize(
    "header",
    [
        "Mã số thuế",
        "MÃ SỐ THUẾ",
        "ma so thue",
        "Ma So Thue",
        "  Mã   số thuế  ",
        "Mã số thuế:",
        "Mã số thuế (MST)",
        "Mã số thuế *",
        unicodedata.normalize("NFD", "Mã số thuế"),  # as some Mac programs store text
        "MST",
    ],
)
def test_a_header_is_matched_whatever_its_accents_case_spaces_units_or_colon(header):
    assert match_headers(["Tên doanh nghiệp", header], []) == {0: "name", 1: "tax_id"}


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("Tổng số lao động (người)", "workers"),
        ("Jumlah pekerja (orang)", "workers"),
        ("Số đảng viên (đồng chí):", "party_members"),
        ("Ngày thành lập (dd/mm/yyyy)", "founded_on"),
    ],
)
def test_units_in_parentheses_are_ignored(header, code):
    assert match_headers([header], []) == {0: code}


def test_every_header_of_a_decomposed_file_is_matched():
    headers = [unicodedata.normalize("NFD", h) for h in VIETNAMESE]
    assert match_headers(headers, []) == dict(enumerate(VIETNAMESE.values()))


@pytest.mark.parametrize("header", ["Mã ĐKKD", "Họ và tên giám đốc", "Số điện thoại", "", None])
def test_an_unknown_column_is_left_unmapped(header):
    assert match_headers(["Mã số thuế", header, "Tên doanh nghiệp"], []) == {
        0: "tax_id",
        2: "name",
    }


def test_each_target_is_mapped_at_most_once_the_first_column_winning():
    headers = ["Mã số thuế", "Tên doanh nghiệp", "MST", "Tax code", "Nama perusahaan"]
    assert match_headers(headers, []) == {0: "tax_id", 1: "name"}


def test_header_key_drops_accents_case_units_and_trailing_punctuation():
    assert header_key("Tổng số lao động (người):") == "tong so lao dong"
    assert header_key(" Trong đó: Nữ ") == "trong do: nu"
    assert header_key(None) == ""
    assert header_key(12) == "12"


def test_organisation_columns_are_matched_by_the_type_names_and_their_synonyms(world):
    types = list(OrganisationType.objects.all())
    headers = ["Tổ chức đảng", "Công đoàn cơ sở", "Organisasi partai", "Chi bộ", "CĐCS"]
    assert match_headers(headers, types) == {0: "org:party", 1: "org:trade-union"}
    assert match_headers(["Serikat pekerja", "Party organisation"], types) == {
        0: "org:trade-union",
        1: "org:party",
    }


def test_organisation_columns_need_the_organisation_type_to_exist():
    assert match_headers(["Tổ chức đảng", "Công đoàn cơ sở"], []) == {}


def test_every_target_is_offered_for_the_mapping_selects(world):
    found = targets(OrganisationType.objects.all())
    assert set(found) == {*FIELDS, "org:party", "org:trade-union"}
    with translation.override("vi"):
        assert targets(OrganisationType.objects.all())["org:party"].label == "Tổ chức đảng"


@pytest.mark.parametrize("language", ["id", "en", "vi"])
def test_the_headers_sinergi_exports_map_back_to_the_same_columns(world, language):
    types = list(OrganisationType.objects.order_by("sort_order"))
    with translation.override(language):
        header = enterprise_header(types)
        reporting_date = translation.gettext("Reporting date")
    expected = [
        "tax_id",
        "name",
        "zone",
        "ownership",
        "sector",
        "founded_on",
        "status",
        "address",
        "latitude",
        "longitude",
        "as_of",  # each row's figures keep the date they describe
        *FIGURE_VALUES,  # the counts (the party split and pipeline too), then yes/no facts
        "org:party",
        "org:trade-union",
    ]
    assert header[10] == reporting_date
    mapping = match_headers(header, types)  # read back in whatever language the reader uses
    assert [mapping.get(index) for index in range(len(header))] == expected


@pytest.mark.parametrize("language", ["id", "en", "vi"])
def test_headers_exported_in_one_language_are_read_under_another(world, language):
    types = list(OrganisationType.objects.order_by("sort_order"))
    with translation.override(language):
        header = enterprise_header(types)
    readings = []
    for reader in ("id", "en", "vi"):
        with translation.override(reader):
            readings.append(match_headers(header, types))
    assert readings[0] == readings[1] == readings[2]
    assert len(readings[0]) == len(header)
