"""The layout holds still and fits: the Vietnamese menu on one line at 1366 px, wide tables with
their first column in view, and on a slow phone no layout shift once a page has loaded and no page
wider than the screen (only a table scrolls sideways, inside its own box)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from sinergi.core.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLS_OBSERVER = """
window.__cls = 0;
window.__shifted = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.hadRecentInput) continue;
    window.__cls += entry.value;
    for (const source of entry.sources || []) {
      const node = source.node;
      const name = node && node.nodeType === 1
        ? node.tagName + (node.id ? "#" + node.id : "")
          + (node.className ? "." + node.className : "")
        : String(node && node.nodeName);
      window.__shifted.push(name + " " + entry.value.toFixed(4));
    }
  }
}).observe({type: "layout-shift", buffered: true});
"""


def sign_in(page, username: str) -> None:
    page.goto(page.base_url + reverse("accounts:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def test_the_vietnamese_menu_fits_one_line_at_1366_pixels(world, page):
    admin = world.users["admin"]  # the administrator has the longest menu
    admin.language = "vi"
    admin.save(update_fields=["language"])
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, "admin")
    tops = page.locator("#site-nav li").evaluate_all("items => items.map(i => i.offsetTop)")
    assert len(tops) == 11 and len(set(tops)) == 1, tops


def test_a_wide_tables_first_column_stays_in_view_when_scrolled_sideways(world, page):
    page.set_viewport_size({"width": 900, "height": 768})
    sign_in(page, "admin")
    page.goto(page.base_url + reverse("registry:enterprise_list"))
    box = page.locator(".table-container").first
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")
    expect(box).to_have_attribute("tabindex", "0")  # reachable by keyboard
    first = box.locator("tbody tr td").first
    before = first.bounding_box()["x"]
    box.evaluate("b => { b.scrollLeft = 300; }")
    assert abs(first.bounding_box()["x"] - before) < 1


def test_the_enterprise_list_does_not_shift_after_load_on_a_slow_phone(world, browser, live_server):
    context = browser.new_context(viewport={"width": 412, "height": 823}, locale="en-US")
    page = context.new_page()
    page.base_url = live_server.url
    sign_in(page, "admin")
    page.add_init_script(CLS_OBSERVER)
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 6})
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 150, "downloadThroughput": 200_000, "uploadThroughput": 1e5},
    )
    try:
        for name in ("registry:enterprise_list", "insight:gap_list", "core:home"):
            page.goto(page.base_url + reverse(name))
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(500)
            shifted = page.evaluate("window.__shifted")
            assert page.evaluate("window.__cls") < 0.01, (name, shifted)
            widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert widths[0] <= widths[1], (name, widths)
    finally:
        context.close()


@pytest.mark.parametrize(("language", "width"), [("en", 412), ("vi", 1000), ("id", 1280)])
def test_a_headings_actions_stay_put_while_their_buttons_arrive(
    world, browser, live_server, language, width
):
    """A slow page may be drawn when it has arrived only up to the first of a heading's buttons:
    the buttons already drawn must not move when the rest arrive (here: the rest removed)."""
    admin = world.users["admin"]
    admin.language = language
    admin.save(update_fields=["language"])
    context = browser.new_context(viewport={"width": width, "height": 823})
    page = context.new_page()
    page.base_url = live_server.url
    try:
        sign_in(page, "admin")
        for name in ("registry:enterprise_list", "insight:gap_list", "core:home"):
            page.goto(page.base_url + reverse(name))
            positions = page.locator(".page-head > .actions").first.evaluate(
                """actions => {
                  const first = actions.firstElementChild;
                  const seen = [];
                  while (true) {
                    const box = first.getBoundingClientRect();
                    seen.push([actions.children.length, Math.round(box.x), Math.round(box.y)]);
                    if (actions.children.length === 1) return seen;
                    actions.lastElementChild.remove();
                  }
                }"""
            )
            assert len(positions) > 1, (name, positions)
            assert len({(x, y) for _, x, y in positions}) == 1, (name, positions)
    finally:
        context.close()
