"""Every page a signed-in administrator can reach, checked by axe-core in the system's Chromium.

The pages come from the permission table (`test_url_permissions.cases`), so a new URL is checked
here as soon as it has its row there. A page fails on any violation axe rates serious or
critical (WCAG 2.1 A and AA rules and axe's best practices), in each interface language.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from sinergi.core.testing import OK, PASSWORD
from sinergi.core.tests.test_url_permissions import cases
from sinergi.presets.demo import build_demo

BLOCKING = {"serious", "critical"}
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
}


def admin_pages(world) -> list[str]:
    """The distinct HTML pages the administrator is allowed to open, with real objects."""
    client = world.client("admin")
    paths: list[str] = []
    for _name, path, expected, *form in cases(world):
        # Rows with a form are the POST actions: not pages to look at.
        if form or expected["admin"] != OK or path in paths:
            continue
        # As a browser asks: the API answers its browsable pages too.
        response = client.get(path, HTTP_ACCEPT="text/html,*/*;q=0.8")
        if response.status_code == OK and response["Content-Type"].startswith("text/html"):
            paths.append(path)
    return paths


def describe(violation: dict) -> str:
    targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
    return f"{violation['id']} ({violation['impact']}): {violation['help']} — {targets}"


def blocking_violations(axe: Axe, page) -> list[str]:
    results = axe.run(page, options=AXE_OPTIONS)
    return [
        describe(violation)
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING
    ]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["id", "vi"])
def test_every_page_an_administrator_can_reach_passes_axe(world, page, language):
    admin = world.users["admin"]
    admin.language = language
    admin.save(update_fields=["language"])
    # The demo beside the persona world fills the lists, the dashboard, the gap list and the
    # program pages with rows, so row-level controls are checked too.
    build_demo(count=30)
    paths = admin_pages(world)
    assert len(paths) > 60, paths  # the table really was read

    axe = Axe()
    failures: list[str] = []
    # The sign-in page is checked signed out, then every page signed in.
    page.goto(page.base_url + reverse("accounts:login"))
    failures += [f"{reverse('accounts:login')}: {v}" for v in blocking_violations(axe, page)]
    page.fill("#id_username", "admin")
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    for path in paths:
        page.goto(page.base_url + path)
        failures += [f"{path}: {v}" for v in blocking_violations(axe, page)]
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_no_select_on_any_administrator_page_offers_dashes(world):
    """An empty choice says what it means ("Choose…", "—", "Any"), never "---------"."""
    client = world.client("admin")
    offenders = []
    for _name, path, expected, *form in cases(world):
        if form or expected["admin"] != OK:
            continue
        response = client.get(path, HTTP_ACCEPT="text/html,*/*;q=0.8")
        if response["Content-Type"].startswith("text/html") and b"---------" in response.content:
            offenders.append(path)
    assert not offenders, offenders
