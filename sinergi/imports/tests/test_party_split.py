"""The offices' party-member lists: a two-level merged header ("Đảng viên" over "Tổng số" /
"Chính thức" / "Dự bị", "Nguồn phát triển đảng viên" over the pipeline) with the numbering row
below, imported to the expected totals and eligible list; the export imports back unchanged."""

from __future__ import annotations

import datetime
import io
import json
from pathlib import Path

import pytest
from django.db.models import Count, Sum
from django.utils import translation

from sinergi.core.services import SYSTEM
from sinergi.core.spreadsheets import write_xlsx
from sinergi.imports import services
from sinergi.imports.layout import detect
from sinergi.imports.tests.factories import upload
from sinergi.insight import aggregates
from sinergi.insight.models import Gap
from sinergi.presets.loader import apply_preset
from sinergi.registry import exporting
from sinergi.registry import services as registry_services
from sinergi.registry.models import Enterprise, Figure, Organisation, OrganisationType

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent / "data"
SAMPLE = "dang_vien_kcn_2024.xlsx"


def _import_sample():
    apply_preset("lao-cai")
    data = (DATA / SAMPLE).read_bytes()
    batch = services.batch_upload(actor=SYSTEM, upload=upload(data, SAMPLE))
    return services.batch_commit(batch, actor=SYSTEM)


def test_the_two_level_header_is_read_as_one_header_per_column():
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(DATA / SAMPLE).get_sheet_by_index(0).to_python()
    layout = detect(rows, [])
    assert layout.header_index == 3 and layout.first_data_index == 6  # numbering row skipped
    assert layout.headers[5:8] == ["Đảng viên Tổng số", "Đảng viên Chính thức", "Đảng viên Dự bị"]
    assert layout.headers[9] == "Nguồn phát triển đảng viên Quần chúng ưu tú"


def test_the_party_list_imports_to_its_expected_totals_and_eligible_list():
    expected = json.loads((DATA / "dang_vien_kcn_2024.expected.json").read_text())
    plan = _import_sample()
    assert not plan.errors, plan.errors[:3]
    assert plan.report_date == datetime.date.fromisoformat(expected["report_date"])
    figures = Figure.objects.filter(as_of=plan.report_date, superseded_at__isnull=True)
    sums = figures.aggregate(
        official=Sum("official_party_members"),
        probationary=Sum("probationary_party_members"),
        total=Sum("party_members"),
        masses=Sum("outstanding_masses"),
        attended=Sum("awareness_class_attended"),
        candidates=Sum("admission_candidates"),
    )
    assert Enterprise.objects.count() == expected["enterprises"]
    assert sums["official"] == expected["official"]
    assert sums["probationary"] == expected["probationary"]
    assert sums["total"] == expected["official"] + expected["probationary"]
    assert sums["masses"] == expected["outstanding_masses"]
    assert sums["attended"] == expected["attended_class"]
    assert sums["candidates"] == expected["candidates"]
    by_type = dict(Organisation.objects.values_list("type__code").annotate(n=Count("id")))
    assert by_type["party"] == expected["with_party_cell"]
    aggregates.refresh()
    eligible = sorted(
        Gap.objects.filter(type__code="party", status="eligible").values_list(
            "enterprise__tax_id", flat=True
        )
    )
    assert eligible == sorted(expected["eligible_for_party_cell"])


def _export(fmt: str, language: str) -> bytes:
    types = list(OrganisationType.objects.all())
    queryset = Enterprise.objects.order_by("name", "id")
    with translation.override(language):
        header = exporting.enterprise_header(types)
        rows = list(exporting.current_rows(queryset, types))
    if fmt == "xlsx":
        buffer = io.BytesIO()
        write_xlsx(buffer, header, rows, title="Sinergi")
        return buffer.getvalue()
    from sinergi.core.spreadsheets import csv_chunks

    return "".join(
        c.decode() if isinstance(c, bytes) else c for c in csv_chunks(header, rows)
    ).encode()


def _state():
    figures = Figure.objects.filter(superseded_at__isnull=True).order_by("enterprise__tax_id")
    return (
        Enterprise.objects.count(),
        Figure.objects.count(),
        list(
            figures.values_list(
                "enterprise__tax_id",
                "as_of",
                "party_members",
                "official_party_members",
                "probationary_party_members",
                "outstanding_masses",
                "awareness_class_attended",
                "admission_candidates",
                "owner_party_member",
            )
        ),
        Organisation.objects.count(),
    )


@pytest.mark.parametrize(("fmt", "language"), [("xlsx", "vi"), ("csv", "id"), ("xlsx", "en")])
def test_the_export_carries_the_new_figures_and_imports_back_unchanged(fmt, language):
    _import_sample()
    registry_services.figure_record(
        actor=SYSTEM,
        enterprise=Enterprise.objects.get(tax_id="5300800119"),
        as_of=datetime.date(2024, 12, 31),
        values={
            "workers": 70,
            "official_party_members": 4,
            "probationary_party_members": 1,
            "outstanding_masses": 5,
            "awareness_class_attended": 1,
            "admission_candidates": 0,
            "owner_party_member": True,
        },
    )
    before = _state()
    data = _export(fmt, language)
    batch = services.batch_upload(actor=SYSTEM, upload=upload(data, f"export.{fmt}"))
    plan = services.batch_commit(batch, actor=SYSTEM)
    assert not plan.errors, plan.errors[:3]
    assert plan.counts()["created"] == 0
    assert _state() == before


@pytest.mark.parametrize(
    ("top", "below", "expected"),
    [
        (
            [
                "NPWP",
                "Nama perusahaan",
                "Pekerja",
                "Anggota partai",
                "",
                "",
                "Kaderisasi anggota partai",
                "",
            ],
            ["", "", "", "Jumlah", "Resmi", "Masa percobaan", "Massa unggul", "Calon penerimaan"],
            [
                "tax_id",
                "name",
                "workers",
                "party_members",
                "official_party_members",
                "probationary_party_members",
                "outstanding_masses",
                "admission_candidates",
            ],
        ),
        (
            ["Tax id", "Enterprise", "Workers", "Party members", "", "", "Party development", ""],
            [
                "",
                "",
                "",
                "Total",
                "Official",
                "Probationary",
                "Outstanding masses",
                "Candidates for admission",
            ],
            [
                "tax_id",
                "name",
                "workers",
                "party_members",
                "official_party_members",
                "probationary_party_members",
                "outstanding_masses",
                "admission_candidates",
            ],
        ),
    ],
)
def test_two_level_headers_in_indonesian_and_english(top, below, expected):
    from sinergi.imports.columns import match_headers

    rows = [
        ["Daftar"],
        top,
        below,
        [str(i) for i in range(1, 9)],
        ["5300800119", "PT A", 70, 5, 4, 1, 5, 0],
    ]
    layout = detect(rows, [])
    assert layout.first_data_index == 4
    mapping = match_headers(layout.headers, [])
    assert [mapping.get(i) for i in range(8)] == expected
