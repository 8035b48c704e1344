"""Imports, the writing: a checked batch goes into the registry in one transaction.

The registry's own rules (search key, former names, figure versions, the newest-figure pointer)
are applied by `registry.bulk`; the audit entries are written by `core.audit.record_many`.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.core import audit, bulk, progress
from sinergi.core.actors import Actor, user_of
from sinergi.core.audit import request_id_var
from sinergi.core.models import AuditAction
from sinergi.imports.batches import batch_planner, store_plan
from sinergi.imports.models import BatchStatus, ImportBatch
from sinergi.imports.permissions import require_owner
from sinergi.imports.plan import Plan, RowPlan
from sinergi.imports.undo import id_runs
from sinergi.registry import bulk as registry_bulk
from sinergi.registry.choices import FIGURE_VALUES
from sinergi.registry.models import Enterprise, Figure, Organisation, OrganisationType

# What a new enterprise holds when the file has no column for it.
IMPORT_DEFAULTS = {"ownership": "other"}


@bulk.collector_paused()
def batch_commit(batch: ImportBatch, *, actor: Actor, only_valid: bool | None = None) -> Plan:
    """Import the batch: checked again against the registry as it is now, then written in one
    transaction. With any row in error nothing is written, unless `only_valid` is chosen."""
    require_owner(actor, batch)
    if batch.status in (BatchStatus.COMMITTED, BatchStatus.UNDONE):
        raise ValidationError(_("This batch has already been imported."))
    only_valid = batch.only_valid if only_valid is None else only_valid
    key = f"import-{batch.pk}"
    progress.report(key, 0, 1, "checking")
    planner = batch_planner(batch, actor, lambda d, t: progress.report(key, d, t, "checking"))
    plan = planner.plan()
    store_plan(batch, plan)
    writable = [r for r in plan.rows if not r.errors and r.action in ("create", "update")]
    if plan.file_errors or (batch.counts["errors"] and not only_valid):
        batch.status = BatchStatus.CHECKED
        batch.save(update_fields=["report", "counts", "report_date", "date_from_title", "status"])
        progress.clear(key)
        return plan
    request_id = request_id_var.get() or f"import-{batch.pk}"
    token = request_id_var.set(request_id)
    try:
        with transaction.atomic():
            undo = _write(
                plan,
                writable,
                batch,
                actor,
                planner.org_types,
                lambda d, t: progress.report(key, d, t, "writing"),
            )
            batch.status = BatchStatus.COMMITTED
            batch.committed_by = user_of(actor)
            batch.committed_at = timezone.now()
            batch.request_id = request_id
            batch.undo_data = undo
            batch.save()
            audit.record(
                actor=actor,
                action=AuditAction.RECORD,
                obj=batch,
                after={
                    "file_name": batch.file_name,
                    "checksum": batch.checksum,
                    "counts": batch.counts,
                    "only_valid": only_valid,
                },
                message=_("import committed"),
            )
    except Exception as exc:
        if not _is_integrity_error(exc):
            # The transaction rolled back: nothing of the file is in the registry.
            ImportBatch.objects.filter(pk=batch.pk).update(
                status=BatchStatus.FAILED, failure=str(exc)[:2000]
            )
            raise
        # Someone else (another import of the same file, most often) wrote some of these
        # enterprises between this check and this write. The transaction rolled back.
        message = _(
            "Another import or edit wrote some of these enterprises while this one was being "
            "imported; nothing of this file was written. Upload it again to check it against "
            "the registry as it is now."
        )
        ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.FAILED, failure=message)
        raise ValidationError(message, code="concurrent_import") from exc
    finally:
        request_id_var.reset(token)
        progress.clear(key)
    return plan


def _id(row: RowPlan) -> int:
    """The enterprise a row writes to: every written row has one by the time it is written."""
    return cast(int, row.enterprise_id)


def _is_integrity_error(exc: BaseException) -> bool:
    """A unique or foreign-key violation, whether Django wrapped it (ORM writes) or the driver
    raised it directly (PostgreSQL's COPY of the bulk writer)."""
    return isinstance(exc, IntegrityError) or any(
        cls.__name__ == "IntegrityError" for cls in type(exc).__mro__
    )


def _write(
    plan: Plan,
    rows: list[RowPlan],
    batch: ImportBatch,
    actor: Actor,
    org_types: list[OrganisationType],
    report: Callable[[int, int], None],
) -> dict[str, Any]:
    """All the inserts and updates of one commit, as prepared statements over many rows (see
    core.bulk and registry.bulk). Runs inside the commit's transaction. Returns what undo
    needs."""
    now = timezone.now()
    total = len(rows) or 1
    batch_id = batch.pk
    source = _("Import #%(batch)d") % {"batch": batch_id}
    actor_id = getattr(actor, "pk", None)

    # Keys for the new enterprises and figures are taken first, so each new enterprise goes in
    # already pointing at its new figure and nothing is read back. New enterprises take their
    # keys in the order of their tax ids, and every other insert follows the enterprise keys:
    # the rows then reach each index in its own order, not at random places.
    created = sorted((r for r in rows if r.action == "create"), key=attrgetter("tax_id"))
    for row, pk in zip(created, bulk.reserve_ids(Enterprise, len(created)), strict=True):
        row.enterprise_id = pk
    rows = sorted(rows, key=attrgetter("enterprise_id"))
    recorded = [r for r in rows if r.figure_changed]
    new_figure = dict(
        zip(
            [_id(r) for r in recorded],
            bulk.reserve_ids(Figure, len(recorded)),
            strict=True,
        )
    )

    founding = sum(len(r.organisations) for r in rows)
    # A file that fills an empty (or small) registry: indexes built once at the end.
    adding = {Enterprise: len(created), Figure: len(recorded), Organisation: founding}
    with bulk.indexes_rebuilt(adding):
        # 1. New enterprises, by field name: the file's values over the registry's defaults.
        registry_bulk.enterprises_insert(
            (
                {
                    **r.fields,
                    "id": r.enterprise_id,
                    "zone": zone.id if (zone := r.fields.get("zone")) else None,
                    "tax_id": r.tax_id,
                    "name": r.name,
                    "name_key": r.name_key,
                    "latest_figure": new_figure.get(_id(r)),
                    "latest_workers": r.figures.get("workers") if r.figure_changed else None,
                    "created_by_import": batch_id,
                }
                for r in created
            ),
            now=now,
            defaults=IMPORT_DEFAULTS,
        )
        report(total // 4, total)

        # 2. Changed enterprises: the new values, the old ones kept for undo.
        updated = registry_bulk.enterprises_update(
            {_id(r): r.fields for r in rows if r.action == "update" and r.fields},
            now=now,
        )
        report(total // 2, total)

        # 3. Figures: a new version for each row's reporting date supersedes the current one.
        superseded = [
            r.previous_figure_id for r in rows if r.figure_changed and r.previous_figure_id
        ]
        existing_ids = [_id(r) for r in rows if r.figure_changed and r.action == "update"]
        latest_before = registry_bulk.latest_figure_pointers(existing_ids)
        registry_bulk.figures_replace(
            (
                {
                    **r.figures,
                    "id": new_figure[_id(r)],
                    "enterprise": r.enterprise_id,
                    "as_of": r.as_of,
                }
                for r in recorded
            ),
            superseded=superseded,
            now=now,
            recorded_by=actor_id,
            source=source,
            import_batch=batch_id,
        )
        # New enterprises went in pointing at their figures; the others may hold newer figures
        # than the file's: their newest is looked for.
        registry_bulk.latest_figure_refresh(existing_ids)
        report(3 * total // 4, total)

        # 4. Organisations the file says exist and the registry lacks.
        types = {t.code: (t.pk, t.name) for t in org_types}
        organisation_ids = bulk.reserve_ids(Organisation, founding)
        bulk.insert_many(
            Organisation,
            ("id", "enterprise", "type", "name", "level", "note"),
            (
                (
                    pk,
                    r.enterprise_id,
                    types[code][0],
                    f"{types[code][1]} — {r.name}"[:300],
                    "grassroots",
                    source,
                )
                for pk, (r, code) in zip(
                    organisation_ids,
                    ((r, code) for r in rows for code in r.organisations),
                    strict=True,
                )
            ),
            prepared=True,
        )

    # 5. One audit entry per enterprise changed, with its values before and after. New
    # enterprises have none of their own: the batch's entry stands for them (see
    # docs/decisions/0005), and each points back to the batch (created_by_import).
    def entries():
        for row in rows:
            if row.action != "update":
                continue
            after = audit.jsonable(row.fields)
            if row.figure_changed:
                after |= {k: row.figures.get(k) for k in FIGURE_VALUES}
                after["as_of"] = audit.jsonable(row.as_of)
            if row.organisations:
                after["organisations"] = row.organisations
            key = str(row.enterprise_id)
            yield key, row.name or row.tax_id, updated.get(key), after

    audit.record_many(
        actor=actor,
        action=AuditAction.UPDATE,
        model=Enterprise,
        entries=entries(),
        message=_("Import #%(batch)d: %(file)s") % {"batch": batch.pk, "file": batch.file_name},
    )
    report(total, total)
    return {
        "created": id_runs([_id(r) for r in created]),
        "updated": updated,
        "figures_created": id_runs(new_figure.values()),
        "figures_superseded": superseded,
        "latest_before": latest_before,
        "organisations_created": id_runs(organisation_ids),
    }
