"""The Foundation path, walked in a real browser: an editor signs in, finds an enterprise by a
search typed without accents, records its figures, reads them back in its history, and switches
the interface language, which the account remembers.

Locators use hrefs, names and ids rather than visible words: the interface speaks Indonesian by
default and its translations change while these tests stay put.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from sinergi.core.testing import PASSWORD
from sinergi.registry.models import Figure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
ENTERPRISE_A = "Công ty TNHH Điện tử Phố Mới"
ENTERPRISE_B = "Công ty Cổ phần Hóa chất Duyên Hải"


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


def switch_language(page, code: str) -> None:
    page.select_option("#language-select", code)  # the select submits itself (app.js)
    expect(page.locator("html")).to_have_attribute("lang", code)


def test_an_editor_finds_an_enterprise_without_accents_records_figures_and_sees_them_in_history(
    world, page
):
    editor = world.users["editor_a"]
    enterprise = world.enterprises["a"]

    # 1. Sign in through the real form; the interface starts in the deployment's Indonesian.
    sign_in(page, "editor_a")
    expect(page.locator("html")).to_have_attribute("lang", "id")

    # 2. Find the enterprise with a search typed without accents.
    page.goto(page.base_url + reverse("registry:enterprise_list"))
    page.fill("form.filters input[name=q]", "dien tu pho moi")
    page.locator("form.filters button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"[?&]q=dien\+tu\+pho\+moi"))
    results = page.locator("main table")
    expect(results.get_by_role("link", name=ENTERPRISE_A)).to_be_visible()
    expect(results.get_by_role("link", name=ENTERPRISE_B)).to_have_count(0)
    screenshot(page, "enterprise-search-results")
    results.get_by_role("link", name=ENTERPRISE_A).click()
    expect(page).to_have_url(re.compile(re.escape(enterprise.get_absolute_url()) + "$"))
    expect(page.locator("h1")).to_have_text(ENTERPRISE_A)

    # 3. Record figures for a past reporting date.
    page.locator('a[href$="/figures/new/"]').click()
    expect(page).to_have_url(re.compile(r"/figures/new/$"))
    page.fill("input[name=as_of]", "2024-06-30")
    page.fill("input[name=workers]", "150")
    page.fill("input[name=women_workers]", "60")
    page.fill("input[name=party_members]", "5")
    page.fill("input[name=union_members]", "90")
    page.locator("main form.form button[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(enterprise.get_absolute_url()) + "#figures$"))
    figure_rows = page.locator("#figures table tbody tr")
    expect(figure_rows).to_have_count(1)
    expect(figure_rows.first.locator("td.num").first).to_have_text("150")
    chart = page.locator("#figures .chart img")
    expect(chart).to_be_visible()
    chart.evaluate(  # the chart is drawn on the server: wait until it has arrived and decoded
        "img => img.complete && img.naturalWidth > 0 || new Promise((resolve, reject) =>"
        " { img.onload = resolve; img.onerror = () => reject(new Error('chart failed')); })"
    )
    assert chart.evaluate("img => img.naturalWidth") > 0
    screenshot(page, "enterprise-detail-with-figures")

    figure = Figure.objects.get(enterprise=enterprise, superseded_at__isnull=True)
    assert figure.as_of == datetime.date(2024, 6, 30)
    assert (figure.workers, figure.women_workers, figure.party_members, figure.union_members) == (
        150,
        60,
        5,
        90,
    )
    assert figure.recorded_by == editor

    # 4. The history lists the recording, by the editor, with the new values among its changes.
    #    (Matched by value, not by field label: the labels follow the interface language.)
    page.locator('main a[href$="/history/"]').click()
    expect(page).to_have_url(re.compile(r"/history/$"))
    recording = page.locator("table.history > tbody > tr").filter(
        has=page.locator("table.changes td.after", has_text=re.compile(r"^150$"))
    )
    expect(recording).to_have_count(1)
    expect(recording).to_contain_text(str(editor))
    recording.locator("details > summary").click()
    expect(
        recording.locator("table.changes td.after", has_text=re.compile(r"^150$"))
    ).to_be_visible()
    screenshot(page, "enterprise-history")

    # 5. Switch to Vietnamese, then English; each choice holds on the next page and is kept
    #    on the account, not only in this browser's cookie.
    switch_language(page, "vi")
    expect(page).to_have_url(re.compile(r"/history/$"))  # back where the switch was made
    page.goto(page.base_url + reverse("registry:enterprise_list"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    editor.refresh_from_db()
    assert editor.language == "vi"

    switch_language(page, "en")
    page.goto(page.base_url + enterprise.get_absolute_url())
    expect(page.locator("html")).to_have_attribute("lang", "en")
    editor.refresh_from_db()
    assert editor.language == "en"

    page.context.clear_cookies()  # no session, no language cookie: the account alone decides
    page.goto(page.base_url + reverse("accounts:login"))
    expect(page.locator("html")).to_have_attribute("lang", "id")
    sign_in(page, "editor_a")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_women_workers_above_workers_are_refused_at_their_field_and_nothing_is_saved(world, page):
    enterprise = world.enterprises["a"]
    sign_in(page, "editor_a")

    page.goto(page.base_url + reverse("registry:figure_record", args=[enterprise.pk]))
    page.fill("input[name=as_of]", "2024-06-30")
    page.fill("input[name=workers]", "10")
    page.fill("input[name=women_workers]", "20")
    page.locator("main form.form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/figures/new/$"))
    field = page.locator(".field").filter(has=page.locator("#id_women_workers"))
    expect(field).to_have_class(re.compile(r"\bfield-invalid\b"))
    with translation.override("id"):
        message = translation.gettext("Women workers cannot exceed workers.")
    expect(field.locator(".errorlist")).to_have_text(message)
    expect(page.locator(".errorlist")).to_have_count(1)  # only the offending field
    expect(page.locator("input[name=workers]")).to_have_value("10")  # what was typed stays
    expect(page.locator("input[name=women_workers]")).to_have_value("20")
    screenshot(page, "figure-form-error")

    assert not Figure.objects.filter(enterprise=enterprise).exists()
