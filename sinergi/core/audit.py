"""Writing audit entries. Services call `record()` inside their transaction."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterable
from contextvars import ContextVar
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from sinergi.core import bulk
from sinergi.core.actors import Actor, user_of
from sinergi.core.models import AuditEntry

request_id_var: ContextVar[str] = ContextVar("sinergi_request_id", default="")

# Stored as they are; checked first because most values are of these types.
PLAIN_TYPES = frozenset({str, int, bool, float})

# Never copied into an audit entry, whatever the model.
SECRET_FIELDS = frozenset({"password"})


def jsonable(value: Any) -> Any:
    """A value as audit entries store it: dates as ISO text, decimals as text, objects by id."""
    if value is None or type(value) in PLAIN_TYPES:
        return value
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, exclude: Iterable[str] = ()) -> dict[str, Any]:
    """The object's concrete field values as JSON-ready data (foreign keys by id)."""
    skip = SECRET_FIELDS | set(exclude)
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in skip:
            continue
        data[field.attname] = jsonable(getattr(obj, field.attname))
    for field in obj._meta.many_to_many:
        if field.name in skip or obj.pk is None:
            continue
        data[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return data


def record(
    *,
    actor: Actor,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    message: str = "",
) -> AuditEntry:
    """Write one audit entry for `obj`; call inside the service's transaction."""
    return AuditEntry.objects.create(
        actor=user_of(actor),
        actor_unit_id=getattr(actor, "unit_id", None),
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        before=before,
        after=after,
        message=message[:500],
        request_id=request_id_var.get(),
    )


# The columns of an audit entry, in the order `record_many` writes them.
AUDIT_COLUMNS = (
    "at",
    "actor",
    "actor_unit",
    "action",
    "content_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "message",
    "request_id",
)


def record_many(
    *,
    actor: Actor,
    action: str,
    model: type[models.Model],
    entries: Iterable[tuple[Any, str, dict[str, Any] | None, dict[str, Any] | None]],
    message: str = "",
) -> None:
    """`record()` for many objects of one model at once: one entry per (object id, text of the
    object, before, after), all with the same actor, action, message, time and request id.
    Call inside the writer's transaction."""
    now = timezone.now()
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    unit_id = getattr(actor, "unit_id", None)
    content_type = ContentType.objects.get_for_model(model).pk
    request_id = request_id_var.get()
    action, message = str(action), message[:500]
    bulk.insert_many(
        AuditEntry,
        AUDIT_COLUMNS,
        (
            (
                now,
                actor_id,
                unit_id,
                action,
                content_type,
                str(object_id),
                str(text)[:300],
                before,
                after,
                message,
                request_id,
            )
            for object_id, text, before, after in entries
        ),
    )
