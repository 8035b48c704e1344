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
    return " ".join(value.split())


def _ascii(text: str) -> str:
    """Text without accents. Vietnamese and Indonesian need only their combining marks dropped
    (fast); anything else left non-ASCII goes through unidecode, which gives the same result for
    the Latin letters and a reading for the rest."""
    stripped = _MARKS.sub("", unicodedata.normalize("NFD", text)).translate(_LETTERS)
    return stripped if stripped.isascii() else unidecode(text)


# Words repeat across names ("Công ty", "TNHH", places, trades): each is converted once, up to a
# bound, so the cache cannot grow without end.
_WORD_KEYS: dict[str, str] = {}
_WORD_KEYS_MAX = 200_000


def _word_key(word: str) -> str:
    key = word.lower() if word.isascii() else " ".join(_ascii(word).lower().split())
    if len(_WORD_KEYS) < _WORD_KEYS_MAX:
        _WORD_KEYS[word] = key
    return key


def search_key(*values: str) -> str:
    """Accent- and case-free form used for matching: "Đông Phố Mới" -> "dong pho moi"."""
    joined = (values[0] or "") if len(values) == 1 else " ".join(v for v in values if v)
    words = joined.split()
    keys = list(map(_WORD_KEYS.get, words))  # most words were seen before
    if None in keys:
        keys = [_word_key(w) if k is None else k for w, k in zip(words, keys, strict=True)]
    if "" in keys:  # a word of marks alone
        keys = [k for k in keys if k]
    return " ".join(keys)
