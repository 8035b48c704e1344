"""Template filters of the program pages."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def amount(value) -> str:
    """An indicator value or target: whole numbers grouped, decimals without trailing zeros,
    in the current language's format; a dash when unknown."""
    if value in (None, ""):
        return "—"
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return number_format(int(number), force_grouping=True)
    digits = -number.normalize().as_tuple().exponent
    return number_format(number, decimal_pos=max(0, digits), force_grouping=True)
