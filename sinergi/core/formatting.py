"""Numbers and dates as a template shows them in the active language, for pages that write many
of them in Python (a list of two hundred rows, an enterprise's twenty reporting dates).

`formats.number_format` and the `date` filter look the language and its formats up again for
every value (each a context-local read and a dictionary lookup or three); a page's values are
all written in one language, so `Shown` looks them up once and keeps each date's text (a page
repeats a few reporting dates on every row)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from html import escape

from django.conf import settings
from django.utils import dateformat, numberformat
from django.utils.formats import get_format
from django.utils.timezone import template_localtime
from django.utils.translation import get_language


class Shown:
    """Values as text in the language active when it is made (one page's)."""

    def __init__(self) -> None:
        self.language = get_language()
        self._decimal = get_format("DECIMAL_SEPARATOR", self.language, use_l10n=True)
        self._grouping = get_format("NUMBER_GROUPING", self.language, use_l10n=True)
        self._thousands = get_format("THOUSAND_SEPARATOR", self.language, use_l10n=True)
        self._formats: dict[str, str] = {}
        self._dates: dict[tuple, str] = {}

    def number(self, value: int | float | Decimal, force_grouping: bool = False) -> str:
        """`formats.number_format(value, force_grouping=...)`. An integer grouped by three (what
        every language here does) is Python's own grouping with the language's separator:
        numberformat walks the digits one by one in Python."""
        if (
            type(value) is int
            and self._grouping == 3
            and (force_grouping or settings.USE_THOUSAND_SEPARATOR)
        ):
            return f"{value:,}".replace(",", self._thousands)
        return numberformat.format(
            value,
            self._decimal,
            None,
            self._grouping,
            self._thousands,
            force_grouping=force_grouping,
            use_l10n=True,
        )

    def date(self, value: datetime.date | None, format_name: str = "SHORT_DATE_FORMAT") -> str:
        """The `date` filter: `{{ value|date:"SHORT_DATE_FORMAT" }}` (a date-time in the local
        time zone first, as a template shows it; "" for None)."""
        if value is None:
            return ""
        value = template_localtime(value)
        key = (value, format_name)
        text = self._dates.get(key)
        if text is None:
            pattern = self._formats.get(format_name)
            if pattern is None:
                pattern = self._formats[format_name] = get_format(
                    format_name, self.language, use_l10n=True
                )
            text = dateformat.format(value, pattern)
            if len(self._dates) < 10_000:
                self._dates[key] = text
        return text

    def number_html(self, value: int | float | Decimal, force_grouping: bool = False) -> str:
        """`number` escaped for HTML (a separator is a character the language chooses)."""
        return escape(self.number(value, force_grouping), quote=True)

    def date_html(self, value: datetime.date | None, format_name: str = "SHORT_DATE_FORMAT") -> str:
        """`date` escaped for HTML (a format may hold any text)."""
        return escape(self.date(value, format_name), quote=True)
