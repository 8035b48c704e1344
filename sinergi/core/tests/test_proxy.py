"""Sinergi's web server behind a reverse proxy (issue 17, defects 1 and 2): waitress started the
way `sinergi start` / `sinergi serve` start it believes the proxy's X-Forwarded-Proto and
X-Forwarded-For, and nobody else's. These tests talk HTTP to a real waitress server."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import requests
from django.db import connections

from sinergi.core.serving import waitress_options
from sinergi.core.testing import PASSWORD, build_world

# The server answers from its own threads: they must see committed data.
pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def waitress_server(**options) -> Iterator[str]:
    from django.core.wsgi import get_wsgi_application
    from waitress import create_server

    # A fresh application: Django's middleware reads the security settings when it is built.
    application = get_wsgi_application()

    def closing_connections(environ, start_response):
        # The server's threads keep their database connections between requests (CONN_MAX_AGE);
        # left open, they keep the test database from being dropped at the end of the run.
        response = application(environ, start_response)
        try:
            yield from response
        finally:
            response.close()  # Django's request_finished, as the server would send it
            connections.close_all()

    server = create_server(closing_connections, host="127.0.0.1", port=0, **options)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        server.task_dispatcher.shutdown()
        thread.join(5)
        connections.close_all()


@pytest.fixture
def https_behind_proxy(settings):
    settings.HTTPS = True
    settings.TRUSTED_PROXIES = 1
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SINERGI_PROXY_ADDRESS = "127.0.0.1"
    return settings


def get(url: str, **headers) -> requests.Response:
    return requests.get(url, headers=headers, allow_redirects=False, timeout=10)


def test_a_proxied_https_request_gets_its_page_with_hsts(https_behind_proxy):
    with waitress_server(**waitress_options(threads=2)) as base:
        page = get(f"{base}/accounts/login/", **{"X-Forwarded-Proto": "https"})
        assert page.status_code == 200
        assert page.headers["Strict-Transport-Security"].startswith("max-age=31536000")
        # Plain HTTP (the proxy says so) is sent to HTTPS once.
        plain = get(f"{base}/accounts/login/", **{"X-Forwarded-Proto": "http"})
        assert plain.status_code == 301
        assert plain.headers["Location"].startswith("https://")
        assert plain.headers["Location"].endswith("/accounts/login/")


def test_waitress_without_the_proxy_options_loops(https_behind_proxy):
    """What the defect was: waitress's defaults drop X-Forwarded-Proto, so the proxied HTTPS
    request is redirected to its own address."""
    with waitress_server(threads=2) as base:
        page = get(f"{base}/accounts/login/", **{"X-Forwarded-Proto": "https"})
        assert page.status_code == 301


def test_proxy_headers_from_another_address_are_not_believed(https_behind_proxy):
    https_behind_proxy.SINERGI_PROXY_ADDRESS = "127.0.0.2"
    with waitress_server(**waitress_options(threads=2)) as base:
        page = get(f"{base}/accounts/login/", **{"X-Forwarded-Proto": "https"})
        assert page.status_code == 301


def _sign_in(base: str, client_address: str, username: str, password: str) -> int:
    session = requests.Session()
    session.headers["X-Forwarded-For"] = client_address
    form = session.get(f"{base}/accounts/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    answer = session.post(
        f"{base}/accounts/login/",
        data={"csrfmiddlewaretoken": token, "username": username, "password": password},
        headers={"Referer": f"{base}/accounts/login/"},
        allow_redirects=False,
        timeout=10,
    )
    return answer.status_code


def test_throttling_counts_each_client_behind_the_proxy(settings):
    """Five wrong passwords from one client lock that client out, not everyone else whose
    requests come through the same proxy."""
    build_world()
    settings.TRUSTED_PROXIES = 1
    settings.SINERGI_PROXY_ADDRESS = "127.0.0.1"
    with waitress_server(**waitress_options(threads=2)) as base:
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert _sign_in(base, "203.0.113.5", "viewer", "wrong") == 200
        assert _sign_in(base, "203.0.113.5", "viewer", "wrong") == 429
        assert _sign_in(base, "203.0.113.5", "viewer", PASSWORD) == 429
        assert _sign_in(base, "203.0.113.6", "viewer", PASSWORD) == 302
