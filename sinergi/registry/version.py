"""When the registry last moved: what caches of counts and lists are keyed by."""

from __future__ import annotations

import functools

from django.db import connection
from django.utils import timezone

from sinergi.core.models import AuditEntry
from sinergi.registry.models import Figure, Organisation


@functools.cache
def _sql(vendor: str) -> str:
    """The statement, built once per database vendor (it is asked on every page)."""
    quote = connection.ops.quote_name
    tops = ", ".join(
        f"(SELECT MAX({quote('id')}) FROM {quote(model._meta.db_table)})"
        for model in (AuditEntry, Figure, Organisation)
    )
    return f"SELECT {tops}"


def registry_version() -> str:
    """Cheap to ask (three index look-ups in one statement, asked on every page): changes
    whenever the registry may have changed."""
    with connection.cursor() as cursor:
        cursor.execute(_sql(connection.vendor))
        top = [value or 0 for value in cursor.fetchone()]
    return f"{timezone.localdate().isoformat()}:{top[0]}:{top[1]}:{top[2]}"
