"""Tax-id rules per country: normalise what people type, say clearly what is wrong."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_VN = re.compile(r"^(\d{10})(?:-(\d{3}))?$")
_NON_DIGITS = re.compile(r"\D")


def normalise_tax_id(value: str, country: str) -> str:
    """The canonical form of `value` under `country`'s rule, or ValidationError.

    Vietnam (mã số thuế): 10 digits, or 10 digits, "-" and 3 digits for a branch.
    Indonesia (NPWP): 15 or 16 digits; dots, dashes and spaces are ignored.
    """
    raw = (value or "").strip()
    if not raw:
        raise ValidationError(_("Enter a tax id."), code="required")
    if country == "VN":
        compact = re.sub(r"\s+", "", raw)
        if not _VN.match(compact):
            raise ValidationError(
                _(
                    "A Vietnamese tax id has 10 digits, or 10 digits, a dash and 3 digits "
                    "for a branch (e.g. 5300123456 or 5300123456-001)."
                ),
                code="invalid",
            )
        return compact
    if country == "ID":
        if re.search(r"[^\d.\-\s]", raw):
            raise ValidationError(
                _("An NPWP contains only digits, dots, dashes and spaces."), code="invalid"
            )
        digits = _NON_DIGITS.sub("", raw)
        if len(digits) not in (15, 16):
            raise ValidationError(
                _("An NPWP has 15 or 16 digits; this one has %(count)d."),
                code="invalid",
                params={"count": len(digits)},
            )
        return digits
    raise ValidationError(
        _("No tax-id rule for country %(country)s."), code="invalid", params={"country": country}
    )
