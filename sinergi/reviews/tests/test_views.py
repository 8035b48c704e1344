"""The review pages: thin checks that they call the services and answer as they should."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document as read_docx

from sinergi.reviews.models import Contribution, ReportVersion

pytestmark = pytest.mark.django_db


def test_the_autosave_endpoint_saves_once_per_key_and_answers_json(world, reviewed):
    client = world.client("coordinator")
    url = reverse("reviews:contribution_autosave", args=[reviewed.review.pk])
    for text in ("Đã rà", "Đã rà soát 120 doanh nghiệp"):
        response = client.post(
            url,
            {"client_key": "k1", "kind": "result", "text": text, "speaker": reviewed.delegate.pk},
        )
        assert response.status_code == 200 and response.json()["ok"]
    saved = Contribution.objects.get(review=reviewed.review)
    assert saved.text == "Đã rà soát 120 doanh nghiệp" and saved.unit == world.units["ezb_dept"]
    bad = client.post(url, {"client_key": "k2", "kind": "result", "text": ""})
    assert bad.status_code == 400 and "text" in bad.json()["errors"]
    refused = world.client("editor_a").post(
        url, {"client_key": "k3", "kind": "result", "text": "x"}
    )
    assert refused.status_code == 403
    assert Contribution.objects.filter(review=reviewed.review).count() == 1


def test_the_capture_form_works_without_script(world, reviewed):
    client = world.client("coordinator")
    url = reverse("reviews:contribution_capture", args=[reviewed.review.pk])
    page = client.get(url)
    assert b'data-autosave-url="' in page.content and b"reviews.js" in page.content
    response = client.post(
        url, {"client_key": "plain", "kind": "lesson", "text": "Phối hợp chặt chẽ"}
    )
    assert response.status_code == 302
    assert Contribution.objects.get(review=reviewed.review).kind == "lesson"


def test_drafting_editing_and_downloading_the_report(world, reviewed):
    client = world.client("coordinator")
    response = client.post(reverse("reviews:version_create", args=[reviewed.review.pk]))
    version = ReportVersion.objects.get(review=reviewed.review)
    assert response["Location"] == version.get_absolute_url()
    client.post(
        reverse("reviews:version_update", args=[version.pk]),
        {
            "background": "Bối cảnh đã sửa",
            "results": "",
            "limitations": "",
            "lessons": "",
            "directions": "",
            "proposals": "",
        },
    )
    version.refresh_from_db()
    assert version.background == "Bối cảnh đã sửa"
    download = world.client("viewer").get(
        reverse("reviews:version_download", args=[version.pk, "docx"]) + "?lang=vi"
    )
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith(
        'attachment; filename="hoi-nghi-so-ket-1-nam-thuc-hien-chuong-trinh-phoi'
    )
    text = "\n".join(p.text for p in read_docx(io.BytesIO(download.content)).paragraphs)
    assert "Bối cảnh đã sửa" in text
    pdf = world.client("editor_b").get(
        reverse("reviews:minutes_download", args=[reviewed.review.pk, "pdf"])
    )
    assert pdf.content.startswith(b"%PDF")


def test_the_viewer_cannot_make_the_report_final(world, reviewed):
    client = world.client("coordinator")
    client.post(reverse("reviews:version_create", args=[reviewed.review.pk]))
    version = ReportVersion.objects.get(review=reviewed.review)
    assert (
        world.client("viewer")
        .post(reverse("reviews:version_finalise", args=[version.pk]))
        .status_code
        == 403
    )
    client.post(reverse("reviews:version_finalise", args=[version.pk]))
    version.refresh_from_db()
    assert version.is_final


def test_a_coordinator_creates_a_review_and_adds_an_attendee(world, reviewed):
    client = world.client("coordinator")
    program = reviewed.program.program
    form = client.get(reverse("reviews:review_create") + f"?program={program.pk}")
    assert form.status_code == 200
    response = client.post(
        reverse("reviews:review_create"),
        {
            "program": program.pk,
            "kind": "final",
            "title": "Hội nghị tổng kết Chương trình",
            "period_start": "2023-05-01",
            "period_end": "2025-12-31",
            "held_on": "2026-01-20",
            "agenda": "Báo cáo tổng kết\r\nThảo luận",
        },
    )
    review = program.reviews.get(kind="final")
    assert response["Location"] == review.get_absolute_url()
    assert review.agenda_items == ["Báo cáo tổng kết", "Thảo luận"]
    client.post(
        reverse("reviews:attendee_create", args=[review.pk]),
        {"name": "Lê Văn Cường", "unit": world.units["bloc"].pk, "position": "Phó Bí thư"},
    )
    attendee = review.attendees.get()
    assert attendee.order == 1 and not attendee.present  # an unticked box is "absent"
    bad = client.post(
        reverse("reviews:review_create"),
        {
            "program": program.pk,
            "kind": "final",
            "title": "x",
            "period_start": "2020-01-01",
            "period_end": "2020-12-31",
            "held_on": "2021-01-01",
        },
    )
    assert bad.status_code == 200 and b"field-invalid" in bad.content
