"""What every chart image drawn on the server shares: its address on the page."""

from __future__ import annotations

import zlib
from urllib.parse import urlencode

from django.utils.translation import get_language


def chart_src(url: str, *drawn_from: object) -> str:
    """The address of a chart for an <img>: `url` with the page's language and a digest of what
    the chart is drawn from. A chart is kept by the browser for a minute (Cache-Control), by its
    address: without these, a page shown after a language switch or a new figure would show the
    chart of before. `drawn_from` is anything whose repr changes when the chart would."""
    digest = zlib.crc32(repr(drawn_from).encode())
    return f"{url}?{urlencode({'lang': get_language() or '', 'v': format(digest, 'x')})}"
