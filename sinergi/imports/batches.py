"""Imports, the stages before the writing: upload, the dry run (check), corrections to the
column mapping and the date, templates, and the request to import."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import asdict
from typing import cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.core import audit, bulk, progress
from sinergi.core.actors import Actor, user_of
from sinergi.core.models import AuditAction
from sinergi.core.services import require
from sinergi.core.uploads import SPREADSHEETS, validate_upload
from sinergi.imports.columns import header_key
from sinergi.imports.models import BatchStatus, ImportBatch, ImportTemplate
from sinergi.imports.permissions import can_import, require_owner
from sinergi.imports.plan import Plan, Planner, preview
from sinergi.imports.reading import read_table
from sinergi.imports.sheet import Sheet
from sinergi.registry import permissions as registry_permissions


def batch_upload(
    *,
    actor: Actor,
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
            created_by=user_of(actor),
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


def batch_planner(
    batch: ImportBatch, actor: Actor, report: Callable[[int, int], None] | None = None
) -> Planner:
    """The dry run's planner for the batch's file, with the batch's column mapping."""
    with batch.file.open("rb") as stream:
        sheet = Sheet.of(read_table(stream, batch.kind))
    return Planner(
        sheet,
        can_edit_zone=lambda zone: registry_permissions.can_edit_enterprises_in(actor, zone),
        report_date=batch.report_date,
        mapping=_column_mapping(batch, sheet),
        progress=report,
        keep_table=False,
    )


def _column_mapping(batch: ImportBatch, sheet: Sheet) -> dict[int, str] | None:
    """The person's corrected mapping; else a saved template laid over the sheet's headers (of
    the layout found when it was read); else None (recognise the headers)."""
    if columns := (batch.mapping or {}).get("columns"):
        return {int(k): v for k, v in columns.items()}
    template_id = (batch.mapping or {}).get("template")
    template = ImportTemplate.objects.filter(pk=template_id).first() if template_id else None
    if template is None:
        return None
    return sheet.template_mapping(template.mapping)


def store_plan(batch: ImportBatch, plan: Plan) -> None:
    counts = plan.counts()  # one pass over the rows, for the report and the batch
    batch.report = {
        **plan.summary(counts),
        "headers": plan.headers,
        "header_row": plan.header_row,
        "mapping": {str(k): v for k, v in plan.mapping.items()},
        "unknown_columns": plan.unknown_columns,
        "skipped": [asdict(s) for s in plan.skipped],
        "date_from_title": plan.date_from_title,
        # What importing would do, row by row (the first PREVIEW_ROWS rows), for the page.
        "preview": preview(plan),
    }
    batch.counts = counts
    if plan.report_date and not batch.report_date:
        batch.report_date = plan.report_date
        batch.date_from_title = plan.date_from_title


@bulk.collector_paused()
def batch_check(batch: ImportBatch, *, actor: Actor | None = None) -> Plan:
    """The dry run: what importing the batch would do, every error at once. Writes only the
    batch's own report."""
    # Checked in the background for the person who uploaded it, unless someone else asks.
    actor = actor or cast(Actor, batch.created_by)
    key = f"import-{batch.pk}"
    ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.CHECKING)
    progress.report(key, 0, 1, "checking")
    try:
        plan = batch_planner(
            batch, actor, lambda d, t: progress.report(key, d, t, "checking")
        ).plan()
    except Exception as exc:
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.FAILED, failure=str(exc)[:2000]
        )
        raise
    store_plan(batch, plan)
    batch.status = BatchStatus.CHECKED
    batch.save(update_fields=["report", "counts", "report_date", "date_from_title", "status"])
    progress.clear(key)
    return plan


def batch_configure(
    *,
    actor: Actor,
    batch: ImportBatch,
    columns: dict[int, str] | None = None,
    report_date: datetime.date | None = None,
    only_valid: bool | None = None,
) -> ImportBatch:
    """Correct the column mapping or the reporting date before importing; the batch is checked
    again."""
    require_owner(actor, batch)
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


def template_save(*, actor: Actor, batch: ImportBatch, name: str) -> ImportTemplate:
    """Keep the batch's column mapping under a name, to apply to the next file of this shape."""
    require_owner(actor, batch)
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
                "created_by": user_of(actor),
            },
        )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            obj=template,
            after={"name": name, "mapping": mapping},
        )
    return template


def batch_request_commit(
    *, actor: Actor, batch: ImportBatch, only_valid: bool = False
) -> ImportBatch:
    """Ask for the batch to be imported (the background job does the writing)."""
    require_owner(actor, batch)
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
