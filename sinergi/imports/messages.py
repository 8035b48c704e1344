"""The words of a dry run's findings, kept so that each reader sees them in their own language.

A file is checked in a background job, in the worker's language; its findings are read later by
people using other languages. So a finding keeps its message as the catalogue's msgid and its
parameters, and a column Sinergi names by its own label as the field's code; both are put in the
reader's language when shown. Batches checked before kept only the text, which is shown as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext


class Message(str):
    """A message in the active language that remembers its msgid and parameters.

    It is the text itself (so it prints, compares and is searched like any text) and can be
    shown again in another language: `Message(msgid) % params` like gettext's result."""

    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, params: Mapping[str, Any] | None = None) -> Message:
        text = gettext(msgid)
        if params:
            text = text % params
        message = super().__new__(cls, text)
        message.msgid = msgid
        message.params = dict(params or {})
        return message

    def __mod__(self, params: Any) -> Message:
        return Message(self.msgid, params)


def deferred(msgid: str) -> Message:
    """`_()` of the import checks: the text now, and what it takes to say it again later."""
    return Message(msgid)


class FieldLabel(str):
    """Sinergi's label of a field (not a header of the file), which remembers the field's code."""

    field: str

    def __new__(cls, field: str, label: Any) -> FieldLabel:
        text = super().__new__(cls, str(label))
        text.field = field
        return text


def issue_json(row: int, column: str, value: str, message: str) -> dict[str, Any]:
    """A finding as the batch keeps it: the text as first said (for the command line and as a
    fallback), with the msgid, parameters and field code that let it be said again."""
    found: dict[str, Any] = {"row": row, "column": str(column), "value": value}
    if isinstance(column, FieldLabel):
        found["field"] = column.field
    found["message"] = str(message)
    if isinstance(message, Message):
        found["msgid"] = message.msgid
        if message.params:
            found["params"] = message.params
    return found


def readable(found: Mapping[str, Any], labels: Mapping[str, str]) -> dict[str, Any]:
    """A kept finding in the active language. `labels`: field code -> label in that language.
    A finding kept before msgids were kept (or whose translation cannot take its parameters)
    keeps the text it was first said in."""
    shown = dict(found)
    field = found.get("field")
    if field and field in labels:
        shown["column"] = labels[field]
    msgid = found.get("msgid")
    if msgid:
        params = found.get("params")
        try:
            text = gettext(msgid)
            shown["message"] = text % params if params else text
        except (KeyError, TypeError, ValueError):
            shown["message"] = found.get("message", msgid)
    return shown


def readable_all(
    findings: Iterable[Mapping[str, Any]], labels: Mapping[str, str]
) -> list[dict[str, Any]]:
    return [readable(found, labels) for found in findings]
