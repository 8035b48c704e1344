"""A review conference walked in a real browser: the secretary captures contributions (Ctrl+Enter
to save and go on; autosave that survives a lost connection), records a conclusion with a
follow-up action, drafts the report from the data and downloads it."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse
from docx import Document as read_docx
from playwright.sync_api import expect

from sinergi.core.testing import PASSWORD
from sinergi.reviews.models import Contribution, ReportVersion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


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


def test_capture_conclude_draft_and_download(world, reviewed, page, tmp_path):
    review = reviewed.review
    sign_in(page, "coordinator")
    page.goto(page.base_url + review.get_absolute_url())
    page.locator("a[data-capture-link]").click()
    expect(page).to_have_url(re.compile(r"/capture/$"))

    # 1. Ctrl+Enter saves and clears the form for the next speaker.
    page.select_option("select[name=speaker]", str(reviewed.delegate.pk))
    page.select_option("select[name=kind]", "result")
    page.fill("textarea[name=text]", "Đã rà soát 120 doanh nghiệp trong KCN Đông Phố Mới.")
    page.press("textarea[name=text]", "Control+Enter")
    expect(page.locator("#captured li[data-contribution]")).to_have_count(1)
    expect(page.locator("textarea[name=text]")).to_have_value("")

    # 2. The server is out of reach while the next one is typed (a proxy answers with its own
    # page instead; a real network error would also fail the page fixture's console check):
    # the text waits on this device and goes as soon as the server answers again.
    autosave = "**" + reverse("reviews:contribution_autosave", args=[review.pk])
    page.route(autosave, lambda route: route.fulfill(status=200, body="<html>proxy</html>"))
    page.fill(
        "textarea[name=text]", "Chủ doanh nghiệp FDI chưa bố trí thời gian cho người lao động."
    )
    page.press("textarea[name=text]", "Alt+3")  # the third type: difficulty
    expect(page.locator("select[name=kind]")).to_have_value("difficulty")
    page.wait_for_timeout(3500)
    expect(page.locator("#capture-status")).to_have_attribute("data-state", "pending")
    assert Contribution.objects.filter(review=review).count() == 1
    page.unroute(autosave)
    expect(page.locator("#capture-status")).to_have_attribute("data-state", "saved", timeout=10000)
    texts = set(Contribution.objects.filter(review=review).values_list("text", flat=True))
    assert texts == {
        "Đã rà soát 120 doanh nghiệp trong KCN Đông Phố Mới.",
        "Chủ doanh nghiệp FDI chưa bố trí thời gian cho người lao động.",
    }
    # A reload before the autosave brings back what is being typed; saving again updates the
    # same contribution, never duplicates it.
    page.fill(
        "textarea[name=text]", "Chủ doanh nghiệp FDI chưa bố trí thời gian cho người lao động."
    )
    page.reload()
    expect(page.locator("textarea[name=text]")).to_have_value(
        "Chủ doanh nghiệp FDI chưa bố trí thời gian cho người lao động."
    )
    page.press("textarea[name=text]", "Control+Enter")
    page.wait_for_timeout(1000)
    assert Contribution.objects.filter(review=review).count() == 2
    screenshot(page, "reviews-capture")

    # 3. The leaders conclude, with a follow-up action for the enterprise department.
    page.goto(page.base_url + reverse("reviews:conclusion_create", args=[review.pk]))
    page.fill("textarea[name=text]", "Cập nhật danh sách doanh nghiệp đủ điều kiện lập chi bộ.")
    page.select_option("select[name=owner_unit]", str(world.units["ezb_dept"].pk))
    page.fill("input[name=due_on]", "2024-09-30")
    page.select_option("select[name=area]", str(reviewed.program.areas["survey"].pk))
    page.locator("main form.form button[type=submit]").click()
    expect(page.locator("a[data-follow-up-task]")).to_have_count(1)
    screenshot(page, "reviews-detail")
    conclusion = review.conclusions.get()
    assert conclusion.task.due_on == datetime.date(2024, 9, 30)

    # 4. Draft the report from the data, then download it as DOCX in Vietnamese.
    page.locator("button[data-version-create]").click()
    version = ReportVersion.objects.get(review=review)
    expect(page).to_have_url(re.compile(re.escape(version.get_absolute_url()) + "$"))
    page.select_option("#dl-report-lang", "vi")
    with page.expect_download() as info:
        page.locator('button[data-download="report-docx"]').click()
    path = tmp_path / "report.docx"
    info.value.save_as(path)
    text = "\n".join(p.text for p in read_docx(path).paragraphs)
    assert "Đã rà soát 120 doanh nghiệp trong KCN Đông Phố Mới." in text
    # The follow-up in the directions, its owner and due date written in Vietnamese (the
    # deployment's official language), whatever language the secretary's pages are in.
    assert "Cập nhật danh sách doanh nghiệp đủ điều kiện lập chi bộ (" in text
    assert "thời hạn ngày 30 tháng 9 năm 2024)." in text
    assert "Lào Cai, ngày 16 tháng 5 năm 2024" in "\n".join(
        c.text for t in read_docx(path).tables for r in t.rows for c in r.cells
    )
