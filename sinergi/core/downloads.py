"""A table as a file to download: CSV streamed, or XLSX, named after the list and the day."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from sinergi.core.spreadsheets import csv_chunks, write_xlsx


def download(
    stem: str,
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    fmt: str,
    title: str = "",
) -> HttpResponse | StreamingHttpResponse:
    """`stem-YYYY-MM-DD.csv|xlsx` with the header and the rows."""
    name = f"{stem}-{timezone.localdate().isoformat()}.{fmt}"
    response: HttpResponse | StreamingHttpResponse
    if fmt == "xlsx":
        buffer = io.BytesIO()
        write_xlsx(buffer, header, rows, title=title)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = StreamingHttpResponse(
            csv_chunks(header, rows), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
