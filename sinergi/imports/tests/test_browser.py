"""The import path, walked in a real browser: an editor uploads an office list whose tax-id
column has a header the import does not know, sees the preview with its error, maps the column,
imports, finds the new enterprises in the registry, and undoes the import.

Locators use names, ids and hrefs rather than visible words: the interface speaks Indonesian by
default and its translations change while these tests stay put.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook
from playwright.sync_api import expect

from sinergi.core.testing import PASSWORD
from sinergi.imports.columns import FIELDS
from sinergi.imports.models import BatchStatus, ImportBatch
from sinergi.registry.models import Enterprise, Figure, Organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
TAX_HEADER = "Mã ĐKKD"  # a registration-number header offices use, which no synonym covers
HEADER = ["STT", "Tên doanh nghiệp", TAX_HEADER, "Khu công nghiệp", "Tổng số lao động"]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ENTERPRISES = [
    ("5300100011", "Công ty TNHH Gốm Sứ Thử Nghiệm", 85),
    ("5300100029", "Công ty Cổ phần Gốm Men Thử Nghiệm", 140),
]


def office_list() -> bytes:
    """A list as an office keeps it: a title with the reporting date, a header, a numbering
    row, enterprises in zone A under its alias, a total row and a signature footer."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["BAN QUẢN LÝ KHU KINH TẾ"])
    sheet.append(["DANH SÁCH DOANH NGHIỆP (Số liệu tính đến ngày 31/12/2023)"])
    sheet.append([])
    sheet.append(HEADER)
    sheet.append([f"({n})" for n in range(1, len(HEADER) + 1)])
    for number, (tax_id, name, workers) in enumerate(ENTERPRISES, start=1):
        sheet.append([number, name, tax_id, "Đông Phố Mới", workers])
    sheet.append([None, "Tổng cộng", None, None, sum(e[2] for e in ENTERPRISES)])
    sheet.append([])
    sheet.append([None, None, None, "Người lập biểu"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def screenshot(page, name: str) -> None:
    """A full-page picture for a person to look at; test-artifacts/ is git-ignored."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sign_in(page, username: str) -> None:
    page.goto(page.base_url + reverse("accounts:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def search_enterprises(page, query: str):
    page.goto(page.base_url + reverse("registry:enterprise_list"))
    page.fill("form.filters input[name=q]", query)
    page.locator("form.filters button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"[?&]q="))
    return page.locator("main table")


def test_an_editor_uploads_maps_a_column_imports_finds_the_enterprises_and_undoes(world, page):
    editor = world.users["editor_a"]
    tax_ids = [tax_id for tax_id, _name, _workers in ENTERPRISES]

    # 1. Sign in and upload the list; the reporting date is left for the title to give.
    sign_in(page, "editor_a")
    page.goto(page.base_url + reverse("imports:batch_list"))
    page.set_input_files(
        "input[name=file]",
        {"name": "danh_sach_doanh_nghiep.xlsx", "mimeType": XLSX_TYPE, "buffer": office_list()},
    )
    page.locator("main form[enctype='multipart/form-data'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/imports/\d+/$"))
    batch = ImportBatch.objects.get(created_by=editor)
    assert batch.status == BatchStatus.CHECKED

    # 2. The preview: the tax-id column is missing, nothing can be imported yet, and the
    #    mapping form offers a select per column.
    with translation.override("id"):
        tax_label = str(FIELDS["tax_id"][0])
    expect(page.locator("#errors table tbody tr")).to_have_count(1)
    expect(page.locator("#errors table tbody tr td").nth(1)).to_have_text(tax_label)
    expect(page.locator("#commit-all")).to_have_count(0)
    expect(page.locator(".stat-bad")).to_be_visible()
    tax_column = page.locator("select[name=col_2]")
    expect(tax_column).to_have_value("")
    expect(page.locator("select[name=col_1]")).to_have_value("name")
    expect(page.locator("select[name=col_3]")).to_have_value("zone")
    expect(page.locator("select[name=col_4]")).to_have_value("workers")
    expect(page.locator("#mapping")).to_contain_text(TAX_HEADER)
    screenshot(page, "import-preview-with-errors")
    assert not Enterprise.objects.filter(tax_id__in=tax_ids).exists()

    # 3. Map the column to the tax id and check again: no error is left.
    tax_column.select_option("tax_id")
    page.locator("#recheck").click()
    expect(page).to_have_url(re.compile(rf"/imports/{batch.pk}/$"))
    expect(page.locator("#errors")).to_have_count(0)
    expect(page.locator("select[name=col_2]")).to_have_value("tax_id")
    expect(page.locator(".stat-bad")).to_have_count(0)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.CHECKED
    assert batch.counts["created"] == len(ENTERPRISES) and batch.counts["errors"] == 0
    assert batch.report["mapping"]["2"] == "tax_id"
    assert not Enterprise.objects.filter(tax_id__in=tax_ids).exists()  # still only a preview
    # The rows the import will create, each with the values it will set.
    preview = page.locator("#preview tr[data-preview-row]")
    expect(preview).to_have_count(len(ENTERPRISES))
    expect(page.locator('#preview tr[data-action="create"]')).to_have_count(len(ENTERPRISES))
    expect(preview.first).to_contain_text(ENTERPRISES[0][1])
    expect(preview.first).to_contain_text("85")
    screenshot(page, "import-preview-rows")

    # 4. Import: the page turns to the committed state with the undo button.
    page.locator("#commit-all").click()
    expect(page).to_have_url(re.compile(rf"/imports/{batch.pk}/$"))
    expect(page.locator("#undo-start")).to_be_visible()
    expect(page.locator("#undo")).to_be_hidden()  # undo asks first
    expect(page.locator(f".status-{BatchStatus.COMMITTED}")).to_be_visible()
    screenshot(page, "import-committed")
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMMITTED and batch.committed_by == editor
    created = Enterprise.objects.filter(tax_id__in=tax_ids)
    assert sorted(created.values_list("tax_id", "name", "zone__code")) == sorted(
        (tax_id, name, "kcn-a") for tax_id, name, _workers in ENTERPRISES
    )
    figures = Figure.objects.filter(enterprise__tax_id__in=tax_ids)
    assert sorted(figures.values_list("workers", flat=True)) == [85, 140]
    assert {str(f.as_of) for f in figures} == {"2023-12-31"}  # read from the title

    # 5. The registry lists them; a search typed without accents finds both.
    results = search_enterprises(page, "gom thu nghiem")
    for tax_id, name, _workers in ENTERPRISES:
        enterprise = created.get(tax_id=tax_id)
        expect(results.locator(f'a[href="{enterprise.get_absolute_url()}"]')).to_have_text(name)
    screenshot(page, "import-enterprises-in-registry")

    # 6. Undo from the batch page: the enterprises, their figures and any organisations go.
    page.goto(page.base_url + batch.get_absolute_url())
    page.locator("#undo-start").click()
    # The confirmation says what goes: the two enterprises the import created.
    expect(page.locator("#undo-confirm li").first).to_contain_text(str(len(ENTERPRISES)))
    screenshot(page, "import-undo-confirmation")
    assert Enterprise.objects.filter(tax_id__in=tax_ids).count() == len(ENTERPRISES)
    page.locator("#undo").click()
    expect(page).to_have_url(re.compile(rf"/imports/{batch.pk}/$"))
    expect(page.locator(f".status-{BatchStatus.UNDONE}")).to_be_visible()
    expect(page.locator("#undo-start")).to_have_count(0)
    screenshot(page, "import-undone")
    batch.refresh_from_db()
    assert batch.status == BatchStatus.UNDONE
    assert not Enterprise.objects.filter(tax_id__in=tax_ids).exists()
    assert not Figure.objects.filter(import_batch=batch).exists()
    assert not Organisation.objects.filter(enterprise__tax_id__in=tax_ids).exists()
    assert Enterprise.objects.count() == 2  # the world's own two are untouched

    results = search_enterprises(page, "gom thu nghiem")
    expect(results.get_by_role("link", name=re.compile("Thử Nghiệm"))).to_have_count(0)
