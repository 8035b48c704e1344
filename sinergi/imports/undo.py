"""Imports, the undo: a committed batch taken back whole, unless something changed its
enterprises after it. Also the form the undo data keeps ids in (runs)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.core import audit
from sinergi.core.actors import Actor
from sinergi.core.models import AuditAction, AuditEntry
from sinergi.imports.models import BatchStatus, ImportBatch
from sinergi.imports.permissions import require_owner
from sinergi.imports.plan import CHUNK
from sinergi.registry.models import Enterprise, Figure, Organisation


def id_runs(ids: Iterable[int]) -> list[list[int]]:
    """The ids as runs [first, last] of consecutive ones: the keys an import takes for its new
    rows are consecutive, so its undo data stays a few numbers long however large the file."""
    if isinstance(ids, range) and ids.step == 1:  # keys reserved on SQLite: one run already
        return [[ids[0], ids[-1]]] if ids else []
    ids = sorted(set(ids))
    if ids and ids[-1] - ids[0] + 1 == len(ids):  # one run: the common case, found in C
        return [[ids[0], ids[-1]]]
    runs: list[list[int]] = []
    for pk in ids:
        if runs and pk == runs[-1][1] + 1:
            runs[-1][1] = pk
        else:
            runs.append([pk, pk])
    return runs


def undo_ids(data: dict[str, Any], key: str) -> list[int]:
    """The ids kept under `key` of a batch's undo data, as runs (id_runs) or, as batches
    committed before the runs kept them, one by one."""
    ids: list[int] = []
    for item in data.get(key, []):
        if isinstance(item, list):
            ids.extend(range(item[0], item[1] + 1))
        else:
            ids.append(int(item))
    return ids


def _audit_undo(actor: Actor, batch: ImportBatch, updated: dict[str, dict[str, Any]]) -> None:
    """One entry per enterprise the undo restored, so its history shows it. The enterprises the
    undo removed are accounted for by the batch's own entry, as their creation was."""
    ids = [int(pk) for pk in updated]
    names: dict[int, str] = {}
    for i in range(0, len(ids), CHUNK):
        names.update(Enterprise.objects.filter(pk__in=ids[i : i + CHUNK]).values_list("pk", "name"))
    audit.record_many(
        actor=actor,
        action=AuditAction.UPDATE,
        model=Enterprise,
        entries=((pk, names.get(int(pk), pk), None, before) for pk, before in updated.items()),
        message=_("Import #%(batch)d undone") % {"batch": batch.pk},
    )


def _restorable(before: dict[str, Any]) -> dict[str, Any]:
    """Stored "before" values back as model values (zone by id, dates from ISO text)."""
    values: dict[str, Any] = {}
    for key, value in before.items():
        if key == "zone":
            values["zone_id"] = value
        elif key == "founded_on" and value:
            values[key] = datetime.date.fromisoformat(value)
        else:
            values[key] = value
    return values


def later_changes(batch: ImportBatch) -> list[Enterprise]:
    """Enterprises of the batch that something after it has changed (then undo is refused)."""
    data = batch.undo_data or {}
    ids = set(undo_ids(data, "created")) | {int(i) for i in data.get("updated", {})}
    figures = undo_ids(data, "figures_created")
    for i in range(0, len(figures), CHUNK):
        ids |= set(
            Figure.objects.filter(pk__in=figures[i : i + CHUNK]).values_list(
                "enterprise_id", flat=True
            )
        )
    if not ids:
        return []
    touched: set[int] = set()
    ordered = sorted(ids)
    enterprise_type = ContentType.objects.get_for_model(Enterprise)
    organisation_type = ContentType.objects.get_for_model(Organisation)
    for i in range(0, len(ordered), CHUNK):
        chunk = ordered[i : i + CHUNK]
        touched |= {
            int(x)
            for x in AuditEntry.objects.filter(
                content_type=enterprise_type,
                object_id__in=[str(x) for x in chunk],
                at__gt=batch.committed_at,
            )
            .exclude(request_id=batch.request_id)
            .values_list("object_id", flat=True)
        }
        touched |= set(
            Figure.objects.filter(enterprise_id__in=chunk, recorded_at__gt=batch.committed_at)
            .exclude(import_batch=batch)
            .values_list("enterprise_id", flat=True)
        )
        org_ids = Organisation.objects.filter(enterprise_id__in=chunk).values_list("id", flat=True)
        changed_orgs = AuditEntry.objects.filter(
            content_type=organisation_type,
            object_id__in=[str(x) for x in org_ids],
            at__gt=batch.committed_at,
        ).values_list("object_id", flat=True)
        touched |= set(
            Organisation.objects.filter(pk__in=[int(x) for x in changed_orgs]).values_list(
                "enterprise_id", flat=True
            )
        )
    return list(Enterprise.objects.filter(pk__in=touched).order_by("name"))


def batch_undo(*, actor: Actor, batch: ImportBatch) -> ImportBatch:
    """Take a whole import back: remove what it created, restore what it changed. Refused, with
    the list, when later changes touched any of its enterprises."""
    require_owner(actor, batch)
    if batch.status != BatchStatus.COMMITTED:
        raise ValidationError(_("Only an imported batch can be undone."))
    with transaction.atomic():
        touched = later_changes(batch)
        if touched:
            shown = ", ".join(f"{e.name} ({e.tax_id})" for e in touched[:20])
            more = len(touched) - 20
            raise ValidationError(
                _(
                    "This import cannot be undone: %(count)d of its enterprises were changed "
                    "after it: %(list)s%(more)s."
                )
                % {
                    "count": len(touched),
                    "list": shown,
                    "more": _(" and %(n)d more") % {"n": more} if more > 0 else "",
                }
            )
        data = batch.undo_data
        created = undo_ids(data, "created")
        organisations = undo_ids(data, "organisations_created")
        for i in range(0, len(organisations), CHUNK):
            Organisation.objects.filter(pk__in=organisations[i : i + CHUNK]).delete()
        for i in range(0, len(created), CHUNK):
            Enterprise.objects.filter(pk__in=created[i : i + CHUNK]).update(latest_figure=None)
        figures = undo_ids(data, "figures_created")
        for i in range(0, len(figures), CHUNK):
            Figure.objects.filter(pk__in=figures[i : i + CHUNK]).delete()
        superseded = data.get("figures_superseded", [])
        for i in range(0, len(superseded), CHUNK):
            Figure.objects.filter(pk__in=superseded[i : i + CHUNK]).update(superseded_at=None)
        for pk, before in data.get("updated", {}).items():
            Enterprise.objects.filter(pk=int(pk)).update(**_restorable(before))
        for pk, latest in data.get("latest_before", {}).items():
            Enterprise.objects.filter(pk=int(pk)).update(
                latest_figure_id=latest,
                latest_workers=Figure.objects.filter(pk=latest).values("workers")[:1]
                if latest
                else None,
            )
        _audit_undo(actor, batch, data.get("updated", {}))
        for i in range(0, len(created), CHUNK):
            Enterprise.objects.filter(pk__in=created[i : i + CHUNK]).delete()
        batch.status = BatchStatus.UNDONE
        batch.undone_at = timezone.now()
        batch.save(update_fields=["status", "undone_at"])
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=batch,
            before={"status": "committed"},
            after={"status": "undone"},
            message=_("import undone"),
        )
    return batch
