"""Audit trail, request ids, text normalisation and the interface language."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from sinergi.core.models import AuditEntry
from sinergi.core.text import nfc, search_key
from sinergi.registry import services as registry_services

pytestmark = pytest.mark.django_db


def test_nfc_joins_decomposed_accents_and_collapses_spaces():
    assert nfc("  Pho\u0302\u0301   Mo\u031b\u0301i ") == "Phố Mới"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Đông Phố Mới", "dong pho moi"),
        ("KCN  Tằng Loỏng", "kcn tang loong"),
        ("ĐIỆN TỬ", "dien tu"),
        # A word of combining marks alone leaves no key, and no doubled space.
        ("Phố \u0301 Mới", "pho moi"),
        ("\u0301 Mới", "moi"),
        ("Phố \u0301", "pho"),
        ("\u0301", ""),
        # Letters outside Vietnamese and Indonesian get a Latin reading.
        ("Ærø Straße", "aero strasse"),
    ],
)
def test_search_keys_drop_accents_and_case(text, key):
    assert search_key(text) == key


def test_every_write_of_a_request_carries_its_request_id(world):
    client = world.client("editor_a")
    response = client.post(
        reverse("registry:figure_record", args=[world.enterprises["a"].pk]),
        {"as_of": "2023-12-31", "workers": "12"},
        HTTP_X_REQUEST_ID="req-123",
    )
    assert response["X-Request-ID"] == "req-123"
    assert AuditEntry.objects.filter(action="record").get().request_id == "req-123"


def test_an_unsafe_incoming_request_id_is_replaced():
    response = Client().get(reverse("core:healthz"), HTTP_X_REQUEST_ID="bad id;<script>")
    assert response["X-Request-ID"] != "bad id;<script>" and len(response["X-Request-ID"]) == 32


def test_the_change_log_filters_by_user_unit_type_and_date(world):
    registry_services.figure_record(
        actor=world.users["editor_a"],
        enterprise=world.enterprises["a"],
        as_of=datetime.date(2023, 12, 31),
        values={"workers": 5},
    )
    client = world.client("admin")
    url = reverse("core:audit_list")
    by_user = client.get(url, {"actor": world.users["editor_a"].pk}).context["table"].data
    assert {e.actor for e in by_user} == {world.users["editor_a"]}
    by_unit = client.get(url, {"actor_unit": world.units["ezb_dept"].pk}).context["table"].data
    assert len(by_unit) == 1
    today = datetime.date.today().isoformat()
    assert (
        len(client.get(url, {"date_from": today}).context["table"].data)
        == AuditEntry.objects.count()
    )
    assert len(client.get(url, {"date_to": "2000-01-01"}).context["table"].data) == 0


def test_the_change_log_shows_a_coordinator_only_their_bodys_entries(world):
    for persona, key in (("editor_a", "a"), ("editor_b", "b")):
        registry_services.figure_record(
            actor=world.users[persona],
            enterprise=world.enterprises[key],
            as_of=datetime.date(2023, 12, 31),
            values={"workers": 5},
        )
    rows = world.client("coordinator").get(reverse("core:audit_list")).context["table"].data
    assert {e.actor for e in rows} == {world.users["editor_a"]}


def test_indonesian_is_the_default_whatever_the_browser_says():
    response = Client().get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="id">' in response.content.decode()


def test_the_language_switch_sets_a_cookie_for_visitors_and_returns_to_the_page():
    client = Client()
    response = client.post(
        reverse("core:set_language"), {"language": "vi", "next": "/accounts/login/"}
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert '<html lang="vi">' in client.get(reverse("accounts:login")).content.decode()


def test_the_language_switch_refuses_foreign_redirects():
    response = Client().post(
        reverse("core:set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_pages_send_a_content_security_policy_without_inline_script():
    policy = Client().get(reverse("accounts:login"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_no_page_template_contains_inline_script_or_style():
    from pathlib import Path

    import sinergi

    for template in Path(sinergi.__file__).parent.glob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        assert "<script>" not in text and " style=" not in text and "<style" not in text, template
        assert " on" + "click=" not in text, template


def test_a_permission_refusal_is_logged_as_one_line_without_a_traceback(world, settings):
    import io
    import logging

    from sinergi.core.logging import OrdinaryRefusals

    handler_config = settings.LOGGING["handlers"]["console"]
    assert "ordinary_refusals" in handler_config["filters"]
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(OrdinaryRefusals())
    request_logger = logging.getLogger("django.request")
    request_logger.addHandler(handler)
    try:
        response = world.client("viewer").get(reverse("accounts:user_create"))
    finally:
        request_logger.removeHandler(handler)
    assert response.status_code == 403
    logged = stream.getvalue()
    assert "Forbidden" in logged and "Traceback" not in logged


def test_the_worker_logs_at_the_deployments_level_not_a_line_per_job():
    import logging

    from django_tasks_db.compat import TASKS_LOGGER

    from sinergi.imports.management.commands.worker import Command

    Command().configure_logging(1)
    root = logging.getLogger().getEffectiveLevel()
    assert logging.getLogger(TASKS_LOGGER).level == root
    assert logging.getLogger("django_tasks_db").level == root
    assert root > logging.INFO


def test_the_cache_keeps_more_than_a_minute_of_ten_peoples_list_pages():
    """Each list page keeps two or three entries (its count, its HTML); Django's default memory
    cache dropped the oldest third past 300 entries, before anyone asked for a page again."""
    from django.core.cache import cache

    cache.clear()
    try:
        for index in range(1500):
            cache.set(f"page-{index}", index)
        assert cache.get("page-0") == 0 and cache.get("page-1499") == 1499
    finally:
        cache.clear()
