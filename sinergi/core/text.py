"""Text normalisation shared by storage and search."""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

_MARKS = re.compile(r"[\u0300-\u036f]")
# Letters that carry no combining mark in Unicode but have a plain Latin reading.
_LETTERS = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"})


def nfc(value: str) -> str:
    """NFC-normalised text with surrounding and repeated whitespace collapsed."""
    if not value.isascii() and not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    if value.isprintable() and "  " not in value and value.strip(" ") == value:
        return value  # no whitespace but single inner spaces: nothing to collapse
    return " ".join(value.split())


def _ascii(text: str) -> str:
    """Text without accents. Vietnamese and Indonesian need only their combining marks dropped
    (fast); anything else left non-ASCII goes through unidecode, which gives the same result for
    the Latin letters and a reading for the rest."""
    stripped = _MARKS.sub("", unicodedata.normalize("NFD", text)).translate(_LETTERS)
    return stripped if stripped.isascii() else unidecode(text)


class _WordKeys(dict):
    """word -> its key. Words repeat across names ("Công ty", "TNHH", places, trades): each is
    converted once, on its first lookup, and kept up to a bound so the cache cannot grow without
    end."""

    MAX = 200_000

    def __missing__(self, word: str) -> str:
        key = word.lower() if word.isascii() else " ".join(_ascii(word).lower().split())
        if len(self) < self.MAX:
            self[word] = key
        return key


_WORD_KEYS = _WordKeys()


def search_key(*values: str) -> str:
    """Accent- and case-free form used for matching: "Đông Phố Mới" -> "dong pho moi"."""
    joined = (values[0] or "") if len(values) == 1 else " ".join(v for v in values if v)
    key = " ".join(map(_WORD_KEYS.__getitem__, joined.split()))
    # A word of marks alone has an empty key: it leaves a doubled or an outer space.
    if "  " in key or key[:1] == " " or key[-1:] == " ":
        key = " ".join(key.split())
    return key
