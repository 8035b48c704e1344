"""Wide tables fit a 1366 px screen in every interface language: the columns that matter first
are shown, the secondary ones are folded away behind a "Columns" toggle that remembers the
choice, a table that still scrolls sideways keeps its first column in view, and the menu stays
on one line."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from sinergi.core.services import SYSTEM
from sinergi.core.tests.test_accessibility import blocking_violations
from sinergi.core.tests.test_layout_browser import sign_in
from sinergi.insight import aggregates
from sinergi.insight.models import QualityRule
from sinergi.presets.demo import build_demo
from sinergi.programs.models import Program
from sinergi.registry import services as registry_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ("vi", "en", "id")

# The list pages drawn with django-tables2 (whose tables must fit their box at 1366 px), then
# the pages whose table is drawn by hand.
TABLE_LISTS = (
    "registry:enterprise_list",
    "insight:gap_list",
    "insight:quality",
    "programs:program_list",
    "programs:task_list",
    "programs:progressreport_list",
    "programs:activity_list",
    "reviews:review_list",
    "core:audit_list",
)

MEASURE = """() => {
  const root = document.scrollingElement;
  const boxes = [...document.querySelectorAll('.table-container')].map(box => ({
    overflow: box.scrollWidth - box.clientWidth,
    tabindex: box.getAttribute('tabindex'),
    role: box.getAttribute('role'),
    label: box.getAttribute('aria-label') || '',
    rows: box.querySelectorAll('tbody tr').length,
    empty: box.querySelectorAll('td.empty').length,
  }));
  const tops = [...document.querySelectorAll('#site-nav > ul > li')].map(item => item.offsetTop);
  return {page: root.scrollWidth - root.clientWidth, boxes, tops};
}"""


def visible_header(page, index: int):
    return page.locator(".table-container").first.locator("thead th").nth(index)


def first_row_cell(page, index: int):
    return page.locator(".table-container").first.locator("tbody tr").first.locator("td").nth(index)


def assert_first_columns_stay(page, box, count: int = 1) -> None:
    """Scrolled sideways to the end, the box's first `count` columns have not moved."""
    cells = [box.locator("tbody tr").first.locator("td").nth(i) for i in range(count)]
    before = [cell.bounding_box()["x"] for cell in cells]
    box.evaluate("b => { b.scrollLeft = b.scrollWidth; }")
    assert box.evaluate("b => b.scrollLeft") > 0
    after = [cell.bounding_box()["x"] for cell in cells]
    assert all(abs(a - b) < 1 for a, b in zip(after, before, strict=True)), (before, after)
    # In view, and nothing scrolled underneath shows through.
    left = box.bounding_box()["x"]
    assert all(x >= left - 1 for x in after), (left, after)
    for cell in cells:
        background = cell.evaluate("c => getComputedStyle(c).backgroundColor")
        assert background not in ("rgba(0, 0, 0, 0)", "transparent"), background
    box.evaluate("b => { b.scrollLeft = 0; }")


def set_language(world, language: str) -> None:
    admin = world.users["admin"]
    admin.language = language  # the interface follows the saved language on each request
    admin.save(update_fields=["language"])


@pytest.fixture
def filled(world):
    # The demo beside the persona world fills every column of the lists and the program pages;
    # an enterprise without a zone breaks the zone rule (kept, a flushed database lost the
    # migration's rules), which gives the data quality list a row.
    build_demo(count=30)
    QualityRule.objects.get_or_create(
        name="Enterprise placed in a zone",
        defaults={"left": "zone", "operator": "is_set", "right": "", "sort_order": 6},
    )
    registry_services.enterprise_create(
        actor=SYSTEM,
        data={
            "tax_id": "5300100052",
            "name": "Công ty TNHH Chế biến Nông sản và Thương mại Dịch vụ Không Khu",
            "ownership": "other",
        },
    )
    aggregates.refresh()
    return world


@pytest.mark.parametrize("language", LANGUAGES)
def test_list_pages_fit_1366_pixels_with_the_menu_on_one_line(filled, page, language):
    set_language(filled, language)
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, "admin")
    program = Program.objects.order_by("pk").first()
    paths = [reverse(name) for name in TABLE_LISTS]
    matrix = reverse("programs:program_matrix", args=[program.pk])
    for path in [*paths, reverse("registry:zone_list"), matrix]:
        page.goto(page.base_url + path)
        found = page.evaluate(MEASURE)
        assert found["page"] <= 0, (language, path, found)
        assert len(found["tops"]) == 11 and len(set(found["tops"])) == 1, (language, path, found)
        assert found["boxes"], path
        for index, box in enumerate(found["boxes"]):
            assert box["rows"] and not box["empty"], (path, index, box)  # rows to fill it
            if path != matrix:
                # Lists and the zone table fit their box; the matrix has a column per unit.
                assert box["overflow"] <= 1, (language, path, index, box)
            if box["overflow"] > 1:
                # Still scrolling: reachable by keyboard, named, first column in view.
                assert box["tabindex"] == "0" and box["role"] == "region", (path, box)
                assert box["label"], (path, box)
                assert_first_columns_stay(page, page.locator(".table-container").nth(index))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_columns_toggle_shows_a_folded_column_and_hides_it_again(filled, page, language):
    set_language(filled, language)
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, "admin")
    page.goto(page.base_url + reverse("registry:enterprise_list"))

    toggle = page.locator("details.column-toggle")
    checkbox = toggle.locator('input[type="checkbox"][data-column="tax_id"]')
    index = int(checkbox.get_attribute("data-index"))
    header = visible_header(page, index)
    expect(header).to_be_hidden()  # folded at 1366 px
    expect(first_row_cell(page, index)).to_be_hidden()

    toggle.locator("summary").click()
    assert not blocking_violations(Axe(), page)  # the open disclosure, checked by axe-core
    # The checkbox is named by its label: the column's own header.
    expect(checkbox).to_have_accessible_name(header.inner_text().strip())
    expect(checkbox).not_to_be_checked()
    checkbox.check()
    expect(header).to_be_visible()
    expect(first_row_cell(page, index)).to_be_visible()

    # The choice is remembered on the next visit.
    page.reload()
    expect(visible_header(page, index)).to_be_visible()
    toggle.locator("summary").click()
    expect(checkbox).to_be_checked()
    checkbox.uncheck()
    expect(visible_header(page, index)).to_be_hidden()
    expect(first_row_cell(page, index)).to_be_hidden()
    page.reload()
    expect(visible_header(page, index)).to_be_hidden()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_gap_column_shown_scrolls_with_the_row_names_in_view(filled, page, language):
    set_language(filled, language)
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, "admin")
    page.goto(page.base_url + reverse("insight:gap_list"))
    box = page.locator(".table-container").first
    assert box.evaluate("b => b.scrollWidth <= b.clientWidth + 1")

    toggle = page.locator("details.column-toggle")
    toggle.locator("summary").click()
    checkboxes = toggle.locator('input[type="checkbox"]')
    assert checkboxes.count() >= 3
    for i in range(checkboxes.count()):
        checkboxes.nth(i).check()
    # Every column shown, the table is wider than its box: it scrolls, reachable by keyboard,
    # with the selection box and the enterprise's name in view.
    assert box.evaluate("b => b.scrollWidth > b.clientWidth + 1")
    expect(box).to_have_attribute("tabindex", "0")
    expect(box).to_have_attribute("role", "region")
    assert page.evaluate(
        "document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth"
    )
    assert_first_columns_stay(page, box, count=2)

    for i in range(checkboxes.count()):
        checkboxes.nth(i).uncheck()
    assert box.evaluate("b => b.scrollWidth <= b.clientWidth + 1")
    expect(box).not_to_have_attribute("tabindex", "0")
