"""Program pages: forms calling the services, exports, downloads, scope, and query counts."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from sinergi.core.models import AuditEntry
from sinergi.core.services import SYSTEM
from sinergi.core.testing import MODEL_BACKEND
from sinergi.programs import services
from sinergi.programs.models import (
    Activity,
    Attachment,
    Indicator,
    Program,
    ProgressReport,
    Task,
)
from sinergi.programs.testing import outsider
from sinergi.registry import services as registry

pytestmark = pytest.mark.django_db

D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _report_url(program, task="b", period=(2024, 1)):
    return reverse(
        "programs:progressreport_edit",
        args=[program.tasks[task].pk, program.period("quarter", *period).pk],
    )


def test_the_report_form_saves_a_draft_through_the_service(world, program):
    surveyed = program.indicators["surveyed"]
    response = world.client("editor_b").post(
        _report_url(program),
        {
            "task_status": "in_progress",
            "percent_done": "35",
            "narrative": "Rà soát 9 doanh nghiệp.",
            f"indicator_{surveyed.pk}": "9",
        },
    )
    report = ProgressReport.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert report.proposed_values == {str(surveyed.pk): "9"}
    assert AuditEntry.objects.for_object(report).get().actor == world.users["editor_b"]


def test_a_share_above_100_shows_at_its_field_and_saves_nothing(world, program):
    response = world.client("editor_b").post(
        _report_url(program),
        {"task_status": "in_progress", "percent_done": "140", "narrative": "x"},
    )
    assert response.status_code == 200
    assert "percent_done" in response.context["form"].errors
    assert not ProgressReport.objects.exists()


def test_the_supporting_unit_sees_no_indicator_fields(world, program):
    response = world.client("editor_a").get(_report_url(program))
    assert response.context["unit"] == world.units["ezb_dept"]
    assert not [name for name in response.context["form"].fields if name.startswith("indicator_")]


def test_a_submitted_report_form_leads_back_to_the_report(world, program):
    report = services.progress_report_save(
        actor=SYSTEM,
        task=program.tasks["b"],
        unit=world.units["bloc_dept"],
        period=program.period("quarter", 2024, 1),
        data={"task_status": "done", "percent_done": 100, "narrative": "Xong."},
    )
    services.progress_report_submit(actor=SYSTEM, report=report)
    response = world.client("editor_b").get(_report_url(program))
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()


def test_evidence_is_uploaded_and_downloaded_only_by_those_who_may_read_it(world, program):
    report = services.progress_report_save(
        actor=SYSTEM,
        task=program.tasks["b"],
        unit=world.units["bloc_dept"],
        period=program.period("quarter", 2024, 1),
        data={"task_status": "in_progress", "percent_done": 30, "narrative": "x"},
    )
    response = world.client("editor_b").post(
        reverse("programs:progressreport_evidence_create", args=[report.pk]),
        {"title": "Biên bản", "file": SimpleUploadedFile("bien-ban.pdf", PDF)},
    )
    assert response.status_code == 302
    attachment = report.evidence.get()
    url = reverse("programs:attachment_download", args=[attachment.pk])
    download = world.client("viewer").get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert 'filename="bien-ban.pdf"' in download["Content-Disposition"]
    assert download["Content-Type"] == "application/pdf"
    stranger = outsider(world)
    client = world.client("anonymous")
    client.force_login(stranger, backend=MODEL_BACKEND)
    assert client.get(url).status_code == 404


def test_a_refused_upload_shows_at_the_file_field(world, program):
    report = services.progress_report_save(
        actor=SYSTEM,
        task=program.tasks["b"],
        unit=world.units["bloc_dept"],
        period=program.period("quarter", 2024, 1),
        data={"task_status": "in_progress", "percent_done": 30, "narrative": "x"},
    )
    response = world.client("editor_b").post(
        reverse("programs:progressreport_evidence_create", args=[report.pk]),
        {"file": SimpleUploadedFile("x.pdf", b"\x00\x01\x02binary" * 10)},
    )
    assert response.status_code == 200 and "file" in response.context["form"].errors


def test_the_partner_acknowledges_from_the_report_page(world, program):
    report = services.progress_report_save(
        actor=SYSTEM,
        task=program.tasks["b"],
        unit=world.units["bloc_dept"],
        period=program.period("quarter", 2024, 1),
        data={"task_status": "done", "percent_done": 100, "narrative": "x"},
    )
    services.progress_report_submit(actor=SYSTEM, report=report)
    client = world.client("coordinator")
    page = client.get(report.get_absolute_url()).content.decode()
    assert 'id="acknowledge-report"' in page
    client.post(reverse("programs:progressreport_acknowledge", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == "acknowledged"
    assert (
        'id="acknowledge-report"'
        not in world.client("coordinator").get(report.get_absolute_url()).content.decode()
    )


def test_returning_without_a_comment_shows_the_error_and_keeps_the_report(world, program):
    report = services.progress_report_save(
        actor=SYSTEM,
        task=program.tasks["b"],
        unit=world.units["bloc_dept"],
        period=program.period("quarter", 2024, 1),
        data={"task_status": "done", "percent_done": 100, "narrative": "x"},
    )
    services.progress_report_submit(actor=SYSTEM, report=report)
    url = reverse("programs:progressreport_return", args=[report.pk])
    response = world.client("coordinator").post(url, {"review_comment": ""})
    assert response.status_code == 200 and "review_comment" in response.context["form"].errors
    report.refresh_from_db()
    assert report.status == "submitted"


def test_the_task_form_takes_enterprises_by_tax_id_and_names_the_unknown(world, program):
    url = reverse("programs:task_create", args=[program.program.pk])
    data = {
        "area": program.areas["survey"].pk,
        "title": "Khảo sát doanh nghiệp FDI",
        "lead_unit": world.units["ezb_dept"].pk,
        "starts_on": "2024-01-01",
        "due_on": "2024-06-30",
        "status": "not_started",
        "priority": "high",
        "enterprises": "5300100003\n5300100999",
    }
    response = world.client("coordinator").post(url, data)
    assert "5300100999" in str(response.context["form"].errors["enterprises"])
    response = world.client("coordinator").post(url, {**data, "enterprises": "5300100003"})
    task = Task.objects.get(title="Khảo sát doanh nghiệp FDI")
    assert response["Location"] == task.get_absolute_url()
    assert list(task.enterprises.all()) == [world.enterprises["a"]]


def test_a_supporting_unit_equal_to_the_lead_is_shown_at_its_field(world, program):
    response = world.client("coordinator").post(
        reverse("programs:task_update", args=[program.tasks["b"].pk]),
        {
            "area": program.areas["survey"].pk,
            "title": "x",
            "lead_unit": world.units["bloc_dept"].pk,
            "supporting_units": [world.units["bloc_dept"].pk],
            "starts_on": "2023-05-01",
            "recurrence": "quarterly",
            "status": "in_progress",
            "priority": "normal",
        },
    )
    assert "supporting_units" in response.context["form"].errors


def test_the_indicator_form_collects_the_yearly_targets(world, program):
    response = world.client("coordinator").post(
        reverse("programs:indicator_create", args=[program.program.pk]),
        {
            "code": "founded",
            "name": "Tổ chức đảng thành lập mới",
            "unit_of_measure": "tổ chức",
            "direction": "up",
            "rule": "organisations_founded",
            "organisation_type": world.types["party"].pk,
            "measure": "flow",
            "period_kind": "year",
            "target_2023": "2",
            "target_2024": "4",
        },
    )
    assert response.status_code == 302
    indicator = program.program.indicators.get(code="founded")
    assert indicator.yearly_targets == {"2023": "2", "2024": "4"}


def test_a_computed_value_links_to_the_enterprises_behind_it(world, program):
    registry.organisation_create(
        actor=SYSTEM,
        enterprise=world.enterprises["b"],
        data={"type": world.types["party"], "name": "Chi bộ", "founded_on": D(2023, 8, 1)},
    )
    party = program.indicators["party"]
    url = reverse(
        "programs:indicatorvalue_detail", args=[party.pk, program.period("quarter", 2023, 3).pk]
    )
    page = world.client("viewer").get(url)
    assert page.context["value"] == 1
    assert world.enterprises["b"].get_absolute_url() in page.content.decode()


def test_the_matrix_exports_as_csv_and_as_a_formatted_xlsx(world, program):
    client = world.client("viewer")
    client.cookies["django_language"] = "en"
    response = client.get(
        reverse("programs:program_matrix_export", args=[program.program.pk, "csv"])
    )
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][1:] == ["Organisation department", "Enterprise department"]
    assert rows[2][1].startswith("L 2.1")
    response = client.get(
        reverse("programs:program_matrix_export", args=[program.program.pk, "xlsx"])
    )
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert sheet.freeze_panes == "B2" and sheet["A1"].font.bold
    assert sheet["B3"].value.startswith("L 2.1")
    assert workbook.worksheets[1]["A1"].value and workbook.worksheets[1].freeze_panes == "A2"
    assert (
        client.get(
            reverse("programs:program_matrix_export", args=[program.program.pk, "pdf"])
        ).status_code
        == 404
    )


def test_charts_are_svg(world, program):
    client = world.client("viewer")
    for url in (
        reverse("programs:program_timeline_chart", args=[program.program.pk]),
        reverse("programs:indicator_chart", args=[program.indicators["surveyed"].pk]),
    ):
        response = client.get(url)
        assert response["Content-Type"] == "image/svg+xml" and b"<svg" in response.content


def test_my_work_lists_the_units_tasks_with_a_link_to_report(world, program):
    page = world.client("editor_b").get(reverse("programs:my_work"))
    tasks = [deadline.task for deadline in page.context["tasks"]]
    assert set(tasks) == {program.tasks["a"], program.tasks["b"]}
    assert f'data-report-link="{program.tasks["b"].pk}"' in page.content.decode()


def test_a_coordinator_looks_at_a_unit_of_their_body_only(world, program):
    client = world.client("coordinator")
    mine = client.get(reverse("programs:my_work"), {"unit": world.units["ezb_dept"].pk})
    assert mine.context["unit"] == world.units["ezb_dept"]
    other = client.get(reverse("programs:my_work"), {"unit": world.units["bloc_dept"].pk})
    assert other.context["unit"] == world.units["ezb"]  # not theirs to look at: their own


def test_the_due_page_lists_overdue_tasks(world, program):
    page = world.client("viewer").get(reverse("programs:due_list"))
    assert {d.task for d in page.context["overdue"]} == {program.tasks["a"], program.tasks["b"]}


def test_an_activity_is_recorded_through_its_form(world, program):
    response = world.client("editor_a").post(
        reverse("programs:activity_create", args=[program.program.pk]),
        {
            "kind": "dissemination",
            "title": "Tuyên truyền Luật Công đoàn",
            "held_on": "2023-09-20",
            "organisers": [world.units["ezb_dept"].pk],
            "enterprises": "5300100003",
            "cadres": "3",
            "party_members": "2",
            "workers": "80",
            "business_owners": "4",
            "others": "0",
        },
    )
    activity = Activity.objects.get()
    assert response["Location"] == activity.get_absolute_url()
    assert activity.participants == 89


def _many_tasks(world, program, count):
    for index in range(count):
        task = services.task_create(
            actor=SYSTEM,
            program=program.program,
            data={
                "area": program.areas["survey"],
                "title": f"Nhiệm vụ {index}",
                "lead_unit": world.units["ezb_dept"],
                "supporting_units": [world.units["bloc_dept"]],
                "starts_on": D(2023, 6, 1),
                "recurrence": "quarterly",
            },
        )
        services.activity_create(
            actor=SYSTEM,
            program=program.program,
            data={
                "kind": "meeting",
                "title": f"Họp {index}",
                "held_on": D(2023, 7, 1),
                "organisers": [world.units["ezb_dept"], world.units["bloc_dept"]],
                "tasks": [task],
            },
        )
        services.progress_report_save(
            actor=SYSTEM,
            task=task,
            unit=world.units["ezb_dept"],
            period=program.period("quarter", 2023, 3),
            data={"task_status": "in_progress", "percent_done": 10, "narrative": "x"},
        )


@pytest.mark.parametrize("name", ["task_list", "activity_list", "progressreport_list"])
def test_list_query_counts_do_not_grow_with_page_size(world, program, name):
    _many_tasks(world, program, 55)
    client = world.client("viewer")
    counts = []
    for per_page in (10, 50):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(f"programs:{name}"), {"per_page": per_page})
        assert len(response.context["table"].paginated_rows) == per_page
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    ("name", "word", "expected"),
    [("activity_list", "hop 7", "Họp 7"), ("task_list", "nhiem vu 3", "Nhiệm vụ 3")],
)
def test_word_search_works_on_lists_that_prefetch(world, program, name, word, expected):
    _many_tasks(world, program, 8)
    response = world.client("viewer").get(reverse(f"programs:{name}"), {"q": word})
    assert response.status_code == 200
    assert [r.record.title for r in response.context["table"].paginated_rows] == [expected]


def test_the_program_pages_take_a_bounded_number_of_queries(world, program):
    _many_tasks(world, program, 10)
    client = world.client("viewer")
    counts = []
    for extra in (0, 20):
        _many_tasks(world, program, extra)
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("programs:program_matrix", args=[program.program.pk]))
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_huge_page_size_is_cut_to_200(world, program):
    response = world.client("viewer").get(reverse("programs:task_list"), {"per_page": 100000})
    assert response.context["table"].paginator.per_page == 200


def test_the_timeline_chart_has_a_plain_pixel_size_in_any_language(world, program):
    client = world.client("viewer")
    page = client.get(reverse("programs:program_timeline", args=[program.program.pk]))
    assert b'width="1000" height=' in page.content


def test_a_coordinators_work_is_that_of_all_the_units_of_their_body(world, program):
    page = world.client("coordinator").get(reverse("programs:my_work"))
    assert page.context["unit"] == world.units["ezb"]
    assert {d.task for d in page.context["tasks"]} == {program.tasks["a"], program.tasks["b"]}


def test_ids_in_pages_are_never_written_with_thousand_separators(world, program):
    # Indonesian groups thousands with dots: an id of 5000 must not become "5.000".
    task = program.tasks["b"]
    attachment = services.attachment_add(
        actor=SYSTEM, parent=task, data={"file": SimpleUploadedFile("ke-hoach.pdf", PDF)}
    )
    Attachment.objects.filter(pk=attachment.pk).update(id=5000)
    page = world.client("viewer").get(reverse("programs:task_detail", args=[task.pk]))
    assert page["Content-Language"] == "id"
    assert b'data-attachment="5000"' in page.content
    assert b"5.000" not in page.content


# --- Period lock and unlock, attachment removal (POST-only views) ------------------------------


def test_the_lock_button_locks_the_period_and_the_periods_inside_it(world, program):
    year = program.period("year", 2024, 1)
    response = world.client("coordinator").post(reverse("programs:period_lock", args=[year.pk]))
    assert response.status_code == 302 and response["Location"] == year.get_absolute_url()
    quarters = [program.period("quarter", 2024, n) for n in (1, 2, 3, 4)]
    assert all(q.is_locked for q in quarters)
    year.refresh_from_db()
    assert year.is_locked and year.locked_by == world.users["coordinator"]
    # The page writes in the user's language (Indonesian by default): "dikunci", "locked".
    assert AuditEntry.objects.for_object(year).get().message == "dikunci"


def test_locking_a_locked_period_again_says_so_and_changes_nothing(world, program):
    quarter = program.period("quarter", 2024, 1)
    services.period_lock(actor=SYSTEM, period=quarter)
    client = world.client("admin")
    response = client.post(reverse("programs:period_lock", args=[quarter.pk]), follow=True)
    shown = [(m.level_tag, str(m)) for m in response.context["messages"]]
    assert shown == [("error", "Periode ini sudah dikunci.")]
    assert AuditEntry.objects.for_object(quarter).count() == 1


def test_an_editor_cannot_lock_and_a_coordinator_cannot_unlock(world, program):
    quarter = program.period("quarter", 2024, 1)
    lock = reverse("programs:period_lock", args=[quarter.pk])
    assert world.client("editor_a").post(lock).status_code == 403
    quarter.refresh_from_db()
    assert not quarter.is_locked
    services.period_lock(actor=SYSTEM, period=quarter)
    unlock = reverse("programs:period_unlock", args=[quarter.pk])
    assert world.client("coordinator").post(unlock).status_code == 403
    quarter.refresh_from_db()
    assert quarter.is_locked
    assert world.client("admin").get(unlock).status_code == 405


def test_the_unlock_button_reopens_the_period_for_an_administrator(world, program):
    year = program.period("year", 2024, 1)
    services.period_lock(actor=SYSTEM, period=year)
    response = world.client("admin").post(reverse("programs:period_unlock", args=[year.pk]))
    assert response.status_code == 302 and response["Location"] == year.get_absolute_url()
    year.refresh_from_db()
    assert not year.is_locked
    assert not program.period("quarter", 2024, 3).is_locked


def _evidence(world, program):
    report = services.progress_report_save(
        actor=world.users["editor_b"],
        task=program.tasks["b"],
        unit=world.units["bloc_dept"],
        period=program.period("quarter", 2024, 1),
        data={"task_status": "in_progress", "percent_done": 10, "narrative": "Bắt đầu."},
    )
    attachment = services.attachment_add(
        actor=world.users["editor_b"], parent=report, data={"link": "https://example.org/bb"}
    )
    return report, attachment


def test_the_delete_button_removes_the_attachment_and_returns_to_its_report(world, program):
    report, attachment = _evidence(world, program)
    url = reverse("programs:attachment_delete", args=[attachment.pk])
    response = world.client("editor_b").post(url)
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert AuditEntry.objects.filter(action="delete", object_id=str(attachment.pk)).exists()


def test_only_the_reporting_unit_may_delete_its_evidence(world, program):
    _report, attachment = _evidence(world, program)
    url = reverse("programs:attachment_delete", args=[attachment.pk])
    assert world.client("editor_a").post(url).status_code == 403
    assert world.client("editor_b").get(url).status_code == 405
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_save_and_submit_attaches_the_evidence_and_submits_in_one_step(world, program):
    response = world.client("editor_b").post(
        _report_url(program),
        {
            "task_status": "in_progress",
            "percent_done": "50",
            "narrative": "Xong nửa.",
            "evidence_link": "https://example.org/bien-ban",
            "submit": "1",
        },
    )
    report = ProgressReport.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert report.status == "submitted"
    assert report.evidence.get().link == "https://example.org/bien-ban"


def test_a_supporting_unit_cannot_submit_and_nothing_is_saved(world, program):
    response = world.client("editor_a").post(
        _report_url(program),
        {"task_status": "in_progress", "percent_done": "10", "narrative": "x", "submit": "1"},
    )
    assert response.status_code == 403
    assert not ProgressReport.objects.exists()


def test_a_unit_behind_catches_up_on_several_periods_in_one_form(world, program):
    task = program.tasks["b"]
    client = world.client("editor_b")  # the lead unit's editor
    url = reverse("programs:progressreport_catch_up", args=[task.pk])
    page = client.get(url)
    rows = page.context["rows"]
    assert len(rows) >= 2  # every ended quarter of the task, none reported yet
    first, second = rows[0].period, rows[1].period
    data = {
        "unit": world.units["bloc_dept"].pk,
        f"p{first.pk}-task_status": "in_progress",
        f"p{first.pk}-percent_done": "20",
        f"p{first.pk}-narrative": "Quý đầu: rà soát.",
        f"p{second.pk}-task_status": "in_progress",
        f"p{second.pk}-percent_done": "40",
        f"p{second.pk}-narrative": "Quý hai: vận động.",
        "submit": "1",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    reports = ProgressReport.objects.filter(task=task).order_by("period__starts_on")
    assert [(r.period, r.percent_done, r.status) for r in reports] == [
        (first, 20, "submitted"),
        (second, 40, "submitted"),
    ]
    # The periods reported are no longer offered; the others still are.
    assert len(client.get(url).context["rows"]) == len(rows) - 2


def test_the_catch_up_form_saves_nothing_when_a_row_is_wrong(world, program):
    task = program.tasks["b"]
    client = world.client("editor_b")
    url = reverse("programs:progressreport_catch_up", args=[task.pk])
    rows = client.get(url).context["rows"]
    first, second = rows[0].period, rows[1].period
    response = client.post(
        url,
        {
            f"p{first.pk}-task_status": "in_progress",
            f"p{first.pk}-percent_done": "20",
            f"p{first.pk}-narrative": "Được.",
            f"p{second.pk}-task_status": "in_progress",
            f"p{second.pk}-percent_done": "140",
            f"p{second.pk}-narrative": "Quá.",
        },
    )
    assert response.status_code == 200 and response.context["errors"]
    assert not ProgressReport.objects.exists()


def test_the_task_page_offers_the_catch_up_form_to_a_unit_behind(world, program):
    task = program.tasks["b"]
    html = world.client("editor_b").get(task.get_absolute_url()).content.decode()
    assert f'data-catch-up="{world.units["bloc_dept"].pk}"' in html


@pytest.mark.parametrize("page", ["programs:program_timeline", "programs:indicator_detail"])
def test_a_chart_address_changes_with_the_language_and_with_what_it_draws(world, program, page):
    """A browser keeps a chart for a minute by its address (as the enterprise page's chart)."""
    client = world.client("coordinator")
    indicator = program.indicators["surveyed"]
    url = reverse(page, args=[program.program.pk if "timeline" in page else indicator.pk])

    def chart_src(language):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.get(url)
        assert response["Content-Language"] == language
        return response.context["chart_src"]

    seen = {language: chart_src(language) for language in ("vi", "id", "en")}
    assert len(set(seen.values())) == 3 and chart_src("vi") == seen["vi"]
    if "timeline" in page:
        task = program.tasks["a"]
        task.title += " (sửa)"
        task.save(update_fields=["title"])
    else:
        Indicator.objects.filter(pk=indicator.pk).update(baseline=Decimal("7"))
    changed = chart_src("vi")
    assert changed != seen["vi"]
    if "timeline" in page:  # the programme's own period is drawn too
        Program.objects.filter(pk=program.program.pk).update(
            starts_on=program.program.starts_on - datetime.timedelta(days=31)
        )
        assert chart_src("vi") not in (changed, seen["vi"])
    assert client.get(seen["vi"])["Content-Type"] == "image/svg+xml"
