"""Insight pages: numbers that match the lists behind them, query counts independent of the
page size, the export, the task from gap rows, and the national demo generator."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sinergi.accounts.models import User
from sinergi.core.models import AuditEntry
from sinergi.core.testing import MODEL_BACKEND
from sinergi.insight import aggregates
from sinergi.insight.models import Gap
from sinergi.presets.national import MESSAGE, build_national
from sinergi.programs.models import Task
from sinergi.registry.models import Enterprise

pytestmark = pytest.mark.django_db


def _total(html: str) -> int:
    """The "1–25 of N" line under a table."""
    found = re.search(r"of ([\d.,\s]+)</p>", html)
    return int(re.sub(r"\D", "", found.group(1))) if found else 0


@pytest.fixture(scope="module")
def national_db(django_db_setup, django_db_blocker):
    """A small national demo (3 provinces, 400 enterprises), shared by this module's tests and
    rolled back after them (each test runs in a savepoint inside this transaction)."""
    with django_db_blocker.unblock(), transaction.atomic():
        counts = build_national(count=400, provinces=3)
        aggregates.refresh()
        yield counts
        transaction.set_rollback(True)


@pytest.fixture
def admin_client(client, national_db, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(User.objects.get(username="demo.admin"), backend=MODEL_BACKEND)
    return client


def test_the_national_demo_is_bulk_loaded_once_with_one_audit_entry(national_db):
    assert national_db["enterprises"] == 400
    assert 400 * 10 <= national_db["figures"] <= 400 * 20
    # The parks of 3 of the 40 provinces, in proportion to the country's 645.
    assert national_db["zones"] == round(645 * 3 / 40)
    assert not Enterprise.objects.filter(
        tax_id__startswith="69", latest_figure__isnull=True
    ).exists()
    assert AuditEntry.objects.filter(message=MESSAGE).count() == 1
    assert build_national(count=400, provinces=3)["enterprises"] == 0


@pytest.mark.parametrize(
    "url",
    ["insight:gap_list", "insight:quality", "registry:enterprise_list"],
)
def test_a_lists_query_count_does_not_grow_with_the_page_size(admin_client, url):
    path = reverse(url)
    # The first view may refresh; it draws the filter panel that every page size then shares.
    admin_client.get(path, {"per_page": 25})
    counts = {}
    for size in (10, 100):
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(path, {"per_page": size})
        assert response.status_code == 200
        counts[size] = len(queries)
        html = response.content.decode()
        assert html.count("<tbody>") >= 1
        if url != "insight:quality":  # fewer violations than a page
            assert html.split("<tbody>")[-1].count("<tr") == min(size, _total(html))
    assert counts[10] == counts[100]


def test_the_gap_list_is_at_least_a_hundred_rows_long(national_db):
    # Guards the test above: with fewer rows, page sizes 10 and 100 would not differ.
    assert Gap.objects.count() > 100


def test_dashboard_numbers_match_the_enterprise_lists_behind_them(admin_client):
    html = admin_client.get(reverse("insight:dashboard")).content.decode()
    links = re.findall(
        r'<a href="([^"]+)" data-stat="([^"]+)"><span class="stat-value">([^<]+)<', html
    )
    assert {key for _url, key, _value in links} >= {"enterprises", "has-party", "has-trade-union"}
    for url, key, value in links:
        if not key.startswith("has-") and key != "enterprises":
            continue
        listed = _total(admin_client.get(url.replace("&amp;", "&")).content.decode())
        assert listed == int(re.sub(r"\D", "", value)), key


def test_gap_export_lists_the_reason(admin_client):
    response = admin_client.get(reverse("insight:gap_export", args=["csv"]), {"type": "party"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) - 1 == Gap.objects.filter(type__code="party").count()
    assert "party members" in rows[1][7].lower() or "anggota" in rows[1][7].lower()


def test_a_task_from_selected_gap_rows(admin_client):
    from sinergi.accounts.models import Unit
    from sinergi.programs.models import Area

    area = Area.objects.select_related("program").first()
    gaps = list(Gap.objects.order_by("pk")[:2])
    unit = Unit.objects.get(code="ezb-enterprise-dept")
    response = admin_client.post(
        reverse("insight:gap_task_create"),
        {
            "gap": [g.pk for g in gaps],
            "area": area.pk,
            "lead_unit": unit.pk,
            "due_on": area.program.ends_on.isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    task = Task.objects.latest("pk")
    assert set(task.enterprises.values_list("pk", flat=True)) == {g.enterprise_id for g in gaps}
    assert task.lead_unit == unit


def test_the_zone_list_counts_from_the_pre_aggregates_match_the_live_counts(
    national_db, monkeypatch
):
    from sinergi.insight import aggregates as module
    from sinergi.registry.models import OrganisationType
    from sinergi.registry.zonetree import zone_tree

    types = list(OrganisationType.objects.all())
    assert module.fresh_zone_counts() is not None
    fast = [
        (r["zone"].pk, r["enterprises"], r["workers"], r["coverage_list"]) for r in zone_tree(types)
    ]
    monkeypatch.setattr(module, "fresh_zone_counts", lambda: None)
    live = [
        (r["zone"].pk, r["enterprises"], r["workers"], r["coverage_list"]) for r in zone_tree(types)
    ]
    assert fast == live
    assert sum(row[1] for row in live) > 0
