"""Issuing the final report: the number, date and signatories are fixed, the generated files
and the signed scan are kept, and nothing about the version changes afterwards; the review
page shows the issued report and the API lists versions and their files."""

from __future__ import annotations

import datetime
import hashlib
import io

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from docx import Document as read_docx

from sinergi.api import services as token_services
from sinergi.core.models import AuditEntry
from sinergi.core.services import SYSTEM
from sinergi.reviews import documents, services, writers
from sinergi.reviews.models import DocumentSetup, ReportFile
from sinergi.reviews.testing import at

pytestmark = pytest.mark.django_db

SIGNED = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
BODIES = [
    {
        "unit": "bloc",
        "party": True,
        "symbol": "ĐUK",
        "superior": {"vi": "Đảng bộ tỉnh Lào Cai", "en": "Lào Cai Provincial Party Organisation"},
        "name": {"vi": "Đảng ủy Khối Cơ quan - Doanh nghiệp", "en": "Bloc Party Committee"},
        "capacity": {"vi": "T/M Ban Thường vụ", "en": "For the Standing Committee"},
        "title": {"vi": "Bí thư", "en": "Secretary"},
        "signer": "Nguyễn Văn Ánh",
    },
    {
        "unit": "ezb",
        "symbol": "BQL",
        "name": {"vi": "Ban Quản lý Khu kinh tế", "en": "Economic Zone Management Board"},
        "capacity": {"vi": "KT. Trưởng ban", "en": "For the Head of the Board"},
        "title": {"vi": "Phó Trưởng ban", "en": "Deputy Head"},
        "signer": "Trần Thị Bình",
    },
]


def scan(name="signed.pdf", content=SIGNED):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def final(world, reviewed):
    services.document_setup_save(
        actor=SYSTEM,
        program=reviewed.review.program,
        data={"place": "Lào Cai", "bodies": BODIES, "recipients": []},
    )
    version = services.version_create(
        actor=SYSTEM, review=reviewed.review, at=at(datetime.date(2024, 5, 9))
    )
    return services.version_finalise(actor=world.users["coordinator"], version=version)


def _text(version, language="vi") -> str:
    doc = read_docx(io.BytesIO(writers.render(documents.report(version, language), "docx")))
    parts = []
    for item in doc.iter_inner_content():
        if hasattr(item, "rows"):
            parts += [cell.text for row in item.rows for cell in row.cells]
        else:
            parts.append(item.text)
    return "\n".join(parts)


def _issue(world, version, persona="coordinator", **data):
    upload = data.pop("scan", None) or scan()
    return services.version_issue(
        actor=world.users[persona],
        version=version,
        data={"issued_number": "25-BC/ĐUK-BQL", "issued_on": datetime.date(2024, 5, 20), **data},
        scan=upload,
    )


def test_issuing_fixes_the_number_date_and_signatories_and_keeps_the_files(world, final):
    version = _issue(world, final)
    version.refresh_from_db()
    assert version.is_issued and version.issued_by == world.users["coordinator"]
    files = {(f.kind, f.file_format): f for f in version.files.all()}
    assert set(files) == {("generated", "docx"), ("generated", "pdf"), ("signed_scan", "pdf")}
    signed = files[("signed_scan", "pdf")]
    assert signed.file.read() == SIGNED and signed.sha256 == hashlib.sha256(SIGNED).hexdigest()
    kept = files[("generated", "docx")].file.read()
    assert "Số 25-BC/ĐUK-BQL" in "\n".join(
        c.text for t in read_docx(io.BytesIO(kept)).tables for r in t.rows for c in r.cells
    )
    text = _text(version)
    assert "Lào Cai, ngày 20 tháng 5 năm 2024" in text and "Nguyễn Văn Ánh" in text
    assert AuditEntry.objects.filter(object_id=str(version.pk), message="issued").exists()
    # A later change of the signatories or of the review's title leaves the issued text as it was.
    changed = [{**BODIES[0], "signer": "Lê Văn Cường"}, BODIES[1]]
    services.document_setup_save(
        actor=world.users["coordinator"], program=final.review.program, data={"bodies": changed}
    )
    services.review_update(
        actor=world.users["coordinator"], review=final.review, data={"title": "Tên khác"}
    )
    version.refresh_from_db()
    assert _text(version) == text
    # The next preview of a report does use the new signatory.
    fresh = documents.form_of(final.review.program)
    assert fresh["bodies"][0]["signer"] == "Lê Văn Cường"


def test_an_issued_report_cannot_change_or_be_issued_again(world, final):
    version = _issue(world, final)
    with pytest.raises(ValidationError):
        services.version_update(actor=SYSTEM, version=version, data={"results": "Sửa"})
    with pytest.raises(ValidationError):
        _issue(world, version)
    with pytest.raises(ValidationError):
        services.version_create(actor=SYSTEM, review=version.review)
    assert ReportFile.objects.filter(version=version).count() == 3


def test_only_a_final_report_with_a_signed_pdf_is_issued_by_its_managers(world, reviewed, final):
    draft_review = reviewed.review
    with pytest.raises(PermissionDenied):
        _issue(world, final, persona="viewer")
    with pytest.raises(PermissionDenied):
        _issue(world, final, persona="editor_a")
    with pytest.raises(ValidationError) as error:
        _issue(world, final, scan=scan("signed.pdf", b"PK\x03\x04 not a pdf"))
    assert "scan" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _issue(world, final, issued_on=datetime.date(2024, 5, 1))
    assert "issued_on" in error.value.message_dict
    assert not ReportFile.objects.exists()
    assert draft_review.final_version().issued_at is None


def test_a_draft_cannot_be_issued(world, reviewed):
    draft = services.version_create(actor=SYSTEM, review=reviewed.review)
    with pytest.raises(ValidationError):
        _issue(world, draft)
    assert not ReportFile.objects.exists()
    assert settings.MEDIA_ROOT.exists() is False or not any(settings.MEDIA_ROOT.rglob("*.pdf"))


def test_the_document_setup_is_validated_and_audited(world, reviewed):
    program = reviewed.review.program
    with pytest.raises(PermissionDenied):
        services.document_setup_save(actor=world.users["viewer"], program=program, data={})
    with pytest.raises(ValidationError) as error:
        services.document_setup_save(
            actor=SYSTEM, program=program, data={"bodies": [{"symbol": "X"}]}
        )
    assert "bodies" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.document_setup_save(
            actor=SYSTEM, program=program, data={"bodies": [{**BODIES[0], "colour": "red"}]}
        )
    setup = services.document_setup_save(
        actor=world.users["coordinator"], program=program, data={"bodies": BODIES}
    )
    assert DocumentSetup.objects.get().bodies[0]["signer"] == "Nguyễn Văn Ánh"
    assert AuditEntry.objects.filter(object_id=str(setup.pk), actor=world.users["coordinator"])


def test_the_review_page_shows_the_issued_report_and_who_issued_it(world, final):
    version = _issue(world, final)
    page = world.client("viewer").get(final.review.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200 and "data-issued" in html and "25-BC/ĐUK-BQL" in html
    assert str(world.users["coordinator"]) in html
    signed = version.files.get(kind="signed_scan")
    download = world.client("viewer").get(signed.get_absolute_url())
    assert download.status_code == 200 and b"".join(download.streaming_content) == SIGNED


def test_the_issue_page_issues_the_final_report(world, final):
    client = world.client("coordinator")
    url = f"/reviews/versions/{final.pk}/issue/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "issued_number": "25-BC/ĐUK-BQL",
            "issued_on": "2024-05-20",
            "language": "vi",
            "scan": scan(),
        },
    )
    assert response.status_code == 302
    final.refresh_from_db()
    assert final.is_issued and final.files.count() == 3
    assert client.get(url).status_code == 403  # issued once


def test_the_api_issues_a_report_and_lists_versions_with_their_files(world, final):
    def client(persona):
        _token, key = token_services.token_create(actor=world.users[persona], name="t")
        return Client(HTTP_AUTHORIZATION=f"Token {key}")

    viewer = client("viewer")
    response = viewer.post(
        f"/api/report-versions/{final.pk}/issue/",
        {"issued_number": "25-BC/ĐUK-BQL", "issued_on": "2024-05-20", "scan": scan()},
    )
    assert response.status_code == 403
    response = client("coordinator").post(
        f"/api/report-versions/{final.pk}/issue/",
        {"issued_number": "25-BC/ĐUK-BQL", "issued_on": "2024-05-20", "scan": scan()},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["issued_number"] == "25-BC/ĐUK-BQL" and len(body["files"]) == 3
    listed = viewer.get(f"/api/report-versions/?review={final.review_id}").json()
    assert [v["id"] for v in listed["results"]] == [final.pk]
    scan_entry = next(f for f in listed["results"][0]["files"] if f["kind"] == "signed_scan")
    download = viewer.get(scan_entry["download"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == SIGNED
    assert viewer.get("/api/report-files/").json()["count"] == 3
