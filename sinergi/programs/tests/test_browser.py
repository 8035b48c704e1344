"""The program's sign-off, walked in a real browser: the lead unit's editor writes the quarterly
progress report with a figure for the linked indicator, attaches the evidence and submits it;
the partner body's coordinator acknowledges it; the matrix then shows the task's new status and
the indicator holds the reported value.

Locators use hrefs, names, ids and data attributes: the interface speaks Indonesian by default.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from sinergi.core.testing import PASSWORD
from sinergi.programs.models import IndicatorValue, ProgressReport, Task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sign_in(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto(page.base_url + reverse("accounts:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def test_the_lead_unit_submits_with_evidence_the_partner_acknowledges_and_the_program_moves(
    world, program, page, tmp_path
):
    task = program.tasks["b"]
    indicator = program.indicators["surveyed"]
    period = program.period("quarter", 2023, 2)  # the first quarter the lead unit owes

    # 1. The lead unit's editor opens their work and follows the link to report on the task.
    sign_in(page, "editor_b")
    page.goto(page.base_url + reverse("programs:my_work"))
    page.locator(f'a[data-report-link="{task.pk}"]').click()
    expect(page).to_have_url(
        re.compile(re.escape(reverse("programs:progressreport_edit", args=[task.pk, period.pk])))
    )

    # 2. Status, share done, what was done and the value of the linked indicator.
    page.select_option("select[name=task_status]", "in_progress")
    page.fill("input[name=percent_done]", "60")
    page.fill(
        "textarea[name=narrative]",
        "Rà soát 12 doanh nghiệp trong KCN Bắc Duyên Hải; 3 doanh nghiệp đủ điều kiện lập chi bộ.",
    )
    page.fill(f"input[name=indicator_{indicator.pk}]", "12")
    screenshot(page, "program-report-form")
    page.locator("#save-draft").click()
    report = ProgressReport.objects.get(task=task, period=period)
    expect(page).to_have_url(re.compile(re.escape(report.get_absolute_url()) + "$"))
    expect(page.locator("#report-status")).to_have_attribute("data-status", "draft")

    # 3. The evidence: the minutes of the survey, as a PDF.
    evidence = tmp_path / "bien-ban-ra-soat.pdf"
    evidence.write_bytes(PDF)
    page.locator('a[href$="/evidence/new/"]').click()
    page.fill("input[name=title]", "Biên bản rà soát quý 2")
    page.set_input_files("input[name=file]", str(evidence))
    page.locator("main form.form button[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(report.get_absolute_url()) + "$"))
    expect(page.locator("#evidence a[data-attachment]")).to_have_count(1)

    # 4. Submitted to the partner body: no more changes from the lead unit.
    page.locator("#submit-report").click()
    expect(page.locator("#report-status")).to_have_attribute("data-status", "submitted")
    expect(page.locator('a[href$="/evidence/new/"]')).to_have_count(0)
    screenshot(page, "program-report-submitted")

    # 5. The partner body's coordinator finds it waiting and acknowledges it.
    sign_in(page, "coordinator")
    page.goto(page.base_url + reverse("programs:my_work"))
    page.locator(f'a[data-awaiting="{report.pk}"]').click()
    expect(page.locator("#acknowledge-report")).to_be_visible()
    download = page.locator("#evidence a[data-attachment]")
    expect(download).to_have_attribute(
        "href", reverse("programs:attachment_download", args=[report.evidence.get().pk])
    )
    page.fill("#id_comment", "Đã nhận, đề nghị tiếp tục theo dõi 3 doanh nghiệp.")
    page.locator("#acknowledge-report").click()
    expect(page.locator("#report-status")).to_have_attribute("data-status", "acknowledged")
    screenshot(page, "program-report-acknowledged")

    # 6. The matrix shows the task's new status in the lead unit's column.
    page.locator(f'nav.breadcrumbs a[href="{program.program.get_absolute_url()}"]').click()
    page.locator(
        f'nav.tabs a[href="{reverse("programs:program_matrix", args=[program.program.pk])}"]'
    ).click()
    lead_mark = page.locator(f'table.matrix a[data-task="{task.pk}"][data-role="lead"]')
    expect(lead_mark).to_have_attribute("data-status", "in_progress")
    expect(lead_mark).to_have_class(re.compile(r"\bstate-in_progress\b"))
    screenshot(page, "program-matrix")

    # 7. The linked indicator holds the acknowledged value for the quarter.
    page.goto(page.base_url + indicator.get_absolute_url())
    expect(page.locator(f'#values tr[data-period="{period.pk}"] td.value')).to_have_text("12")
    screenshot(page, "program-indicator")

    task.refresh_from_db()
    assert (task.status, task.percent_done) == ("in_progress", 60)
    report.refresh_from_db()
    assert report.status == "acknowledged" and report.reviewed_by == world.users["coordinator"]
    value = IndicatorValue.objects.get(indicator=indicator, period=period)
    assert value.value == 12 and value.report == report
    assert Task.objects.get(pk=task.pk).status == "in_progress"


def test_the_lead_unit_writes_attaches_evidence_and_submits_in_one_step(
    world, program, page, tmp_path
):
    task = program.tasks["b"]
    period = program.period("quarter", 2023, 2)
    sign_in(page, "editor_b")
    page.goto(page.base_url + reverse("programs:progressreport_edit", args=[task.pk, period.pk]))
    page.select_option("select[name=task_status]", "in_progress")
    page.fill("input[name=percent_done]", "40")
    page.fill("textarea[name=narrative]", "Rà soát 8 doanh nghiệp; biên bản kèm theo.")
    evidence = tmp_path / "bien-ban.pdf"
    evidence.write_bytes(PDF)
    page.fill("input[name=evidence_title]", "Biên bản rà soát")
    page.set_input_files("input[name=evidence_file]", str(evidence))
    page.locator("#save-and-submit").click()

    report = ProgressReport.objects.get(task=task, period=period)
    expect(page).to_have_url(re.compile(re.escape(report.get_absolute_url()) + "$"))
    expect(page.locator("#report-status")).to_have_attribute("data-status", "submitted")
    expect(page.locator("#evidence a[data-attachment]")).to_have_count(1)
    screenshot(page, "program-report-saved-and-submitted")
    assert report.status == "submitted" and report.submitted_by == world.users["editor_b"]
    assert report.evidence.get().title == "Biên bản rà soát"
