"""Which column holds what: headers in Vietnamese, Indonesian or English, matched through synonyms,
accents and case ignored."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sinergi.core.text import search_key
from sinergi.registry.choices import HEADINGS

# The columns Sinergi reads. Organisation-type columns are added from the database ("org:<code>").
FIELDS: dict[str, tuple[str | Promise, tuple[str, ...]]] = {
    "row_number": (
        _("Row number"),
        ("stt", "tt", "so tt", "so thu tu", "no", "no.", "nomor", "#"),
    ),
    "tax_id": (
        HEADINGS["tax_id"],
        (
            "ma so thue",
            "mst",
            "ma so doanh nghiep",
            "ma so dn",
            "npwp",
            "nomor npwp",
            "tax id",
            "tax code",
            "tax number",
            "tin",
        ),
    ),
    "name": (
        HEADINGS["name"],
        (
            "ten doanh nghiep",
            "ten dn",
            "ten cong ty",
            "ten don vi",
            "doanh nghiep",
            "nama perusahaan",
            "nama badan usaha",
            "perusahaan",
            "nama",
            "enterprise",
            "enterprise name",
            "company",
            "company name",
            "name",
        ),
    ),
    "zone": (
        HEADINGS["zone"],
        (
            "khu cong nghiep / khu chuc nang",
            "khu cong nghiep/khu chuc nang",
            "khu cong nghiep",
            "khu chuc nang",
            "kcn",
            "kcn/kcn",
            "dia ban",
            "khu",
            "kawasan",
            "kawasan industri",
            "lokasi kawasan",
            "zone",
            "industrial park",
            "park",
        ),
    ),
    "ownership": (
        HEADINGS["ownership"],
        (
            "loai hinh doanh nghiep",
            "loai hinh dn",
            "loai hinh",
            "thanh phan kinh te",
            "hinh thuc so huu",
            "kepemilikan",
            "jenis badan usaha",
            "status kepemilikan",
            "ownership",
            "ownership type",
        ),
    ),
    "sector": (
        HEADINGS["sector"],
        (
            "nganh nghe",
            "nganh nghe kinh doanh",
            "nganh",
            "linh vuc",
            "linh vuc hoat dong",
            "sektor",
            "bidang usaha",
            "sector",
            "industry",
        ),
    ),
    "founded_on": (
        HEADINGS["founded_on"],
        (
            "ngay thanh lap",
            "ngay cap phep",
            "nam thanh lap",
            "tanggal berdiri",
            "tanggal pendirian",
            "founded",
            "date founded",
            "founding date",
        ),
    ),
    "status": (HEADINGS["status"], ("tinh trang", "tinh trang hoat dong", "trang thai", "status")),
    "address": (HEADINGS["address"], ("dia chi", "alamat", "address")),
    "latitude": (HEADINGS["latitude"], ("vi do", "lintang", "latitude", "lat")),
    "longitude": (HEADINGS["longitude"], ("kinh do", "bujur", "longitude", "long", "lon", "lng")),
    "as_of": (
        HEADINGS["as_of"],
        (
            "ngay bao cao",
            "ky bao cao",
            "so lieu den ngay",
            "tinh den ngay",
            "tanggal pelaporan",
            "tanggal laporan",
            "periode laporan",
            "reporting date",
            "as of",
            "date of figures",
        ),
    ),
    "workers": (
        HEADINGS["workers"],
        (
            "tong so lao dong",
            "so lao dong",
            "lao dong",
            "tong so cnld",
            "jumlah pekerja",
            "jumlah tenaga kerja",
            "pekerja",
            "tenaga kerja",
            "workers",
            "employees",
            "number of workers",
        ),
    ),
    "women_workers": (
        HEADINGS["women_workers"],
        (
            "trong do: nu",
            "trong do nu",
            "lao dong nu",
            "nu",
            "pekerja perempuan",
            "perempuan",
            "women workers",
            "women",
            "female workers",
        ),
    ),
    "party_members": (
        HEADINGS["party_members"],
        (
            "so dang vien",
            "dang vien",
            "tong so dang vien",
            "dang vien tong so",
            "so dang vien tong so",
            "anggota partai jumlah",
            "anggota partai total",
            "party members total",
            "jumlah anggota partai",
            "anggota partai",
            "party members",
        ),
    ),
    # Two-level headers are read as "parent child" ("Đảng viên" over "Chính thức"), so both the
    # combined words and the child alone, where it cannot mean anything else, are listed.
    "official_party_members": (
        HEADINGS["official_party_members"],
        (
            "dang vien chinh thuc",
            "so dang vien chinh thuc",
            "chinh thuc",
            "anggota partai resmi",
            "anggota resmi",
            "official party members",
            "party members official",
            "official members",
            "official",
        ),
    ),
    "probationary_party_members": (
        HEADINGS["probationary_party_members"],
        (
            "dang vien du bi",
            "so dang vien du bi",
            "du bi",
            "anggota partai calon",
            "anggota partai masa percobaan",
            "anggota masa percobaan",
            "probationary party members",
            "party members probationary",
            "probationary members",
            "probationary",
        ),
    ),
    "union_members": (
        HEADINGS["union_members"],
        (
            "so doan vien cong doan",
            "doan vien cong doan",
            "so doan vien cd",
            "jumlah anggota serikat",
            "anggota serikat pekerja",
            "anggota serikat",
            "union members",
            "trade union members",
        ),
    ),
    "youth_members": (
        HEADINGS["youth_members"],
        (
            "so doan vien thanh nien",
            "doan vien thanh nien",
            "doan vien",
            "anggota persatuan pemuda",
            "anggota pemuda",
            "youth members",
            "youth union members",
        ),
    ),
    "new_party_members": (
        HEADINGS["new_party_members"],
        (
            "dang vien ket nap moi",
            "so dang vien ket nap moi",
            "ket nap moi",
            "ket nap",
            "anggota partai baru",
            "anggota baru",
            "new party members",
            "newly admitted",
        ),
    ),
    "outstanding_masses": (
        HEADINGS["outstanding_masses"],
        (
            "quan chung uu tu",
            "nguon phat trien dang vien quan chung uu tu",
            "so quan chung uu tu",
            "massa unggul",
            "massa unggulan",
            "kaderisasi anggota partai massa unggul",
            "party development outstanding masses",
            "outstanding masses",
            "outstanding masses introduced to the party",
        ),
    ),
    "awareness_class_attended": (
        HEADINGS["awareness_class_attended"],
        (
            "da hoc lop nhan thuc ve dang",
            "nguon phat trien dang vien da hoc lop nhan thuc ve dang",
            "hoc lop nhan thuc ve dang",
            "lop nhan thuc ve dang",
            "mengikuti kelas kesadaran partai",
            "kelas kesadaran partai",
            "kaderisasi anggota partai mengikuti kelas kesadaran partai",
            "party development attended the awareness class",
            "attended the party awareness class",
            "attended the awareness class",
            "party awareness class",
        ),
    ),
    "admission_candidates": (
        HEADINGS["admission_candidates"],
        (
            "doi tuong ket nap dang",
            "doi tuong ket nap",
            "nguon phat trien dang vien doi tuong ket nap",
            "calon anggota partai",
            "calon penerimaan",
            "kaderisasi anggota partai calon penerimaan",
            "party development candidates for admission",
            "candidates for admission",
            "admission candidates",
        ),
    ),
    "owner_party_member": (
        HEADINGS["owner_party_member"],
        (
            "chu doanh nghiep la dang vien",
            "chu dn la dang vien",
            "chu doanh nghiep/giam doc la dang vien",
            "giam doc la dang vien",
            "pemilik atau direktur anggota partai",
            "pemilik anggota partai",
            "owner or director is a party member",
            "owner is a party member",
        ),
    ),
    "note": (_("Note"), ("ghi chu", "catatan", "keterangan", "note", "notes", "remarks")),
}

# Extra words for the organisation-type columns, by type code, beside the type's own names.
ORGANISATION_SYNONYMS = {
    "party": (
        "to chuc dang",
        "chi bo",
        "dang bo",
        "co to chuc dang",
        "co chi bo",
        "to chuc co so dang",
        "organisasi partai",
        "party organisation",
        "party organization",
    ),
    "trade-union": (
        "cong doan co so",
        "cong doan",
        "cdcs",
        "co cong doan",
        "serikat pekerja",
        "trade union",
        "union",
    ),
    "youth-union": ("doan thanh nien", "chi doan", "doan tncs", "persatuan pemuda", "youth union"),
    "women-union": (
        "hoi phu nu",
        "chi hoi phu nu",
        "persatuan perempuan",
        "women's union",
        "womens union",
    ),
}

_PARENTHESES = re.compile(r"\([^)]*\)")
_PUNCTUATION = re.compile(r"[\s*:.]+$")


def header_key(value) -> str:
    """A header as compared: no accents, no case, no "(người)" units, no trailing colon."""
    key = search_key(_PARENTHESES.sub(" ", str(value or "")))
    return _PUNCTUATION.sub("", key).strip()


@dataclass(frozen=True)
class Target:
    code: str  # a FIELDS key, or "org:<type code>"
    label: str


def targets(org_types: Iterable) -> dict[str, Target]:
    """Every column Sinergi can read, for the mapping selects."""
    found = {code: Target(code, str(label)) for code, (label, _words) in FIELDS.items()}
    for org_type in org_types:
        code = f"org:{org_type.code}"
        found[code] = Target(code, str(org_type.name))
    return found


def synonyms(org_types: Iterable) -> dict[str, str]:
    """header key -> target code."""
    table: dict[str, str] = {}
    for org_type in org_types:
        names = [*org_type.names.values(), *ORGANISATION_SYNONYMS.get(org_type.code, ())]
        for word in names:
            table.setdefault(header_key(word), f"org:{org_type.code}")
    for code, (label, words) in FIELDS.items():
        for word in words:
            table.setdefault(header_key(word), code)
        # The label in every interface language, so an exported file imports back as it is.
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                table.setdefault(header_key(str(label)), code)
    return table


def match_headers(headers: Sequence, org_types: Iterable) -> dict[int, str]:
    """Column index -> target code for every header recognised; each target used once."""
    table = synonyms(org_types)
    mapping: dict[int, str] = {}
    used: set[str] = set()
    for index, header in enumerate(headers):
        code = table.get(header_key(header))
        if code and code not in used:
            mapping[index] = code
            used.add(code)
    return mapping


def header_score(row: Sequence, table: dict[str, str]) -> int:
    """How many cells of `row` name a known column (`table` from `synonyms()`)."""
    return sum(1 for cell in row if header_key(cell) in table)
