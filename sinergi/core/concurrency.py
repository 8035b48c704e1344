"""Optimistic concurrency: an edit carries the version of the object it started from, and a
save made from an out-of-date version is refused instead of silently undoing someone else's.

Pages: `ServiceFormView` puts a signed copy of the values the form showed in a hidden field
(`edit_version`); on save it locks the row, compares those values with the stored ones and, if
another person changed any, refuses with what changed (`stale_changes`), keeping the person's
input so that saving again applies it over the new values.
API: `etag` is the version of the whole object, sent as `ETag`; an update with `If-Match`
naming another version gets 412 (`if_match_allows`).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django import forms
from django.core import signing
from django.db import models

from sinergi.core.audit import snapshot

VERSION_FIELD = "edit_version"
_SALT = "sinergi.core.concurrency"


# --- API --------------------------------------------------------------------------------------


def etag(obj: models.Model) -> str:
    """A strong entity tag for the stored state of `obj` (every concrete and many-to-many
    field), quoted as HTTP wants it."""
    data = json.dumps(snapshot(obj), sort_keys=True, default=str).encode("utf-8")
    return f'"{hashlib.sha256(data).hexdigest()[:32]}"'


def if_match_allows(header: str | None, current: str) -> bool:
    """True when an `If-Match` header (absent, `*`, or a list of tags) names `current`."""
    if header is None or header.strip() == "*":
        return True
    tags = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    return current in tags


def lock(obj: models.Model) -> None:
    """Lock the object's row for the rest of the transaction and reload its fields, so the
    comparison and the write that follows see the same stored state."""
    type(obj)._default_manager.select_for_update().filter(pk=obj.pk).exists()
    obj.refresh_from_db()


# --- Pages ------------------------------------------------------------------------------------


def _form_fields(model: type[models.Model], form: forms.BaseForm) -> dict[str, Any]:
    """The model fields the form edits, by form field name."""
    fields = {}
    for name in form.fields:
        try:
            field = model._meta.get_field(name)
        except Exception:
            continue
        if getattr(field, "concrete", False) or field.many_to_many:
            fields[name] = field
    return fields


def _values(obj: models.Model, form: forms.BaseForm) -> dict[str, Any]:
    stored = snapshot(obj)
    return {
        name: stored.get(field.name if field.many_to_many else field.attname)
        for name, field in _form_fields(type(obj), form).items()
    }


def edit_version(obj: models.Model, form: forms.BaseForm) -> str:
    """The signed values of the fields this form shows, as stored now."""
    return signing.dumps(
        {"model": obj._meta.label, "pk": obj.pk, "values": _values(obj, form)},
        salt=_SALT,
        compress=True,
    )


def nothing_version(model: type[models.Model]) -> str:
    """The version of "nothing stored yet", for a form that creates its object."""
    return signing.dumps({"model": model._meta.label, "pk": None, "values": {}}, salt=_SALT)


def _display(field: Any, value: Any) -> str:
    if value in (None, "", []):
        return "—"
    if field.many_to_many:
        return ", ".join(str(o) for o in field.related_model._default_manager.filter(pk__in=value))
    if field.is_relation:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def stale_changes(
    token: str, obj: models.Model, form: forms.BaseForm, same_row: bool = True
) -> list[dict[str, str]]:
    """What another person changed since the form was opened: per field, its label, the value
    the form showed and the stored one. An unreadable token, or one of another row when the
    form edits one row (`same_row`), counts as every field changed from nothing: the object was
    created since the form opened (`nothing_version`)."""
    fields = _form_fields(type(obj), form)
    now = _values(obj, form)
    try:
        opened = signing.loads(token, salt=_SALT)
        if opened.get("model") != obj._meta.label:
            raise signing.BadSignature
        if opened.get("pk") != obj.pk and (same_row or opened.get("pk") is None):
            raise signing.BadSignature
        before = opened["values"]
    except (signing.BadSignature, KeyError, TypeError):
        before = {name: None for name in fields}
    changes = []
    for name, field in fields.items():
        if name in before and before[name] != now[name]:
            changes.append(
                {
                    "field": str(form.fields[name].label or field.verbose_name),
                    "before": _display(field, before[name]),
                    "now": _display(field, now[name]),
                }
            )
    return changes
