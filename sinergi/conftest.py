"""Fixtures shared by every app's tests: the persona world and the system browser."""

from __future__ import annotations

import os
import shutil

import pytest

from sinergi.core.testing import World, build_world


@pytest.fixture(autouse=True, scope="session")
def _demo_calendar_pinned():
    """The demo dates its story relative to today (presets/demo_calendar.py). Tests load it as
    on 1 June 2024, two weeks after its first-year review, so that it keeps its written dates
    (program 2023-2025, review of 16 May 2024, no report after it) whatever the machine's date;
    the tests of the shift itself set another day. Session-wide, so that module-scoped demo
    fixtures see it too."""
    from django.conf import settings

    settings.SINERGI_DEMO_TODAY = "2024-06-01"


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # The manifest storage needs `collectstatic`; tests serve static files from the package.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Hashing passwords the production way costs ~0.3 s per user; tests need no such strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Uploaded files and progress files of a test stay in its own folder.
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    # Background jobs run at once, inside the test, instead of waiting for a worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Counts, pages, digests and filter options are cached per registry version; each test's
    # writes roll back and the next test takes the same ids again, so the same version can
    # name another registry.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db) -> World:
    return build_world()


CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")


def chromium_path() -> str | None:
    configured = os.environ.get("SINERGI_CHROMIUM")
    if configured:
        return configured
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. Missing browser: skipped on a user's machine,
    a failure under CI=true (where a skip would hide that the page tests never ran)."""
    path = chromium_path()
    if path is None:
        message = "Chromium not found: browser tests need Debian's `chromium` package."
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " (CI=true: a missing browser is a failure)")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the Django test database calls
    # made by the test itself are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base_url = live_server.url
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
    assert not errors, f"The page reported errors: {errors}"
