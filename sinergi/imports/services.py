"""Imports: upload, dry run, commit (all-or-nothing unless told otherwise) and undo of a batch.

Every function checks permission, runs its writes in one transaction and leaves an audit entry;
the page, the background job and the `sinergi import` command all come through here.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import asdict
from operator import attrgetter
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.core import audit, bulk, progress
from sinergi.core.audit import request_id_var
from sinergi.core.models import AuditAction, AuditEntry
from sinergi.core.services import SYSTEM, require
from sinergi.core.text import search_key
from sinergi.core.uploads import SPREADSHEETS, validate_upload
from sinergi.imports import layout
from sinergi.imports.columns import header_key, match_headers
from sinergi.imports.models import RUNNING as RUNNING_STATUSES
from sinergi.imports.models import BatchStatus, ImportBatch, ImportTemplate
from sinergi.imports.plan import CHUNK, Plan, Planner, RowPlan
from sinergi.imports.reading import read_table
from sinergi.registry import services as registry_services
from sinergi.registry.choices import FIGURE_FIELDS
from sinergi.registry.models import Enterprise, Figure, Organisation, OrganisationType

# --- Permission -------------------------------------------------------------------------------


def can_import(actor) -> bool:
    """Whoever may change the registry of some zone may import into it (row by row checked)."""
    return registry_services.can_edit_enterprises_in(actor, None)


def can_see_batch(actor, batch: ImportBatch) -> bool:
    return ImportBatch.objects.visible_to(actor).filter(pk=batch.pk).exists()


def _require_owner(actor, batch: ImportBatch) -> None:
    """Acting on a batch: its uploader, a coordinator of their body, or an administrator."""
    require(can_import(actor) and can_see_batch(actor, batch))


# --- Upload and dry run -----------------------------------------------------------------------


def batch_upload(
    *,
    actor,
    upload,
    report_date: datetime.date | None = None,
    template: ImportTemplate | None = None,
    only_valid: bool = False,
) -> ImportBatch:
    """Keep an uploaded file as a new batch, ready to be checked."""
    require(can_import(actor))
    kind = validate_upload(upload, SPREADSHEETS)
    if report_date and report_date > timezone.localdate():
        raise ValidationError({"report_date": _("Figures cannot describe a date in the future.")})
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(1 << 20), b""):
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        batch = ImportBatch(
            created_by=actor if getattr(actor, "pk", None) else None,
            file_name=upload.name[-255:],
            checksum=digest.hexdigest(),
            kind=kind,
            report_date=report_date,
            only_valid=only_valid,
            mapping={"template": template.pk} if template else {},
        )
        batch.file.save(upload.name, upload, save=False)
        batch.save()
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=batch,
            after={"file_name": batch.file_name, "checksum": batch.checksum, "kind": kind},
        )
    return batch


def _planner(batch: ImportBatch, actor, report: Callable[[int, int], None] | None = None):
    with batch.file.open("rb") as stream:
        table = read_table(stream, batch.kind)
    return Planner(
        table,
        can_edit_zone=lambda zone: registry_services.can_edit_enterprises_in(actor, zone),
        report_date=batch.report_date,
        mapping=_column_mapping(batch, table),
        progress=report,
    )


def _column_mapping(batch: ImportBatch, table) -> dict[int, str] | None:
    """The person's corrected mapping; else a saved template laid over the recognised headers;
    else None (recognise the headers)."""
    if columns := (batch.mapping or {}).get("columns"):
        return {int(k): v for k, v in columns.items()}
    template_id = (batch.mapping or {}).get("template")
    template = ImportTemplate.objects.filter(pk=template_id).first() if template_id else None
    if template is None:
        return None
    org_types = list(OrganisationType.objects.all())
    found = layout.detect(table.rows, org_types)
    if found is None:
        return None
    headers = table.rows[found.header_index]
    from_template = {
        i: template.mapping[header_key(h)]
        for i, h in enumerate(headers)
        if header_key(h) in template.mapping
    }
    taken = set(from_template.values())
    recognised = {i: c for i, c in match_headers(headers, org_types).items() if c not in taken}
    return {**recognised, **from_template}


def _store_plan(batch: ImportBatch, plan: Plan) -> None:
    counts = plan.counts()  # one pass over the rows, for the report and the batch
    batch.report = {
        **plan.summary(counts),
        "headers": plan.headers,
        "header_row": plan.header_row,
        "mapping": {str(k): v for k, v in plan.mapping.items()},
        "unknown_columns": plan.unknown_columns,
        "skipped": [asdict(s) for s in plan.skipped],
        "date_from_title": plan.date_from_title,
    }
    batch.counts = counts
    if plan.report_date and not batch.report_date:
        batch.report_date = plan.report_date
        batch.date_from_title = plan.date_from_title


@bulk.collector_paused()
def batch_check(batch: ImportBatch, *, actor=None) -> Plan:
    """The dry run: what importing the batch would do, every error at once. Writes only the
    batch's own report."""
    actor = actor or batch.created_by
    key = f"import-{batch.pk}"
    ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.CHECKING)
    progress.report(key, 0, 1, "checking")
    try:
        plan = _planner(batch, actor, lambda d, t: progress.report(key, d, t, "checking")).plan()
    except Exception as exc:
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.FAILED, failure=str(exc)[:2000]
        )
        raise
    _store_plan(batch, plan)
    batch.status = BatchStatus.CHECKED
    batch.save(update_fields=["report", "counts", "report_date", "date_from_title", "status"])
    progress.clear(key)
    return plan


def batch_configure(
    *,
    actor,
    batch: ImportBatch,
    columns: dict[int, str] | None = None,
    report_date: datetime.date | None = None,
    only_valid: bool | None = None,
) -> ImportBatch:
    """Correct the column mapping or the reporting date before importing; the batch is checked
    again."""
    _require_owner(actor, batch)
    if batch.status not in (BatchStatus.CHECKED, BatchStatus.FAILED):
        raise ValidationError(_("This batch can no longer be changed."))
    if report_date and report_date > timezone.localdate():
        raise ValidationError({"report_date": _("Figures cannot describe a date in the future.")})
    used = [code for code in (columns or {}).values() if code]
    if len(used) != len(set(used)):
        raise ValidationError(_("Two columns are mapped to the same field."))
    with transaction.atomic():
        before = {"mapping": batch.mapping, "report_date": str(batch.report_date or "")}
        if columns is not None:
            batch.mapping = {"columns": {str(k): v for k, v in columns.items() if v}}
        if report_date is not None:
            batch.report_date = report_date
        if only_valid is not None:
            batch.only_valid = only_valid
        batch.status = BatchStatus.QUEUED
        batch.save()
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=batch,
            before=before,
            after={"mapping": batch.mapping, "report_date": str(batch.report_date or "")},
        )
    return batch


def template_save(*, actor, batch: ImportBatch, name: str) -> ImportTemplate:
    """Keep the batch's column mapping under a name, to apply to the next file of this shape."""
    _require_owner(actor, batch)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the template a name.")})
    headers = batch.report.get("headers", [])
    mapping = {
        header_key(headers[int(i)]): code
        for i, code in batch.report.get("mapping", {}).items()
        if int(i) < len(headers) and headers[int(i)]
    }
    with transaction.atomic():
        template, created = ImportTemplate.objects.update_or_create(
            name=name,
            defaults={
                "mapping": mapping,
                "created_by": actor if getattr(actor, "pk", None) else None,
            },
        )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            obj=template,
            after={"name": name, "mapping": mapping},
        )
    return template


# --- Commit -----------------------------------------------------------------------------------


def batch_request_commit(*, actor, batch: ImportBatch, only_valid: bool = False) -> ImportBatch:
    """Ask for the batch to be imported (the background job does the writing)."""
    _require_owner(actor, batch)
    if batch.status != BatchStatus.CHECKED:
        raise ValidationError(_("The file must be checked before it is imported."))
    if (batch.counts or {}).get("errors") and not only_valid:
        raise ValidationError(
            _("The file has errors: correct them, or choose to import only the valid rows.")
        )
    with transaction.atomic():
        batch.only_valid = only_valid
        batch.status = BatchStatus.COMMITTING
        batch.save(update_fields=["only_valid", "status"])
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=batch,
            before={"status": "checked"},
            after={"status": "committing", "only_valid": only_valid},
        )
    return batch


@bulk.collector_paused()
def batch_commit(batch: ImportBatch, *, actor, only_valid: bool | None = None) -> Plan:
    """Import the batch: checked again against the registry as it is now, then written in one
    transaction. With any row in error nothing is written, unless `only_valid` is chosen."""
    _require_owner(actor, batch)
    if batch.status in (BatchStatus.COMMITTED, BatchStatus.UNDONE):
        raise ValidationError(_("This batch has already been imported."))
    only_valid = batch.only_valid if only_valid is None else only_valid
    key = f"import-{batch.pk}"
    progress.report(key, 0, 1, "checking")
    planner = _planner(batch, actor, lambda d, t: progress.report(key, d, t, "checking"))
    plan = planner.plan()
    _store_plan(batch, plan)
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
            batch.committed_by = actor if getattr(actor, "pk", None) else None
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
    except IntegrityError as exc:
        # Someone else (another import of the same file, most often) wrote some of these
        # enterprises between this check and this write. The transaction rolled back.
        message = _(
            "Another import or edit wrote some of these enterprises while this one was being "
            "imported; nothing of this file was written. Upload it again to check it against "
            "the registry as it is now."
        )
        ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.FAILED, failure=message)
        raise ValidationError(message, code="concurrent_import") from exc
    except Exception as exc:
        # The transaction rolled back: nothing of the file is in the registry.
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.FAILED, failure=str(exc)[:2000]
        )
        raise
    finally:
        request_id_var.reset(token)
        progress.clear(key)
    return plan


JOBS = ("sinergi.imports.tasks.check_batch", "sinergi.imports.tasks.commit_batch")


def batches_recover() -> dict[str, int]:
    """Batches left behind by a process that stopped mid-way (a crash, a killed worker or
    `sinergi import`): waiting or being checked or imported, with no job queued or running
    for them. Run when a worker starts. A check writes nothing to the registry, so an
    interrupted one is queued again; an interrupted import rolled back, so the batch is marked
    failed with a message saying nothing was written."""
    from django_tasks_db.models import DBTaskResult

    from sinergi.imports import tasks

    live = set()
    for job in DBTaskResult.objects.filter(
        status__in=["READY", "RUNNING"], task_path__in=JOBS
    ).only("args_kwargs"):
        arguments = (job.args_kwargs or {}).get("args") or []
        if arguments:
            live.add(arguments[0])
    counts = {"requeued": 0, "failed": 0}
    stale = ImportBatch.objects.filter(status__in=RUNNING_STATUSES).exclude(pk__in=live)
    for batch in stale.only("pk", "status"):
        with transaction.atomic():
            if batch.status == BatchStatus.COMMITTING:
                ImportBatch.objects.filter(pk=batch.pk).update(
                    status=BatchStatus.FAILED,
                    failure=_(
                        "The import was interrupted before it finished; nothing of this file "
                        "was written. Upload it again."
                    ),
                )
                counts["failed"] += 1
            else:
                ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.QUEUED)
                tasks.check_batch.enqueue(batch.pk)
                counts["requeued"] += 1
            audit.record(
                actor=SYSTEM,
                action=AuditAction.UPDATE,
                obj=batch,
                before={"status": batch.status},
                after={"status": "failed" if batch.status == BatchStatus.COMMITTING else "queued"},
                message=_("interrupted batch recovered when a worker started"),
            )
    return counts


ENTERPRISE_INSERT = (
    "id",
    "tax_country",
    "tax_id",
    "name",
    "former_names",
    "zone",
    "ownership",
    "sector",
    "founded_on",
    "status",
    "address",
    "contact_person",
    "phone",
    "email",
    "search_text",
    "latest_figure",
    "created_by_import",
    "created_at",
    "updated_at",
)
FIGURE_INSERT = (
    "id",
    "enterprise",
    "as_of",
    *FIGURE_FIELDS,
    "source",
    "recorded_by",
    "recorded_at",
    "import_batch",
)
AUDIT_INSERT = (
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


def _write(
    plan: Plan,
    rows: list[RowPlan],
    batch: ImportBatch,
    actor,
    org_types,
    report: Callable[[int, int], None],
) -> dict[str, Any]:
    """All the inserts and updates of one commit, as prepared statements over many rows (see
    core.bulk). Runs inside the commit's transaction. Returns what undo needs."""
    now = timezone.now()
    total = len(rows) or 1
    batch_id = batch.pk
    source = _("Import #%(batch)d") % {"batch": batch_id}
    country = settings.SINERGI_COUNTRY

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
            [r.enterprise_id for r in recorded],
            bulk.reserve_ids(Figure, len(recorded)),
            strict=True,
        )
    )

    founding = [(r, code) for r in rows for code in r.organisations]
    # A file that fills an empty (or small) registry: indexes built once at the end.
    adding = {Enterprise: len(created), Figure: len(recorded), Organisation: len(founding)}
    with bulk.indexes_rebuilt(adding):
        # 1. New enterprises. Values are prepared for the database here, each distinct one once
        # (dates, the time of the import, the empty list).
        no_names = bulk.preparer(Enterprise, "former_names")([])
        founded = bulk.preparer(Enterprise, "founded_on")
        stamp = bulk.preparer(Enterprise, "created_at")(now)
        bulk.insert_many(
            Enterprise,
            ENTERPRISE_INSERT,
            (
                (
                    r.enterprise_id,
                    country,
                    r.tax_id,
                    r.name,
                    no_names,
                    zone.id if (zone := fields.get("zone")) else None,
                    fields.get("ownership", "other"),
                    fields.get("sector", ""),
                    founded(fields.get("founded_on")),
                    fields.get("status", "operating"),
                    fields.get("address", ""),
                    "",
                    "",
                    "",
                    f"{r.name_key or search_key(r.name)} {r.tax_id}",
                    new_figure.get(r.enterprise_id),
                    batch_id,
                    stamp,
                    stamp,
                )
                for r in created
                for fields in (r.fields,)
            ),
            prepared=True,
        )
        report(total // 4, total)

        # 2. Changed enterprises: the new values, the old ones kept for undo.
        updated: dict[str, dict] = {}
        to_update = [r for r in rows if r.action == "update" and r.fields]
        by_fields: dict[tuple[str, ...], list[tuple]] = {}
        for i in range(0, len(to_update), CHUNK):
            chunk = to_update[i : i + CHUNK]
            current = Enterprise.objects.in_bulk([r.enterprise_id for r in chunk])
            for row in chunk:
                enterprise = current[row.enterprise_id]
                before = audit.jsonable(row.before)
                values = dict(row.fields)
                if "name" in values:
                    before |= {
                        "former_names": enterprise.former_names,
                        "search_text": enterprise.search_text,
                    }
                    former = enterprise.former_names
                    if row.before["name"] not in former:
                        former = [*former, row.before["name"]]
                    values |= {
                        "former_names": former,
                        "search_text": search_key(values["name"], *former, enterprise.tax_id),
                    }
                updated[str(enterprise.pk)] = before
                values["updated_at"] = now
                names = tuple(sorted(values))
                by_fields.setdefault(names, []).append(
                    (enterprise.pk, *[getattr(values[n], "pk", values[n]) for n in names])
                )
        for names, changes in by_fields.items():
            bulk.update_many(Enterprise, names, changes)
        report(total // 2, total)

        # 3. Figures: a new version for each row's reporting date supersedes the current one.
        superseded = [
            r.previous_figure_id for r in rows if r.figure_changed and r.previous_figure_id
        ]
        for i in range(0, len(superseded), CHUNK):
            Figure.objects.filter(pk__in=superseded[i : i + CHUNK]).update(superseded_at=now)
        existing_ids = [r.enterprise_id for r in rows if r.figure_changed and r.action == "update"]
        latest_before: dict[str, int | None] = {}
        for i in range(0, len(existing_ids), CHUNK):
            latest_before.update(
                (str(pk), latest)
                for pk, latest in Enterprise.objects.filter(
                    pk__in=existing_ids[i : i + CHUNK]
                ).values_list("pk", "latest_figure_id")
            )
        actor_id = getattr(actor, "pk", None)
        as_of = bulk.preparer(Figure, "as_of")
        recorded_at = bulk.preparer(Figure, "recorded_at")(now)
        bulk.insert_many(
            Figure,
            FIGURE_INSERT,
            (
                (
                    new_figure[r.enterprise_id],
                    r.enterprise_id,
                    as_of(r.as_of),
                    *map(r.figures.get, FIGURE_FIELDS),
                    source,
                    actor_id,
                    recorded_at,
                    batch_id,
                )
                for r in recorded
            ),
            prepared=True,
        )
        figure_ids = list(new_figure.values())
        newest = (
            Figure.objects.filter(enterprise=OuterRef("pk"), superseded_at__isnull=True)
            .order_by("-as_of", "-recorded_at")
            .values("pk")[:1]
        )
        # New enterprises went in pointing at their figures; the others may hold newer figures
        # than the file's: their newest is looked for.
        for i in range(0, len(existing_ids), CHUNK):
            Enterprise.objects.filter(pk__in=existing_ids[i : i + CHUNK]).update(
                latest_figure=Subquery(newest)
            )
        report(3 * total // 4, total)

        # 4. Organisations the file says exist and the registry lacks.
        types = {t.code: (t.pk, t.name) for t in org_types}
        organisation_ids = bulk.reserve_ids(Organisation, len(founding))
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
                for pk, (r, code) in zip(organisation_ids, founding, strict=True)
            ),
            prepared=True,
        )

    # 5. One audit entry per enterprise changed, with its values before and after. New
    # enterprises have none of their own: the batch's entry stands for them (see
    # docs/decisions/0005), and each points back to the batch (created_by_import).
    message = _("Import #%(batch)d: %(file)s") % {"batch": batch.pk, "file": batch.file_name}
    enterprise_type = ContentType.objects.get_for_model(Enterprise).pk
    request_id = request_id_var.get()
    update = str(AuditAction.UPDATE)

    def entries():
        for row in rows:
            if row.action != "update":
                continue
            after = audit.jsonable(row.fields)
            if row.figure_changed:
                after |= {k: row.figures.get(k) for k in FIGURE_FIELDS}
                after["as_of"] = row.as_of.isoformat()
            if row.organisations:
                after["organisations"] = row.organisations
            yield (
                now,
                actor_id,
                getattr(actor, "unit_id", None),
                update,
                enterprise_type,
                str(row.enterprise_id),
                (row.name or row.tax_id)[:300],
                updated.get(str(row.enterprise_id)),
                after,
                message,
                request_id,
            )

    bulk.insert_many(AuditEntry, AUDIT_INSERT, entries())
    report(total, total)
    return {
        "created": id_runs([r.enterprise_id for r in created]),
        "updated": updated,
        "figures_created": id_runs(figure_ids),
        "figures_superseded": superseded,
        "latest_before": latest_before,
        "organisations_created": id_runs(organisation_ids),
    }


def id_runs(ids: Iterable[int]) -> list[list[int]]:
    """The ids as runs [first, last] of consecutive ones: the keys an import takes for its new
    rows are consecutive, so its undo data stays a few numbers long however large the file."""
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


def _audit_undo(actor, batch: ImportBatch, updated: dict) -> None:
    """One entry per enterprise the undo restored, so its history shows it. The enterprises the
    undo removed are accounted for by the batch's own entry, as their creation was."""
    enterprise_type = ContentType.objects.get_for_model(Enterprise)
    message = _("Import #%(batch)d undone") % {"batch": batch.pk}
    ids = [int(pk) for pk in updated]
    names: dict[int, str] = {}
    for i in range(0, len(ids), CHUNK):
        names.update(Enterprise.objects.filter(pk__in=ids[i : i + CHUNK]).values_list("pk", "name"))
    entries = [
        AuditEntry(
            actor_id=getattr(actor, "pk", None),
            actor_unit_id=getattr(actor, "unit_id", None),
            action=AuditAction.UPDATE,
            content_type=enterprise_type,
            object_id=pk,
            object_repr=names.get(int(pk), pk)[:300],
            after=before,
            message=message,
            request_id=request_id_var.get(),
        )
        for pk, before in updated.items()
    ]
    AuditEntry.objects.bulk_create(entries, batch_size=2000)


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


# --- Undo -------------------------------------------------------------------------------------


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


def batch_undo(*, actor, batch: ImportBatch) -> ImportBatch:
    """Take a whole import back: remove what it created, restore what it changed. Refused, with
    the list, when later changes touched any of its enterprises."""
    _require_owner(actor, batch)
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
            Enterprise.objects.filter(pk=int(pk)).update(latest_figure_id=latest)
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
