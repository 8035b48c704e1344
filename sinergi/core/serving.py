"""How Sinergi's own web server (waitress) is started: the options that make it honour the reverse
proxy in front of it. Shared by `sinergi start` and `sinergi serve`, so the documented production
command and the one-machine command read the proxy's headers alike."""

from __future__ import annotations

from typing import Any

from django.conf import settings

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
