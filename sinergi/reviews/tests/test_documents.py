"""The report and the minutes as real files: DOCX opened with python-docx, PDF read with pypdf
and drawn with pypdfium2; a past report regenerated after a registry edit is unchanged."""

from __future__ import annotations

import datetime
import io

import pypdfium2
import pytest
from django.core.management import call_command
from docx import Document as read_docx
from pypdf import PdfReader

from sinergi.core.services import SYSTEM
from sinergi.registry import services as registry_services
from sinergi.registry.models import Figure
from sinergi.reviews import documents, services, writers
from sinergi.reviews.testing import at

pytestmark = pytest.mark.django_db

SECTIONS_EN = [
    "I. SITUATION",
    "II. RESULTS ACHIEVED",
    "III. LIMITATIONS, DIFFICULTIES AND THEIR CAUSES",
    "IV. LESSONS LEARNED",
    "V. DIRECTIONS AND TASKS FOR THE NEXT PERIOD",
    "VI. PROPOSALS",
]


@pytest.fixture
def version(world, reviewed):
    area = reviewed.program.areas["survey"]
    for kind, text in (
        ("result", "Đã rà soát, thống kê doanh nghiệp trong các khu công nghiệp."),
        ("difficulty", "Chủ doanh nghiệp tư nhân chưa quan tâm; lao động biến động nhiều."),
        ("lesson", "Phối hợp chặt chẽ, thường xuyên giữa hai đơn vị."),
        ("proposal", "Đề nghị Ban Chỉ đạo Đề án 24 hướng dẫn thành lập chi bộ."),
    ):
        services.contribution_save(
            actor=SYSTEM,
            review=reviewed.review,
            data={"speaker": reviewed.delegate, "kind": kind, "text": text, "area": area},
        )
    return services.version_create(
        actor=SYSTEM, review=reviewed.review, at=at(datetime.date(2024, 5, 9))
    )


def _docx(version, language="en"):
    return read_docx(io.BytesIO(writers.render(documents.report(version, language), "docx")))


def _docx_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _table(doc, first_header: str, last_header: str):
    for table in doc.tables:
        header = [c.text for c in table.rows[0].cells]
        if header[0] == first_header and header[-1] == last_header:
            return table
    raise AssertionError(f"no table {first_header} … {last_header}")


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_docx_has_the_official_sections_in_order(version):
    doc = _docx(version)
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == SECTIONS_EN
    text = _docx_text(doc)
    assert "BLOC PARTY COMMITTEE" in text and "No. 12-BC/ĐUK" in text
    assert "Lào Cai, 16 May 2024" in text
    assert "Phối hợp chặt chẽ, thường xuyên giữa hai đơn vị." in text
    assert text.count("The figures in this report describe 31 March 2024") == 1
    assert len(doc.inline_shapes) >= 2  # the charts
    assert doc.styles["Normal"].font.name == "Times New Roman"


def test_the_docx_tables_equal_the_registry_as_of_the_period_end(world, version):
    doc = _docx(version)
    workers = sum(f.workers for f in Figure.objects.as_of(datetime.date(2024, 3, 31)) if f.workers)
    organisations = _table(doc, "Zone", "Members")
    total = [c.text for c in organisations.rows[-1].cells]
    assert total[:3] == ["Total", "2", str(workers)]
    assert workers == 420
    ownership = _table(doc, "Zone", "Total")
    assert [c.text for c in ownership.rows[-1].cells][-1] == "2"
    new = _table(doc, "Zone", "New: Trade union")
    assert [c.text for c in new.rows[-1].cells][:2] == ["Total", "3"]
    indicators = _table(doc, "Indicator", "Result")
    assert "Doanh nghiệp có tổ chức đảng" in [r.cells[0].text for r in indicators.rows]


def test_a_later_registry_edit_leaves_the_regenerated_report_unchanged(world, version):
    before_docx = _docx_text(_docx(version))
    before_pdf = _pdf_text(writers.render(documents.report(version, "vi"), "pdf"))
    # After the draft: a correction of the figures of the period, and a new organisation.
    registry_services.figure_record(
        actor=SYSTEM,
        enterprise=world.enterprises["b"],
        as_of=datetime.date(2023, 12, 31),
        values={"workers": 999, "party_members": 9, "union_members": 500},
        source="correction",
    )
    registry_services.organisation_create(
        actor=SYSTEM,
        enterprise=world.enterprises["b"],
        data={
            "type": world.types["party"],
            "name": "Chi bộ mới",
            "founded_on": datetime.date(2023, 6, 1),
        },
    )
    version.refresh_from_db()
    assert _docx_text(_docx(version)) == before_docx
    assert _pdf_text(writers.render(documents.report(version, "vi"), "pdf")) == before_pdf
    # A new draft sees the correction: the report is live data, the version is its snapshot.
    fresh = services.version_create(actor=SYSTEM, review=version.review)
    assert fresh.statistics["totals"]["workers"] == 120 + 999


def test_the_pdf_renders_vietnamese_text_and_the_sections(version, tmp_path):
    data = writers.render(documents.report(version, "vi"), "pdf")
    text = _pdf_text(data)
    for words in (
        "Khu công nghiệp Đông Phố Mới",
        "Chủ doanh nghiệp tư nhân chưa quan tâm",
        "Lào Cai, ngày 16 tháng 5 năm 2024",
        "Hội nghị sơ kết 1 năm",
    ):
        assert words in text
    english = " ".join(_pdf_text(writers.render(documents.report(version, "en"), "pdf")).split())
    for heading in SECTIONS_EN:
        assert heading in english
    pdf = pypdfium2.PdfDocument(data)
    image = pdf[0].render(scale=1.5).to_pil().convert("L")
    image.save("/tmp/sinergi-review-report-page1.png")
    dark = sum(image.histogram()[:128])
    assert dark > 0.005 * image.width * image.height  # text and tables, not a blank page


def test_the_minutes_list_attendees_contributions_and_conclusions(world, reviewed, version):
    services.attendee_update(actor=SYSTEM, attendee=reviewed.chair, data={"present": False})
    services.conclusion_add(
        actor=SYSTEM,
        review=reviewed.review,
        data={
            "text": "Cập nhật danh sách doanh nghiệp",
            "owner_unit": world.units["ezb_dept"],
            "due_on": datetime.date(2024, 9, 30),
            "area": reviewed.program.areas["survey"],
        },
    )
    minutes = documents.minutes(reviewed.review, "en")
    doc = read_docx(io.BytesIO(writers.render(minutes, "docx")))
    text = _docx_text(doc)
    assert "MINUTES" in text
    assert "Of the 2 delegates invited, 1 attended and 1 sent apologies." in text
    assert "Nguyễn Văn Ánh" in text and "excused" in text
    assert "Chủ doanh nghiệp tư nhân chưa quan tâm" in text
    assert (
        "Cập nhật danh sách doanh nghiệp (Owner: Enterprise department; due 30 September 2024"
        in text
    )
    assert "SECRETARY" in text and "CHAIR" in text
    pdf_text = _pdf_text(writers.render(minutes, "pdf"))
    assert "Trần Thị Bình" in pdf_text and "IV. CONCLUSIONS" in pdf_text


def test_the_cli_writes_the_report_and_the_minutes(reviewed, version, tmp_path):
    out = tmp_path / "report.docx"
    call_command(
        "report", str(reviewed.review.pk), "--format", "docx", "--lang", "vi", "--out", str(out)
    )
    assert "Khu công nghiệp Đông Phố Mới" in _docx_text(read_docx(out))
    minutes = tmp_path / "minutes.pdf"
    call_command(
        "report", str(reviewed.review.pk), "--format", "pdf", "--minutes", "--out", str(minutes)
    )
    assert "Trần Thị Bình" in _pdf_text(minutes.read_bytes())


def test_pdf_tables_never_break_a_number_or_a_word(world):
    """A province-sized table: a long zone name and nine columns of large numbers. Every number
    and every header word must come out of the PDF whole (a column too narrow splits 10412 into
    "104" and "12" on two lines)."""
    header = ["Zone", *[f"Members{i}" for i in range(1, 10)]]
    rows = [
        ["Khu thương mại - công nghiệp Kim Thành, Lào Cai", *[1_234_567 + i for i in range(9)]],
        ["Total", *[9_876_543 + i for i in range(9)]],
    ]
    document = documents.Document(
        title="Widths",
        blocks=[documents.Block(kind="table", header=header, rows=rows, total=True)],
    )
    words = _pdf_text(writers.render(document, "pdf")).split()
    for number in (*rows[0][1:], *rows[1][1:]):
        assert str(number) in words
    for title in header[1:]:
        assert title in words


def test_a_chart_of_many_zones_draws_the_largest_and_the_others_together():
    """A national review's forty provinces would make a chart taller than the page: it draws
    the largest zones and one bar for the others, whose counts add up to what they replace."""
    rows = [{"zone": f"Zone {i}", "counts": [i, 2 * i], "total": 3 * i} for i in range(1, 41)]
    assert documents._chart_rows(rows[: documents.CHART_ZONES], 2) == rows[: documents.CHART_ZONES]
    charted = documents._chart_rows(rows, 2)
    assert len(charted) == documents.CHART_ZONES
    assert [r["zone"] for r in charted[:3]] == ["Zone 40", "Zone 39", "Zone 38"]
    others = rows[: 40 - (documents.CHART_ZONES - 1)]
    assert charted[-1] == {
        "zone": f"The other {len(others)} zones",
        "counts": [sum(r["counts"][0] for r in others), sum(r["counts"][1] for r in others)],
        "total": sum(r["total"] for r in others),
    }
    assert sum(r["total"] for r in charted) == sum(r["total"] for r in rows)
