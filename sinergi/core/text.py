"""Text normalisation shared by storage and search."""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

_SPACES = re.compile(r"\s+")


def nfc(value: str) -> str:
    """NFC-normalised text with surrounding and repeated whitespace collapsed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


def search_key(*values: str) -> str:
    """Accent- and case-free form used for matching: "Đông Phố Mới" -> "dong pho moi"."""
    joined = " ".join(v for v in values if v)
    return _SPACES.sub(" ", unidecode(unicodedata.normalize("NFC", joined)).lower()).strip()
