"""Cell values as offices write them: `1.250`, `-`, Có/Không, 31/12/2023, tax ids typed as numbers.

Each parser returns the Python value or raises `CellError` with a message for the person who
wrote the file. None means "no value".
"""

from __future__ import annotations

import datetime
import functools
import re
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from sinergi.core.text import nfc, search_key
from sinergi.imports.messages import Message
from sinergi.imports.messages import deferred as _  # said now, msgid kept for later
from sinergi.registry.choices import EnterpriseStatus, Ownership
from sinergi.registry.taxid import normalise_tax_id


class CellError(ValueError):
    """A cell that cannot be read; the message is shown to the user."""

    @property
    def message(self) -> str:
        """The message as raised (a Message, which can be said again in another language)."""
        return self.args[0] if self.args else ""


BLANKS = {"", "-", "–", "—", "_"}
_DIGITS = re.compile(r"^[0-9]+$")
_GROUPED = re.compile(r"^\d{1,3}(?:([.,\s\u00a0])\d{3})(?:\1\d{3})*$")
_DATE_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_DATE_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_EXCEL_EPOCH = datetime.date(1899, 12, 30)

YES = {"co", "x", "yes", "y", "ya", "ada", "1", "true", "v", "✓", "✔", "da co", "sudah"}
NO = {"khong", "no", "n", "tidak", "tidak ada", "0", "false", "chua", "chua co", "belum", "none"}
NEGATIONS = ("khong ", "chua ", "tidak ", "belum ", "no ", "not ", "none ")
# Words that name an organisation in a yes/no organisation column ("Chi bộ" means: it has one).
ORGANISATION_WORDS = (
    "chi bo",
    "dang bo",
    "cong doan",
    "chi doan",
    "doan co so",
    "chi hoi",
    "cdcs",
    "to chuc",
)


def is_blank(value: Any) -> bool:
    if value is None or value == "":
        return True
    return type(value) is str and value.strip() in BLANKS


def text(value: Any) -> str | None:
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value))


def count(value: Any) -> int | None:
    """A whole, non-negative number of people: 120, 120.0, "1.250", "1,250", "1 250"."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("Expected a number, not yes/no."))
    if isinstance(value, int | float):
        if float(value) != int(value):
            raise CellError(_("Expected a whole number."))
        number = int(value)
    else:
        raw = str(value).strip()
        if _DIGITS.match(raw):
            number = int(raw)
        elif _GROUPED.match(raw):
            number = int(re.sub(r"\D", "", raw))
        elif raw.startswith("-") and raw[1:].strip().replace(".", "").isdigit():
            raise CellError(_("The number cannot be negative."))
        else:
            raise CellError(_("Expected a whole number."))
    if number < 0:
        raise CellError(_("The number cannot be negative."))
    return number


@functools.lru_cache(maxsize=4096)
def _key(text: str) -> str:
    """search_key of a short cell text; such words repeat on every row, so each is keyed once."""
    return search_key(text)


def yes_no(value: Any, organisation: bool = False) -> bool | None:
    """Có/Không, Ya/Tidak, Ada/Tidak ada, x, Yes/No. In an organisation column a blank means no,
    and a word naming the organisation ("Chi bộ") means yes."""
    if is_blank(value):
        return False if organisation else None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if value in (0, 1):
            return bool(value)
        raise CellError(_("Expected yes or no."))
    key = _key(str(value))
    if key in YES:
        return True
    if key in NO or key.startswith(NEGATIONS):
        # "Không có chi bộ", "Chưa thành lập công đoàn", "Tidak ada": a denial, whatever follows.
        return False
    if organisation and any(word in key for word in ORGANISATION_WORDS):
        return True
    raise CellError(_("Expected yes or no (Có/Không, Ya/Tidak, Yes/No, x)."))


def day(value: Any) -> datetime.date | None:
    """31/12/2023, 31-12-2023, 31.12.2023, 2023-12-31, a spreadsheet date or its serial number."""
    if is_blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 80000:
            return _EXCEL_EPOCH + datetime.timedelta(days=int(value))
        raise CellError(_("Expected a date (dd/mm/yyyy)."))
    raw = str(value).strip()
    try:
        if match := _DATE_DMY.match(raw):
            d, m, y = (int(g) for g in match.groups())
            return datetime.date(y, m, d)
        if match := _DATE_YMD.match(raw):
            y, m, d = (int(g) for g in match.groups())
            return datetime.date(y, m, d)
    except ValueError as exc:
        raise CellError(_("This date does not exist.")) from exc
    raise CellError(_("Expected a date (dd/mm/yyyy)."))


_DEGREES = re.compile(r"^[+-]?\d{1,3}(?:[.,]\d+)?$")
_FIVE_PLACES = Decimal("0.00001")


def degrees(value: Any, limit: int) -> Decimal | None:
    """A latitude (`limit` 90) or longitude (180) in decimal degrees, as a spreadsheet number or
    as text with a point or a comma: 22.4731, "22,4731", "-6.2". Kept to five places (about a
    metre), as the registry stores it."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("Expected a number of degrees, not yes/no."))
    if isinstance(value, int | float):
        number = Decimal(str(value))
    else:
        raw = str(value).strip()
        if not _DEGREES.match(raw):
            raise CellError(_("Expected decimal degrees, e.g. 22.4731."))
        number = Decimal(raw.replace(",", "."))
    if not -limit <= number <= limit:
        raise CellError(_("Expected degrees between −%(limit)d and %(limit)d.") % {"limit": limit})
    return number.quantize(_FIVE_PLACES)


def tax_id(value: Any, country: str) -> str:
    """A tax id under `country`'s rule. A number that lost its leading zero is reported, never
    repaired: the right digits cannot be known."""
    if is_blank(value):
        raise CellError(_("The tax id is missing."))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    raw = str(value).strip()
    if country == "VN" and len(raw) == 10 and raw.isascii() and raw.isdigit():
        return raw  # the common case, already canonical
    if isinstance(value, int) or raw.isdigit():
        expected = 10 if country == "VN" else 15
        if len(raw) < expected:
            raise CellError(
                _(
                    "The tax id has %(count)d digits, %(expected)d are needed: it was probably "
                    "stored as a number and lost its leading zero. Format the column as text and "
                    "type the tax id in full."
                )
                % {"count": len(raw), "expected": expected}
            )
    try:
        return normalise_tax_id(raw, country)
    except ValidationError as exc:
        raise CellError(_rule_message(raw, country, exc)) from exc


def _rule_message(raw: str, country: str, refused: ValidationError) -> str:
    """The tax-id rule's message as a Message: the rule says it in the active language, so it
    is asked again with none active for the msgid and parameters."""
    with translation.override(None):
        try:
            normalise_tax_id(raw, country)
        except ValidationError as exc:
            refused = exc
    if getattr(refused, "message", None) is None:  # several messages: kept as they are
        return " ".join(refused.messages)
    return Message(str(refused.message), refused.params)


OWNERSHIP_WORDS = {
    "state": (
        "nha nuoc",
        "dnnn",
        "doanh nghiep nha nuoc",
        "bumn",
        "bumd",
        "bumn/bumd",
        "state",
        "state-owned",
        "soe",
    ),
    "domestic_private": (
        "tu nhan",
        "co phan",
        "tnhh",
        "ctcp",
        "dntn",
        "ngoai nha nuoc",
        "cty cp",
        "cong ty co phan",
        "cong ty tnhh",
        "doanh nghiep tu nhan",
        "pmdn",
        "swasta",
        "private",
        "domestic private",
        "domestic",
    ),
    "foreign_invested": (
        "fdi",
        "von dau tu nuoc ngoai",
        "co von dau tu nuoc ngoai",
        "dtnn",
        "100% von nuoc ngoai",
        "lien doanh",
        "pma",
        "asing",
        "foreign",
        "foreign-invested",
        "foreign invested",
    ),
    "cooperative": ("htx", "hop tac xa", "koperasi", "cooperative", "co-operative"),
    "other": ("khac", "lainnya", "other"),
}

STATUS_WORDS = {
    "operating": ("hoat dong", "dang hoat dong", "operating", "active", "aktif", "beroperasi"),
    "suspended": (
        "tam ngung",
        "tam ngung hoat dong",
        "tam dung",
        "suspended",
        "ditangguhkan",
        "berhenti sementara",
    ),
    "dissolved": (
        "giai the",
        "da giai the",
        "ngung hoat dong",
        "dissolved",
        "closed",
        "dibubarkan",
        "tutup",
    ),
}


@functools.cache
def _words(kind: str) -> dict[str, str]:
    """Accent-free word -> code, from the lists above and Sinergi's own labels in every
    interface language (so an exported file imports back unchanged)."""
    words, choices = (
        (OWNERSHIP_WORDS, Ownership.choices)
        if kind == "ownership"
        else (STATUS_WORDS, EnterpriseStatus.choices)
    )
    table = {search_key(word): code for code, items in words.items() for word in items}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for code, label in choices:
                table.setdefault(search_key(str(label)), code)
    return table


def ownership(value: Any) -> str | None:
    if is_blank(value):
        return None
    key = _key(str(value))
    if key in _words("ownership"):
        return _words("ownership")[key]
    raise CellError(
        _(
            "Unknown ownership; use e.g. Nhà nước, Tư nhân, FDI, Hợp tác xã / "
            "BUMN, PMDN, PMA, Koperasi."
        )
    )


def status(value: Any) -> str | None:
    if is_blank(value):
        return None
    key = _key(str(value))
    if key in _words("status"):
        return _words("status")[key]
    raise CellError(_("Unknown status; use operating, suspended or dissolved."))
