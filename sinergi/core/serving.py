"""How Sinergi's own web server (waitress) is started: the options that make it honour the reverse
proxy in front of it. Shared by `sinergi start` and `sinergi serve`, so the documented production
command and the one-machine command read the proxy's headers alike."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Any

import django.forms
from django.conf import settings
from django.forms.renderers import get_default_renderer
from django.template import engines
from django.urls import get_resolver, reverse
from django.utils import translation

# Threads per server process. More threads only take turns at the one interpreter: with ten
# requests always in flight, one process served 32-34 requests a second with eight or ten
# threads and 44-46 with four (bench/README.md, decision 0019). Four still let three slow
# downloads stream while a page is served.
SERVER_THREADS = 4


def waitress_options(*, threads: int = SERVER_THREADS) -> dict[str, Any]:
    """Keyword arguments for `waitress.serve` / `waitress.create_server`.

    Waitress drops every `X-Forwarded-*` header unless the request comes from a trusted proxy.
    With `SINERGI_TRUSTED_PROXIES` (how many proxies append to X-Forwarded-For) or
    `SINERGI_HTTPS` set, requests from `SINERGI_PROXY_ADDRESS` keep `X-Forwarded-Proto` (so a
    proxied HTTPS request is seen as secure instead of being redirected to itself) and, with
    trusted proxies, `X-Forwarded-For` trimmed to the entries those proxies wrote; waitress then
    puts the client's address in REMOTE_ADDR. The same headers from anyone else are removed.
    """
    options: dict[str, Any] = {"threads": threads, "ident": "Sinergi"}
    headers = set()
    if settings.TRUSTED_PROXIES > 0:
        headers |= {"x-forwarded-for", "x-forwarded-proto"}
    elif settings.HTTPS:
        headers.add("x-forwarded-proto")
    if headers:
        options.update(
            trusted_proxy=settings.SINERGI_PROXY_ADDRESS,
            trusted_proxy_count=max(settings.TRUSTED_PROXIES, 1),
            trusted_proxy_headers=headers,
            clear_untrusted_proxy_headers=True,
        )
    return options


def load_everything() -> None:
    """Load before the first request what a server process keeps until it ends: every module
    of the apps (the URL configuration imports the views; services, tables, exports and the
    rest would load at their first use), every page template and form widget template
    compiled (kept by the template loaders), and each language's catalogue and URL table.
    `sinergi.wsgi` then moves it all out of the garbage collector's reach (`gc.freeze`).
    Loaded by the first requests instead, these objects stayed in the collector's oldest
    generation, and each of its full passes walked them again: 77-80 ms at a time at national
    scale, against 9-10 ms with them frozen (bench/README.md)."""
    import sinergi

    get_resolver().url_patterns  # noqa: B018 (the URL configuration imports the views)
    for module in pkgutil.walk_packages(sinergi.__path__, "sinergi."):
        parts = module.name.split(".")
        if {"tests", "migrations"} & set(parts) or parts[-1] in ("conftest", "testing", "wsgi"):
            continue
        importlib.import_module(module.name)
    pages = engines["django"]
    for folder in settings.TEMPLATES[0]["DIRS"]:
        _compile(Path(folder), pages.get_template)
    _compile(Path(django.forms.__file__).parent / "templates", get_default_renderer().get_template)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            reverse("core:home")  # the resolver keeps a table per language


def _compile(folder: Path, get_template) -> None:
    for path in sorted(folder.rglob("*.html")):
        get_template(path.relative_to(folder).as_posix())
