"""Import pages through the test client: upload, preview, mapping, commit, undo, downloads."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from sinergi.core.services import SYSTEM
from sinergi.imports.models import BatchStatus, ImportBatch
from sinergi.imports.tests.factories import HEADER, row, xlsx
from sinergi.registry import services as registry_services
from sinergi.registry.models import Enterprise

pytestmark = pytest.mark.django_db

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(client, data: bytes, name="danh_sach.xlsx", **extra):
    return client.post(
        reverse("imports:batch_list"), {"file": SimpleUploadedFile(name, data), **extra}
    )


def test_uploading_checks_the_file_and_shows_the_preview(world):
    client = world.client("editor_a")
    response = _upload(client, xlsx([row(1, "5300200001"), row(2, "5300200002", party=500)]))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == batch.get_absolute_url()
    page = client.get(batch.get_absolute_url())
    assert batch.status == BatchStatus.QUEUED or page.context["batch"].status == "checked"
    assert page.context["counts"]["created"] == 1
    assert [e["row"] for e in page.context["errors"]] == [7]
    assert not Enterprise.objects.filter(tax_id="5300200001").exists()


def test_a_file_that_is_not_a_spreadsheet_is_refused_whatever_its_name(world):
    response = _upload(world.client("editor_a"), b"%PDF-1.7 fake", name="list.xlsx")
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not ImportBatch.objects.exists()


def test_committing_imports_and_undoing_takes_it_back(world):
    client = world.client("editor_a")
    _upload(client, xlsx([row(1, "5300200001")]))
    batch = ImportBatch.objects.get()
    client.post(reverse("imports:batch_commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMMITTED
    assert Enterprise.objects.filter(tax_id="5300200001").exists()
    client.post(reverse("imports:batch_undo", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.UNDONE
    assert not Enterprise.objects.filter(tax_id="5300200001").exists()


def test_the_batch_list_shows_counts_without_reading_what_undo_keeps(world):
    client = world.client("editor_a")
    _upload(client, xlsx([row(1, "5300200001")]))
    batch = ImportBatch.objects.get()
    client.post(reverse("imports:batch_commit", args=[batch.pk]))
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("imports:batch_list"))
    assert [b.counts["created"] for b in page.context["batches"]] == [1]
    listed = [q["sql"] for q in captured if "imports_importbatch" in q["sql"]]
    assert listed and not any("undo_data" in sql or '"report"' in sql for sql in listed)


def test_commit_is_refused_while_rows_have_errors_unless_only_valid_is_chosen(world):
    client = world.client("editor_a")
    _upload(client, xlsx([row(1, "5300200001"), row(2, "5300200002", party=500)]))
    batch = ImportBatch.objects.get()
    client.post(reverse("imports:batch_commit", args=[batch.pk]))
    assert not Enterprise.objects.filter(tax_id="5300200001").exists()
    client.post(reverse("imports:batch_commit", args=[batch.pk]), {"only_valid": "1"})
    assert Enterprise.objects.filter(tax_id="5300200001").exists()
    assert not Enterprise.objects.filter(tax_id="5300200002").exists()


def test_correcting_the_mapping_checks_the_file_again(world):
    client = world.client("editor_a")
    header = [*HEADER[:2], "Mã ĐKKD", *HEADER[3:]]
    _upload(client, xlsx([row(1, "5300200001")], header=header))
    batch = ImportBatch.objects.get()
    assert batch.counts["errors"] == 1
    mapping = {f"col_{i}": code for i, code in batch.report["mapping"].items()}
    client.post(reverse("imports:batch_configure", args=[batch.pk]), {**mapping, "col_2": "tax_id"})
    batch.refresh_from_db()
    assert batch.counts["errors"] == 0 and batch.counts["created"] == 1


def test_someone_else_cannot_act_on_a_batch(world):
    _upload(world.client("editor_a"), xlsx([row(1, "5300200001")]))
    batch = ImportBatch.objects.get()
    response = world.client("editor_b").post(reverse("imports:batch_commit", args=[batch.pk]))
    assert response.status_code == 404
    response = world.client("viewer").post(reverse("imports:batch_list"), {})
    assert response.status_code == 403


def test_the_error_file_is_the_upload_with_an_error_column(world):
    client = world.client("editor_a")
    _upload(client, xlsx([row(1, "5300200001"), row(2, "5300200002", party=500)]))
    batch = ImportBatch.objects.get()
    response = client.get(reverse("imports:error_file", args=[batch.pk]))
    assert response["Content-Type"] == XLSX_TYPE
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[3][:3] == tuple(HEADER[:3])  # the header stays on its own row
    assert rows[3][-1] == "Errors" or rows[3][-1]  # the error column's title, translated
    assert rows[5][-1] in (None, "")
    assert "Số đảng viên" in rows[6][-1]


def test_the_blank_template_has_the_headers_in_the_users_language(world):
    user = world.users["viewer"]
    user.language = "vi"
    user.save()
    response = world.client("viewer").get(reverse("imports:blank_template", args=["xlsx"]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    from django.utils import translation

    with translation.override("vi"):
        expected = translation.gettext("Tax id")
    assert rows[1][0] == expected


def test_the_enterprise_list_exports_as_a_formatted_xlsx(world):
    registry_services.figure_record(
        actor=SYSTEM,
        enterprise=Enterprise.objects.get(tax_id="5300100003"),
        as_of=datetime.date(2023, 12, 31),
        values={"workers": 10},
    )
    response = world.client("viewer").get(
        reverse("registry:enterprise_export", args=["xlsx"]), {"q": "pho moi"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A3"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2][:2] == ("5300100003", "Công ty TNHH Điện tử Phố Mới") and len(rows) == 3
    # The reporting date is a date cell, not text.
    assert rows[2][10] == datetime.datetime(2023, 12, 31) and rows[2][11] == 10
    assert sheet.cell(row=2, column=1).font.bold


def _preview_after(client, first: dict, second: dict):
    """The page of a second upload of enterprise 5300200001, after a first one was imported."""
    _upload(client, xlsx([row(1, "5300200001", **first)]))
    imported = ImportBatch.objects.get()
    client.post(reverse("imports:batch_commit", args=[imported.pk]))
    _upload(client, xlsx([row(1, "5300200001", **second)]))
    return client.get(ImportBatch.objects.exclude(pk=imported.pk).get().get_absolute_url())


def _changes(shown: dict) -> dict:
    """A previewed row's changes: label -> (before, after)."""
    return {str(c["label"]): (c["before"], c["after"]) for c in shown["changes"]}


def test_the_preview_shows_changed_values_side_by_side(world):
    # The same enterprise again, with more workers and another name: an update.
    page = _preview_after(
        world.client("editor_a"),
        {"workers": 120},
        {"name": "Công ty TNHH Thử Mới", "workers": 10602},
    )
    [shown] = page.context["preview"]
    assert shown["action"] == "update" and shown["tax_id"] == "5300200001"
    changes = _changes(shown)
    assert changes[str(Enterprise._meta.get_field("name").verbose_name)] == (
        "Công ty TNHH Thử 1",
        "Công ty TNHH Thử Mới",
    )
    assert (120, 10602) in changes.values()
    html = page.content.decode()
    assert 'data-action="update"' in html and "10.602" in html  # Indonesian grouping


def test_the_preview_of_a_renamed_enterprise_with_the_same_figures_shows_only_the_name(world):
    page = _preview_after(
        world.client("editor_a"),
        {"workers": 120},
        {"name": "Công ty TNHH Thử Mới", "workers": 120},
    )
    [shown] = page.context["preview"]
    assert shown["action"] == "update"
    changes = _changes(shown)
    assert changes == {
        str(Enterprise._meta.get_field("name").verbose_name): (
            "Công ty TNHH Thử 1",
            "Công ty TNHH Thử Mới",
        )
    }


def test_undo_asks_for_confirmation_and_says_what_it_removes(world):
    client = world.client("editor_a")
    _upload(client, xlsx([row(1, "5300200001"), row(2, "5300200002")]))
    batch = ImportBatch.objects.get()
    client.post(reverse("imports:batch_commit", args=[batch.pk]))
    html = client.get(batch.get_absolute_url()).content.decode()
    confirm = html[html.index('id="undo-confirm"') :]
    assert 'id="undo-start"' in confirm and 'id="undo"' in confirm
    assert "2" in confirm[: confirm.index('id="undo"')]
