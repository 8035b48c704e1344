"""A batch's findings are said in the reader's language, whatever language checked the file."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from sinergi.imports import services
from sinergi.imports.models import ImportBatch
from sinergi.imports.tests.factories import HEADER, row, upload, xlsx

pytestmark = pytest.mark.django_db

# The findings of the file below: (msgid, params), as the catalogue holds them.
DUPLICATE = ("This tax id is also on row %(row)d; each enterprise must appear once.", {"row": 6})
BAD_RULE = ("Party members cannot exceed workers.", {})
UNKNOWN_ZONE = ("No zone has this name, short name or alias.", {})
NO_OWNERSHIP = ("No ownership given; recorded as “other”.", {})


def said(language: str, msgid: str, params: dict) -> str:
    with translation.override(language):
        text = translation.gettext(msgid)
    return text % params if params else text


def checked_in_indonesian(world, data: bytes) -> ImportBatch:
    """A batch checked as the background job checks it: in the worker's language, here id."""
    batch = services.batch_upload(actor=world.users["editor_a"], upload=upload(data))
    with translation.override("id"):
        services.batch_check(batch)
    batch.refresh_from_db()
    return batch


def reading_in(world, persona: str, language: str):
    user = world.users[persona]
    user.language = language
    user.save(update_fields=["language"])
    return world.client(persona)


@pytest.fixture
def batch(world) -> ImportBatch:
    return checked_in_indonesian(
        world,
        xlsx(
            [
                row(1, "5300200001", party=500),
                row(2, "5300200001"),
                row(3, "5300200003", zone="KCN Không Có"),
                row(4, "5300200004", ownership=None),
            ]
        ),
    )


def test_a_batch_keeps_the_msgids_and_the_text_of_the_language_it_was_checked_in(batch):
    errors = batch.report["errors"]
    assert [(e["msgid"], e.get("params", {})) for e in errors] == [
        BAD_RULE,
        DUPLICATE,
        UNKNOWN_ZONE,
    ]
    assert [e["message"] for e in errors] == [
        said("id", *m) for m in (BAD_RULE, DUPLICATE, UNKNOWN_ZONE)
    ]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_batch_page_says_the_findings_in_the_readers_language(world, batch, language):
    page = reading_in(world, "editor_a", language).get(batch.get_absolute_url())
    html = page.content.decode()
    for msgid, params in (BAD_RULE, DUPLICATE, UNKNOWN_ZONE, NO_OWNERSHIP):
        assert said(language, msgid, params) in html
        assert said("id", msgid, params) not in html
    # The file's own headers stay as the file has them.
    assert [e["column"] for e in page.context["errors"]] == [HEADER[7], HEADER[2], HEADER[3]]


def test_the_vietnamese_page_shows_the_catalogues_vietnamese(world, batch):
    html = reading_in(world, "editor_a", "vi").get(batch.get_absolute_url()).content.decode()
    assert "Số đảng viên không được vượt quá tổng số lao động." in html
    assert "Mã số thuế này cũng có ở dòng 6" in html
    assert "Jumlah anggota partai" not in html


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_error_file_says_the_errors_in_the_readers_language(world, batch, language):
    client = reading_in(world, "coordinator", language)
    response = client.get(reverse("imports:error_file", args=[batch.pk]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    by_row = {number: cells[-1] for number, cells in enumerate(rows, start=1) if cells[-1]}
    assert by_row[4] == said(language, "Errors", {})
    assert by_row[6] == f"{HEADER[7]}: {said(language, *BAD_RULE)}"
    assert by_row[7] == f"{HEADER[2]}: {said(language, *DUPLICATE)}"
    assert by_row[8] == f"{HEADER[3]}: {said(language, *UNKNOWN_ZONE)}"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_api_says_a_batchs_findings_in_the_readers_language(world, batch, language):
    client = reading_in(world, "editor_a", language)
    answer = client.get(reverse("api:importbatch-detail", args=[batch.pk])).json()
    assert [e["message"] for e in answer["errors"]] == [
        said(language, *m) for m in (BAD_RULE, DUPLICATE, UNKNOWN_ZONE)
    ]
    assert [e["message"] for e in answer["warnings"]] == [said(language, *NO_OWNERSHIP)]
    assert set(answer["errors"][0]) == {"row", "column", "value", "message"}


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_column_sinergi_names_is_named_in_the_readers_language(world, language):
    no_name_column = [header if header != HEADER[1] else "Ghi chú" for header in HEADER]
    batch = checked_in_indonesian(world, xlsx([row(1, "5300200001")], header=no_name_column))
    page = reading_in(world, "editor_a", language).get(batch.get_absolute_url())
    [error] = page.context["errors"]
    with translation.override(language):
        assert error["column"] == translation.gettext("Name")
        assert error["message"] == translation.gettext("No column holds this; map one to it.")


def test_a_batch_checked_before_msgids_were_kept_shows_its_text(world, batch):
    """Batches kept only the text in the checking language: it is still shown, as it is."""
    text = said("id", *BAD_RULE)
    old = {"row": 6, "column": HEADER[7], "value": "500", "message": text}
    ImportBatch.objects.filter(pk=batch.pk).update(report={**batch.report, "errors": [old]})
    page = reading_in(world, "editor_a", "vi").get(batch.get_absolute_url())
    assert [e["message"] for e in page.context["errors"]] == [text]
    response = reading_in(world, "coordinator", "vi").get(
        reverse("imports:error_file", args=[batch.pk])
    )
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[5][-1] == f"{HEADER[7]}: {text}"
