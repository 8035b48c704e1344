"""The leader's picture walked in a real browser over the provincial demo: the map names each
park and leads to its enterprises, the province's parks side by side, the indicator panel on the
program's last year, and the enterprises that have not reported, listed and exported. Locators
use data attributes: the interface speaks Indonesian."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect
from python_calamine import CalamineWorkbook

from sinergi.accounts.models import User
from sinergi.insight import aggregates
from sinergi.insight.tests.test_browser import screenshot
from sinergi.presets.demo import DEMO_PASSWORD
from sinergi.registry import counting
from sinergi.registry import services as registry_services
from sinergi.registry.models import Enterprise, Zone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARKS = ("kcn-bac-duyen-hai", "kcn-dong-pho-moi", "ktmcn-kim-thanh", "kcn-tang-loong")


@pytest.fixture
def demo():
    call_command("demo", "--count", "24", verbosity=0)
    park = Zone.objects.get(code="kcn-dong-pho-moi")
    # Registered years ago and never reported: expected on every reporting date.
    silent = registry_services.enterprise_create(
        actor=User.objects.get(username="demo.editor"),
        data={
            "tax_country": "VN",
            "tax_id": "5300999991",
            "name": "Công ty TNHH Chưa Báo Cáo",
            "zone": park,
            "ownership": "domestic_private",
            "status": "operating",
            "founded_on": datetime.date(2019, 1, 1),
        },
    )
    aggregates.refresh()
    return silent


def sign_in(page) -> None:
    page.goto(page.base_url + reverse("accounts:login"))
    page.fill("#id_username", "demo.viewer")
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def test_the_leaders_picture(demo, page, tmp_path):
    sign_in(page)
    page.goto(page.base_url + reverse("core:home"))
    screenshot(page, "insight-overview")

    # 1. The map names each park; a park's shape leads to that park's enterprises.
    zone_map = page.locator("svg[data-zone-map]")
    expect(zone_map).to_be_visible()
    for code in PARKS:
        park = Zone.objects.get(code=code)
        expect(zone_map.locator(f'a[data-zone="{park.pk}"]')).to_have_count(1)
        expect(zone_map.locator("text", has_text=park.short_name)).to_have_count(1)
    tang_loong = Zone.objects.get(code="kcn-tang-loong")
    zone_map.locator(f'a[data-zone="{tang_loong.pk}"]').click()
    expect(page).to_have_url(
        re.compile(rf"/registry/enterprises/\?status=operating&zone={tang_loong.pk}$")
    )
    operating = Enterprise.objects.filter(zone=tang_loong, status="operating")
    for enterprise in operating[:5]:
        expect(page.locator("main table").get_by_text(enterprise.name, exact=True)).to_be_visible()

    # A park's own map draws its enterprises that have a location as dots, each a link to the
    # enterprise (followed from the keyboard: dots may lie over one another).
    park = Zone.objects.get(code="kcn-dong-pho-moi")
    page.goto(page.base_url + reverse("insight:dashboard") + f"?zone={park.pk}")
    dots = page.locator("svg[data-zone-map] a[data-enterprise]")
    day = counting.today()
    located_here = counting.enterprises_operating_on(day, [park.pk]).filter(latitude__isnull=False)
    assert dots.count() == located_here.count() > 0
    dot = dots.first
    located = Enterprise.objects.get(pk=dot.get_attribute("data-enterprise"))
    assert dot.get_attribute("aria-label").startswith(f"{located.name}: ")
    screenshot(page, "insight-park-map")
    dot.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/registry/enterprises/{located.pk}/$"))
    expect(page.locator("[data-location]")).to_contain_text(f"{located.latitude}")

    # 2. The province's dashboard lists the four parks side by side.
    province = Zone.objects.get(code="lao-cai")
    page.goto(page.base_url + reverse("insight:dashboard") + f"?zone={province.pk}")
    compared = page.locator("table[data-compared-zones] tbody tr")
    expect(compared).to_have_count(4)
    for code in PARKS:
        name = Zone.objects.get(code=code).short_name
        expect(
            page.locator("table[data-compared-zones]").get_by_role("link", name=name)
        ).to_be_visible()

    # 3. The indicator panel shows the demo program (ended 2025) on its last year with data.
    indicators = page.locator("table[data-indicators]")
    expect(page.locator("#id_year")).to_have_value("2025")
    expect(indicators.locator("a[data-program]").first).to_contain_text("2023")
    actuals = indicators.locator("tbody tr:not(.group-row) td.num:nth-child(3)").all_inner_texts()
    assert any(text.strip() not in ("", "—") for text in actuals), actuals

    # 4. Completeness: the enterprise that has not reported is listed and exported.
    rows = page.locator("table[data-reporting-zones] tbody tr", has_text="Đông Phố Mới")
    expect(rows).to_have_count(1)
    with page.expect_download() as info:
        rows.locator("a[data-missing-export]").click()
    path = tmp_path / "missing.xlsx"
    info.value.save_as(path)
    cells = [
        str(value)
        for row in CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        for value in row
    ]
    assert demo.name in cells and demo.tax_id in cells
    rows.locator("a[data-missing]").click()
    expect(page).to_have_url(re.compile(r"not_reported=\d{4}-\d{2}-\d{2}"))
    expect(page.locator("main table").get_by_text(demo.name, exact=True)).to_be_visible()
