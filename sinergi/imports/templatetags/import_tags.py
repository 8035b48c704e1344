"""Template filters of the import pages."""

from __future__ import annotations

import datetime

from django import template
from django.utils.formats import date_format, number_format

register = template.Library()


@register.filter
def date_or_value(value) -> str:
    """A preview value in the reader's format: dates short, numbers grouped, text as it is."""
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, bool):
        return "✔" if value else "—"
    if isinstance(value, int | float):
        return number_format(value, force_grouping=True)
    return str(value)
