"""Imports: upload, dry run, commit (all-or-nothing unless told otherwise) and undo of a batch.

Every function checks permission, runs its writes in one transaction and leaves an audit entry;
the page, the background job and the `sinergi import` command all come through here.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.core import audit, progress
from sinergi.core.audit import request_id_var
from sinergi.core.models import AuditAction, AuditEntry
from sinergi.core.services import require
from sinergi.core.text import search_key
from sinergi.core.uploads import SPREADSHEETS, validate_upload
from sinergi.imports import layout
from sinergi.imports.columns import header_key, match_headers
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
    batch.report = {
        **plan.summary(),
        "headers": plan.headers,
        "header_row": plan.header_row,
        "mapping": {str(k): v for k, v in plan.mapping.items()},
        "unknown_columns": plan.unknown_columns,
        "skipped": [asdict(s) for s in plan.skipped],
        "date_from_title": plan.date_from_title,
    }
    batch.counts = plan.counts()
    if plan.report_date and not batch.report_date:
        batch.report_date = plan.report_date
        batch.date_from_title = plan.date_from_title


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
    if plan.file_errors or (plan.errors and not only_valid):
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
                    "counts": plan.counts(),
                    "only_valid": only_valid,
                },
                message=_("import committed"),
            )
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


def _write(
    plan: Plan,
    rows: list[RowPlan],
    batch: ImportBatch,
    actor,
    org_types,
    report: Callable[[int, int], None],
) -> dict[str, Any]:
    """All the inserts and updates of one commit, in bulk. Returns what undo needs."""
    now = timezone.now()
    message = _("Import #%(batch)d: %(file)s") % {"batch": batch.pk, "file": batch.file_name}
    total = len(rows) or 1
    source = _("Import #%(batch)d") % {"batch": batch.pk}
    # 1. Enterprises: new ones in bulk, changed ones by field.
    created_objs = []
    for row in rows:
        if row.action == "create":
            fields = dict(row.fields)
            zone = fields.pop("zone", None)
            created_objs.append(
                Enterprise(
                    tax_id=row.tax_id,
                    zone=zone,
                    tax_country=_country(),
                    created_at=now,
                    updated_at=now,
                    search_text=search_key(row.name, row.tax_id),
                    **fields,
                )
            )
    Enterprise.objects.bulk_create(created_objs, batch_size=2000)
    by_tax = {e.tax_id: e for e in created_objs}
    report(len(created_objs) // 4, total)
    updated: dict[str, dict] = {}
    to_update = [r for r in rows if r.action == "update" and r.fields]
    changed_enterprises = []
    for i in range(0, len(to_update), CHUNK):
        chunk = to_update[i : i + CHUNK]
        current = Enterprise.objects.in_bulk([r.enterprise_id for r in chunk])
        for row in chunk:
            enterprise = current[row.enterprise_id]
            updated[str(enterprise.pk)] = {
                k: (v.isoformat() if isinstance(v, datetime.date) else v)
                for k, v in row.before.items()
            } | (
                {
                    "former_names": list(enterprise.former_names),
                    "search_text": enterprise.search_text,
                }
                if "name" in row.fields
                else {}
            )
            for key, value in row.fields.items():
                setattr(enterprise, key, value)
            if "name" in row.fields and row.before["name"] not in enterprise.former_names:
                enterprise.former_names = [*enterprise.former_names, row.before["name"]]
                enterprise.search_text = search_key(
                    enterprise.name, *enterprise.former_names, enterprise.tax_id
                )
            enterprise.updated_at = now
            changed_enterprises.append(enterprise)
    if changed_enterprises:
        names = {"updated_at"} | {k for r in to_update for k in r.fields}
        if "name" in names:
            names |= {"former_names", "search_text"}
        Enterprise.objects.bulk_update(changed_enterprises, list(names), batch_size=1000)
    report(total // 2, total)

    # 2. Figures for the reporting date: a new version supersedes the current one.
    superseded = [r.previous_figure_id for r in rows if r.figure_changed and r.previous_figure_id]
    for i in range(0, len(superseded), CHUNK):
        Figure.objects.filter(pk__in=superseded[i : i + CHUNK]).update(superseded_at=now)
    new_figures = []
    for row in rows:
        if row.figure_changed:
            enterprise_id = row.enterprise_id or by_tax[row.tax_id].pk
            new_figures.append(
                Figure(
                    enterprise_id=enterprise_id,
                    as_of=row.as_of,
                    source=source,
                    recorded_by_id=getattr(actor, "pk", None),
                    recorded_at=now,
                    import_batch=batch,
                    **{k: row.figures.get(k) for k in FIGURE_FIELDS},
                )
            )
    Figure.objects.bulk_create(new_figures, batch_size=2000)
    latest_before = _refresh_latest(
        [
            f.enterprise_id
            for f in new_figures
            if f.enterprise_id not in {e.pk for e in created_objs}
        ],
        new_figures,
    )
    report(3 * total // 4, total)

    # 3. Organisations the file says exist and the registry lacks.
    types = {t.code: t for t in org_types}
    new_orgs = []
    for row in rows:
        for code in row.organisations:
            enterprise_id = row.enterprise_id or by_tax[row.tax_id].pk
            new_orgs.append(
                Organisation(
                    enterprise_id=enterprise_id,
                    type=types[code],
                    name=f"{types[code].name} — {row.name}"[:300],
                    note=source,
                )
            )
    Organisation.objects.bulk_create(new_orgs, batch_size=2000)

    # 4. One audit entry per enterprise created or changed.
    enterprise_type = ContentType.objects.get_for_model(Enterprise)
    request_id = request_id_var.get()
    entries = []
    for row in rows:
        enterprise_id = row.enterprise_id or by_tax[row.tax_id].pk
        after = {k: (v.pk if hasattr(v, "pk") else v) for k, v in row.fields.items()}
        after = {
            k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in after.items()
        }
        if row.figure_changed:
            after.update({k: row.figures.get(k) for k in FIGURE_FIELDS})
            after["as_of"] = row.as_of.isoformat()
        if row.organisations:
            after["organisations"] = row.organisations
        entries.append(
            AuditEntry(
                actor_id=getattr(actor, "pk", None),
                actor_unit_id=getattr(actor, "unit_id", None),
                action=AuditAction.CREATE if row.action == "create" else AuditAction.UPDATE,
                content_type=enterprise_type,
                object_id=str(enterprise_id),
                object_repr=(row.name or row.tax_id)[:300],
                before=updated.get(str(enterprise_id)) if row.action == "update" else None,
                after=after,
                message=message,
                request_id=request_id,
            )
        )
    AuditEntry.objects.bulk_create(entries, batch_size=2000)
    report(total, total)
    return {
        "created": [e.pk for e in created_objs],
        "updated": updated,
        "figures_created": [f.pk for f in new_figures],
        "figures_superseded": superseded,
        "latest_before": latest_before,
        "organisations_created": [o.pk for o in new_orgs],
    }


def _audit_undo(actor, batch: ImportBatch, created: list[int], updated: dict) -> None:
    """One entry per enterprise the undo removed or restored, so each history shows it."""
    enterprise_type = ContentType.objects.get_for_model(Enterprise)
    message = _("Import #%(batch)d undone") % {"batch": batch.pk}
    names = dict(
        Enterprise.objects.filter(pk__in=[*created, *map(int, updated)][:50000]).values_list(
            "pk", "name"
        )
    )
    entries = [
        AuditEntry(
            actor_id=getattr(actor, "pk", None),
            actor_unit_id=getattr(actor, "unit_id", None),
            action=AuditAction.DELETE,
            content_type=enterprise_type,
            object_id=str(pk),
            object_repr=names.get(pk, str(pk))[:300],
            message=message,
            request_id=request_id_var.get(),
        )
        for pk in created
    ] + [
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


def _country() -> str:
    return settings.SINERGI_COUNTRY


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


def _refresh_latest(existing_ids: list[int], new_figures: list[Figure]) -> dict[str, int | None]:
    """Point each enterprise at its newest figure; returns existing ones' previous pointers."""
    before: dict[str, int | None] = {}
    newest: dict[int, Figure] = {}
    for figure in new_figures:
        newest[figure.enterprise_id] = figure
    current: dict[int, tuple[int | None, datetime.date | None]] = {}
    for i in range(0, len(existing_ids), CHUNK):
        for pk, latest_id, latest_as_of in Enterprise.objects.filter(
            pk__in=existing_ids[i : i + CHUNK]
        ).values_list("pk", "latest_figure_id", "latest_figure__as_of"):
            current[pk] = (latest_id, latest_as_of)
    changed = []
    for enterprise_id, figure in newest.items():
        latest_id, latest_as_of = current.get(enterprise_id, (None, None))
        if enterprise_id in current:
            before[str(enterprise_id)] = latest_id
        if latest_as_of is None or figure.as_of >= latest_as_of:
            changed.append(Enterprise(pk=enterprise_id, latest_figure_id=figure.pk))
    Enterprise.objects.bulk_update(changed, ["latest_figure"], batch_size=2000)
    return before


# --- Undo -------------------------------------------------------------------------------------


def later_changes(batch: ImportBatch) -> list[Enterprise]:
    """Enterprises of the batch that something after it has changed (then undo is refused)."""
    data = batch.undo_data or {}
    ids = {int(i) for i in data.get("created", [])} | {int(i) for i in data.get("updated", {})}
    ids |= set(
        Figure.objects.filter(pk__in=data.get("figures_created", [])).values_list(
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
        created = [int(i) for i in data.get("created", [])]
        Organisation.objects.filter(pk__in=data.get("organisations_created", [])).delete()
        for i in range(0, len(created), CHUNK):
            Enterprise.objects.filter(pk__in=created[i : i + CHUNK]).update(latest_figure=None)
        figures = data.get("figures_created", [])
        for i in range(0, len(figures), CHUNK):
            Figure.objects.filter(pk__in=figures[i : i + CHUNK]).delete()
        superseded = data.get("figures_superseded", [])
        for i in range(0, len(superseded), CHUNK):
            Figure.objects.filter(pk__in=superseded[i : i + CHUNK]).update(superseded_at=None)
        for pk, before in data.get("updated", {}).items():
            Enterprise.objects.filter(pk=int(pk)).update(**_restorable(before))
        for pk, latest in data.get("latest_before", {}).items():
            Enterprise.objects.filter(pk=int(pk)).update(latest_figure_id=latest)
        _audit_undo(actor, batch, created, data.get("updated", {}))
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
