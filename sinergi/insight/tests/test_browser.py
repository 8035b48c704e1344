"""Walked in a real browser: from a dashboard number to the enterprises behind it, and from a
gap row to a new program task. Locators use data attributes: the interface speaks Indonesian."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from sinergi.core.services import SYSTEM
from sinergi.core.testing import PASSWORD
from sinergi.insight.models import Gap
from sinergi.programs.models import Task
from sinergi.registry import services as registry_services

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


def test_a_dashboard_number_leads_to_its_enterprises_and_a_gap_row_to_a_task(
    figures, program, page
):
    world = figures
    registry_services.organisation_create(
        actor=SYSTEM,
        enterprise=world.enterprises["b"],
        data={
            "type": world.types["union"],
            "name": "CĐCS B",
            "founded_on": datetime.date(2024, 1, 2),
        },
    )
    sign_in(page, "coordinator")

    # 1. The dashboard's "with a trade union" number opens the list of exactly those enterprises.
    page.goto(page.base_url + reverse("core:home"))
    screenshot(page, "insight-dashboard")
    card = page.locator('a[data-stat="has-trade-union"]')
    shown = int(card.locator(".stat-value").inner_text())
    assert shown == 1
    card.click()
    expect(page).to_have_url(re.compile(r"/registry/enterprises/\?.*has=trade-union"))
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(shown)
    expect(rows.first).to_contain_text(world.enterprises["b"].name)

    # 2. The gap list shows enterprise A's missing party organisation; its row makes a task.
    gap = Gap.objects.get(enterprise=world.enterprises["a"], type=world.types["party"])
    page.goto(page.base_url + reverse("insight:gap_list") + "?type=party")
    row = page.locator(f'tr[data-gap="{gap.pk}"]')
    expect(row).to_contain_text(world.enterprises["a"].name)
    screenshot(page, "insight-gap-list")
    row.locator("a[data-gap-task]").click()
    form = page.locator("#gap-task-form")
    form.locator("select[name=area]").select_option(str(program.areas["survey"].pk))
    form.locator("select[name=lead_unit]").select_option(str(world.units["ezb_dept"].pk))
    form.locator("input[name=due_on]").fill("2025-12-31")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/programs/tasks/\d+/"))

    task = Task.objects.get(enterprises=world.enterprises["a"])
    assert task.area.program == program.program
    assert task.lead_unit == world.units["ezb_dept"]
    assert "≥ 3" in task.description
