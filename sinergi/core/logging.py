"""Log filters for the console: an ordinary refusal is one line, not a traceback."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404


class OrdinaryRefusals(logging.Filter):
    """Django logs a 403 (PermissionDenied) or 404 with the exception's traceback; both are the
    permission rules doing their job, so only the request line is kept."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], PermissionDenied | Http404):
            record.exc_info = None
            record.exc_text = None
        return True
